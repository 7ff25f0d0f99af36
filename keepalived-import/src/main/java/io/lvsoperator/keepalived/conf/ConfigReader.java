package io.lvsoperator.keepalived.conf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one director's keepalived.conf, with the files it includes, into {@link Statement}s.
 *
 * <p>What keepalived 2.2's parser does before it looks at keywords is done here the same way:
 * comments, quoting, braces that stand alone, conditional lines ({@code @ID}, {@code @^ID}, read
 * with the config id keepalived would get from {@code -i}), single-line parameters ({@code
 * $NAME=VALUE}, {@code $NAME}, {@code ${NAME}}) and {@code include} (and its variants {@code
 * includer}, {@code includem}, {@code includew}, {@code includeb}, {@code includea}) resolved
 * relative to the including file, globs and braces included. Unlike keepalived, an include that
 * matches no file, an include loop and a block left open are errors: an import must not lose part
 * of a configuration silently. Multi-line parameters and {@code ~SEQ}/{@code ~LST} generators are
 * reported as not supported.
 */
public final class ConfigReader {
  private static final Set<String> INCLUDES =
      Set.of("include", "includer", "includem", "includew", "includeb", "includea");
  private static final int MAX_INCLUDE_DEPTH = 32;
  private static final int MAX_SUBSTITUTIONS = 32;

  /** What was read, and what was wrong with it. */
  public record Result(List<Statement> statements, List<Diagnostic> diagnostics) {
    public Result {
      statements = List.copyOf(statements);
      diagnostics = List.copyOf(diagnostics);
    }
  }

  private record Line(List<String> words, Location at) {
    boolean is(String brace) {
      return words.size() == 1 && words.getFirst().equals(brace) && brace.length() == 1;
    }
  }

  private record Open(Path realPath, String display) {}

  private final String configId;
  private final Path mainDirAbsolute;
  private final Path mainDirAsGiven;
  private final List<Line> lines = new ArrayList<>();
  private final List<Diagnostic> diagnostics = new ArrayList<>();
  private final List<Open> stack = new ArrayList<>();
  private final Map<String, String> definitions = new HashMap<>();
  private boolean conditionalNoted;

  private ConfigReader(Path main, String configId) {
    this.configId = configId;
    this.mainDirAbsolute = main.toAbsolutePath().normalize().getParent();
    this.mainDirAsGiven = main.getParent();
  }

  /**
   * Reads {@code file} and what it includes.
   *
   * @param configId keepalived's config id ({@code -i}, by default the host name): the id that
   *     conditional lines ({@code @ID ...}) are compared with; null matches none
   */
  public static Result read(Path file, String configId) {
    ConfigReader reader = new ConfigReader(file, configId);
    if (!Files.isRegularFile(file)) {
      reader.diagnostics.add(
          Diagnostic.error(null, "", file + ": no such file (or not a regular file)"));
      return new Result(List.of(), reader.diagnostics);
    }
    reader.readFile(file, file.toString(), null);
    List<Statement> statements = reader.buildTree();
    return new Result(statements, reader.diagnostics);
  }

  private void readFile(Path file, String display, Location includedFrom) {
    Path real;
    byte[] bytes;
    try {
      real = file.toRealPath();
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      diagnostics.add(
          Diagnostic.error(
              includedFrom,
              includedFrom == null ? "" : "include",
              display + ": cannot read: " + e.getMessage()));
      return;
    }
    for (Open open : stack) {
      if (open.realPath.equals(real)) {
        diagnostics.add(
            Diagnostic.error(
                includedFrom,
                "include",
                "include loop: "
                    + display
                    + " is already being read ("
                    + chain()
                    + "); keepalived 2.2.7 reads it again and again until it runs out of open"
                    + " files"));
        return;
      }
    }
    if (stack.size() >= MAX_INCLUDE_DEPTH) {
      diagnostics.add(
          Diagnostic.error(
              includedFrom, "include", "includes nested deeper than " + MAX_INCLUDE_DEPTH));
      return;
    }
    stack.add(new Open(real, display));
    try {
      // keepalived reads bytes; the configuration's own words are ASCII, comments may be anything.
      String text = new String(bytes, StandardCharsets.UTF_8);
      String[] physical = text.split("\n", -1);
      int continuation = 0; // lines of a multi-line parameter definition still to skip
      for (int i = 0; i < physical.length; i++) {
        Location at = new Location(display, i + 1);
        String raw = physical[i];
        if (raw.endsWith("\r")) {
          raw = raw.substring(0, raw.length() - 1);
        }
        if (continuation > 0) {
          continuation = raw.stripTrailing().endsWith("\\") ? 1 : 0;
          continue;
        }
        String line;
        try {
          line = LineLexer.decomment(raw);
        } catch (LineLexer.LexException e) {
          diagnostics.add(
              Diagnostic.error(at, "", e.getMessage() + " (keepalived rejects it too)"));
          continue;
        }
        if (line.isEmpty()) {
          continue;
        }
        if (line.startsWith("$") && isDefinition(line)) {
          if (line.endsWith("\\")) {
            diagnostics.add(
                Diagnostic.error(
                    at,
                    definitionName(line),
                    "multi-line parameter definitions are not read by the import; write the"
                        + " lines they stand for instead"));
            continuation = 1;
          } else {
            define(line);
          }
          continue;
        }
        processLine(line, at, file);
      }
    } finally {
      stack.removeLast();
    }
  }

