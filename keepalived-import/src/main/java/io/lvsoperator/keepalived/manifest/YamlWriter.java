package io.lvsoperator.keepalived.manifest;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes {@link ManifestObject}s as YAML in the layout of {@code examples/reference}: two-space
 * indentation, comments aligned in one column after the values, lists of plain values in flow style
 * ({@code ["200"]}) unless their items carry comments. The same object always gives the same text.
 */
public final class YamlWriter {
  private static final int COMMENT_COLUMN = 33;
  private static final Set<String> RESERVED =
      Set.of("true", "false", "yes", "no", "on", "off", "null", "y", "n", "~");
  private static final Pattern NUMBER =
      Pattern.compile(
          "[-+]?(\\.?[0-9][0-9_]*(\\.[0-9_]*)?([eE][-+]?[0-9]+)?|0x[0-9a-fA-F]+|0o[0-7]+|\\.inf|\\.nan)");

  private YamlWriter() {}

  public static String write(ManifestObject object) {
    StringBuilder out = new StringBuilder();
    for (String line : object.header()) {
      out.append(line.isEmpty() ? "#" : "# " + line).append('\n');
    }
    map(object.body(), 0, out);
    return out.toString();
  }

  private static void map(YamlMap map, int indent, StringBuilder out) {
    for (YamlMap.Entry e : map.entries()) {
      entry(" ".repeat(indent) + key(e.key()) + ":", e.value(), e.comment(), indent, out);
    }
  }

  /** Writes {@code prefix} (an indented "key:" or "- ") followed by the value. */
  private static void entry(
      String prefix, Object value, String comment, int indent, StringBuilder out) {
    switch (value) {
      case YamlMap m -> {
        line(prefix, comment, out);
        map(m, indent + 2, out);
      }
      case YamlList l when isFlow(l) -> line(prefix + " " + flow(l), comment, out);
      case YamlList l -> {
        line(prefix, comment, out);
        list(l, indent + 2, out);
      }
      default -> line(prefix + " " + scalar(value), comment, out);
    }
  }

  private static void list(YamlList list, int indent, StringBuilder out) {
    String dash = " ".repeat(indent) + "- ";
    for (YamlList.Item item : list.items()) {
      if (item.value() instanceof YamlMap m && !m.isEmpty()) {
        List<YamlMap.Entry> entries = m.entries();
        YamlMap.Entry first = entries.getFirst();
        entry(dash + key(first.key()) + ":", first.value(), first.comment(), indent + 2, out);
        for (YamlMap.Entry e : entries.subList(1, entries.size())) {
          entry(
              " ".repeat(indent + 2) + key(e.key()) + ":", e.value(), e.comment(), indent + 2, out);
        }
      } else {
        line(dash + scalar(item.value()), item.comment(), out);
      }
    }
  }

  private static boolean isFlow(YamlList list) {
    return list.items().stream()
        .allMatch(
            i ->
                i.comment() == null
                    && !(i.value() instanceof YamlMap)
                    && !(i.value() instanceof YamlList));
  }

  private static String flow(YamlList list) {
    StringBuilder b = new StringBuilder("[");
    for (YamlList.Item i : list.items()) {
      if (b.length() > 1) {
        b.append(", ");
      }
      b.append(scalar(i.value()));
    }
    return b.append(']').toString();
  }

  private static void line(String text, String comment, StringBuilder out) {
    out.append(text);
    if (comment != null && !comment.isEmpty()) {
      int pad = Math.max(2, COMMENT_COLUMN - text.length());
      out.append(" ".repeat(pad)).append("# ").append(comment.replace('\n', ' '));
    }
    out.append('\n');
  }

  private static String key(String key) {
    return needsQuotes(key) ? quote(key) : key;
  }

  static String scalar(Object value) {
    return switch (value) {
      case Integer i -> i.toString();
      case Long l -> l.toString();
      case Boolean b -> b.toString();
      case String s -> needsQuotes(s) ? quote(s) : s;
      default -> throw new IllegalArgumentException("not a YAML scalar: " + value.getClass());
    };
  }

  /** Quoted when plain YAML would read it as something else than this string. */
  static boolean needsQuotes(String s) {
    if (s.isEmpty() || !s.equals(s.strip())) {
      return true;
    }
    if (RESERVED.contains(s.toLowerCase(Locale.ROOT)) || NUMBER.matcher(s).matches()) {
      return true;
    }
    if ("-?:,[]{}#&*!|>'\"%@`".indexOf(s.charAt(0)) >= 0) {
      return true;
    }
    if (s.contains(": ") || s.contains(" #") || s.endsWith(":")) {
      return true;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return true;
      }
    }
    return false;
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\x%02x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