  private void processLine(String text, Location at, Path file) {
    String line = text;
    for (int round = 0; ; round++) {
      if (round > MAX_SUBSTITUTIONS) {
        diagnostics.add(
            Diagnostic.error(
                at, "", "parameter substitution does not end (a parameter uses itself)"));
        return;
      }
      if (line.startsWith("@")) {
        line = conditional(line, at);
        if (line == null) {
          return;
        }
      }
      if (line.startsWith("$") && isDefinition(line)) {
        define(line);
        return;
      }
      if (line.startsWith("~SEQ") || line.startsWith("~LST")) {
        diagnostics.add(
            Diagnostic.error(
                at,
                line.substring(0, 4),
                "~SEQ and ~LST generators are not read by the import; write the lines they"
                    + " stand for instead"));
        return;
      }
      if (line.indexOf('$') < 0 || definitions.isEmpty() && line.indexOf("${_") < 0) {
        break;
      }
      String substituted;
      try {
        substituted = substitute(line, file);
      } catch (IllegalArgumentException e) {
        diagnostics.add(Diagnostic.error(at, "", e.getMessage()));
        return;
      }
      if (substituted.equals(line)) {
        break;
      }
      line = substituted;
    }
    List<String> words;
    try {
      words = LineLexer.words(line);
    } catch (LineLexer.LexException e) {
      diagnostics.add(Diagnostic.error(at, "", e.getMessage() + " (keepalived rejects it too)"));
      return;
    }
    if (!words.isEmpty() && INCLUDES.contains(words.getFirst())) {
      include(words, at, file);
      return;
    }
    for (String part : LineLexer.splitBraces(line)) {
      try {
        lines.add(new Line(LineLexer.words(part), at));
      } catch (LineLexer.LexException e) {
        diagnostics.add(Diagnostic.error(at, "", e.getMessage() + " (keepalived rejects it too)"));
      }
    }
  }

  /** The line without its {@code @ID} prefix when ID is this director's config id, else null. */
  private String conditional(String line, Location at) {
    boolean reverse = line.startsWith("@^");
    int start = reverse ? 2 : 1;
    int space = start;
    while (space < line.length() && !LineLexer.isSpace(line.charAt(space))) {
      space++;
    }
    if (space >= line.length()) {
      return null;
    }
    String id = line.substring(start, space);
    if (!conditionalNoted) {
      conditionalNoted = true;
      diagnostics.add(
          Diagnostic.note(
              at,
              "@" + id,
              "conditional lines are read with config id "
                  + (configId == null ? "(none)" : configId)
                  + ", as keepalived -i "
                  + (configId == null ? "(none)" : configId)
                  + " would read them"));
    }
    boolean matches = configId != null && configId.equals(id);
    if (matches == reverse) {
      return null;
    }
    return line.substring(space).strip();
  }

  private static boolean isDefinition(String line) {
    if (line.length() < 3 || !(Character.isLetter(line.charAt(1)) || line.charAt(1) == '_')) {
      return false;
    }
    int i = 2;
    while (i < line.length()
        && (Character.isLetterOrDigit(line.charAt(i)) || line.charAt(i) == '_')) {
      i++;
    }
    while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
      i++;
    }
    return i < line.length() && line.charAt(i) == '=';
  }

  private static String definitionName(String line) {
    int eq = line.indexOf('=');
    return line.substring(1, eq).strip();
  }

  private void define(String line) {
    int eq = line.indexOf('=');
    definitions.put(definitionName(line), line.substring(eq + 1).strip());
  }

  /** One pass of $NAME and ${NAME} replacement; undefined names stay, as keepalived leaves them. */
  private String substitute(String line, Path file) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (c != '$' || i + 1 >= line.length()) {
        out.append(c);
        i++;
        continue;
      }
      boolean braces = line.charAt(i + 1) == '{';
      int nameStart = braces ? i + 2 : i + 1;
      int nameEnd = nameStart;
      while (nameEnd < line.length()
          && (Character.isLetterOrDigit(line.charAt(nameEnd)) || line.charAt(nameEnd) == '_')) {
        nameEnd++;
      }
      String name = line.substring(nameStart, nameEnd);
      boolean wellFormed =
          !name.isEmpty()
              && !Character.isDigit(name.charAt(0))
              && (braces
                  ? nameEnd < line.length() && line.charAt(nameEnd) == '}'
                  : nameEnd >= line.length() || " \t,)".indexOf(line.charAt(nameEnd)) >= 0);
      String value = wellFormed ? value(name, file) : null;
      if (value == null) {
        out.append(c);
        i++;
        continue;
      }
      out.append(value);
      i = braces ? nameEnd + 1 : nameEnd;
    }
    return out.toString();
  }

  private String value(String name, Path file) {
    String defined = definitions.get(name);
    if (defined != null) {
      return defined;
    }
    return switch (name) {
      case "_PWD" -> file.toAbsolutePath().normalize().getParent().toString();
      case "_INSTANCE" -> configId;
      case "_HASH" -> "#";
      case "_BANG" -> "!";
      case "_RANDOM" ->
          throw new IllegalArgumentException(
              "${_RANDOM} is not read by the import: an import must give the same result each"
                  + " time");
      default -> null;
    };
  }

  private void include(List<String> words, Location at, Path file) {
    String keyword = words.getFirst();
    if (words.size() != 2) {
      diagnostics.add(
          Diagnostic.error(
              at,
              keyword,
              "takes exactly one file name (keepalived reads a line of "
                  + words.size()
                  + " words as an unknown keyword)"));
      return;
    }
    String pattern = words.get(1);
    Path base = file.toAbsolutePath().normalize().getParent();
    List<Path> matches;
    try {
      matches = IncludeGlob.expand(pattern, base);
    } catch (IOException e) {
      diagnostics.add(Diagnostic.error(at, keyword, pattern + ": " + e.getMessage()));
      return;
    }
    if (matches.isEmpty()) {
      diagnostics.add(
          Diagnostic.error(
              at,
              keyword,
              "no file matches "
                  + pattern
                  + " (relative to "
                  + base
                  + "); keepalived 2.2.7 skips it (it logs \"Config files missing\"), the import"
                  + " does not, so that nothing is lost unseen"));
      return;
    }
    for (Path match : matches) {
      readFile(match, display(match), at);
    }
  }

  /** An included file's name as the user would write it: beside the main file when it is there. */
  private String display(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    if (absolute.startsWith(mainDirAbsolute)) {
      Path relative = mainDirAbsolute.relativize(absolute);
      return mainDirAsGiven == null
          ? relative.toString()
          : mainDirAsGiven.resolve(relative).toString();
    }
    return absolute.toString();
  }

  private String chain() {
    StringBuilder b = new StringBuilder();
    for (Open open : stack) {
      if (!b.isEmpty()) {
        b.append(" includes ");
      }
      b.append(open.display);
    }
    return b.toString();
  }

  private List<Statement> buildTree() {
    Iterator<Line> it = lines.iterator();
    PeekingIterator peeking = new PeekingIterator(it);
    return block(peeking, null);
  }

  private Location closedAt; // the '}' that ended the last block read

  private List<Statement> block(PeekingIterator it, Line opener) {
    List<Statement> statements = new ArrayList<>();
    while (it.hasNext()) {
      Line line = it.next();
      if (line.is("}")) {
        if (opener != null) {
          closedAt = line.at;
          return statements;
        }
        diagnostics.add(
            Diagnostic.error(
                line.at, "}", "closes no block (keepalived reports it as an unknown keyword)"));
        continue;
      }
      if (line.is("{")) {
        diagnostics.add(
            Diagnostic.error(
                line.at,
                "{",
                "opens a block no keyword names (keepalived reports an unexpected '{')"));
        block(it, line); // read past it; its lines are not kept
        continue;
      }
      List<Statement> children = null;
      Location end = null;
      if (it.hasNext() && it.peek().is("{")) {
        it.next();
        closedAt = null;
        children = block(it, line);
        end = closedAt;
      }
      String keyword = line.words.getFirst();
      statements.add(
          new Statement(keyword, line.words.subList(1, line.words.size()), line.at, children, end));
    }
    if (opener != null) {
      closedAt = null;
      diagnostics.add(
          Diagnostic.error(
              opener.at,
              opener.words.getFirst(),
              "its { block is not closed: no '}' before the end of the input (keepalived 2.2.7"
                  + " reports missing '}'s too)"));
    }
    return statements;
  }

  private static final class PeekingIterator {
    private final Iterator<Line> it;
    private Line peeked;

    PeekingIterator(Iterator<Line> it) {
      this.it = it;
    }

    boolean hasNext() {
      return peeked != null || it.hasNext();
    }

    Line peek() {
      if (peeked == null) {
        peeked = it.next();
      }
      return peeked;
    }

    Line next() {
      if (peeked != null) {
        Line l = peeked;
        peeked = null;
        return l;
      }
      return it.next();
    }
  }
}
