package io.lvsoperator.keepalived.conf;

import java.util.ArrayList;
import java.util.List;

/**
 * keepalived's lexical rules for one line, as its parser ({@code lib/parser.c}) applies them:
 * comments start at an unquoted {@code #} or {@code !} ({@code \#} and {@code \!} escape them),
 * braces outside double quotes stand alone, and words are separated by white space, a double-quoted
 * string being one word without its quotes.
 */
final class LineLexer {
  private LineLexer() {}

  /** Thrown for a line keepalived cannot read either. */
  static final class LexException extends Exception {
    LexException(String message) {
      super(message);
    }
  }

  /** The line without its comment and without leading and trailing white space. */
  static String decomment(String line) throws LexException {
    StringBuilder out = new StringBuilder(line.length());
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == '\\' && i + 1 < line.length()) {
        char next = line.charAt(i + 1);
        if (!quoted && (next == '#' || next == '!')) {
          out.append(next);
          i++;
          continue;
        }
        out.append(c).append(next);
        i++;
        continue;
      } else if (!quoted && (c == '#' || c == '!')) {
        break;
      }
      out.append(c);
    }
    if (quoted) {
      throw new LexException("unterminated quote in " + line.strip());
    }
    return out.toString().strip();
  }

  /**
   * Splits a decommented line at its unquoted braces: {@code url { path / }} gives {@code url},
   * {@code {}, {@code path /} and {@code }}, each a line of its own as keepalived reads them.
   */
  static List<String> splitBraces(String line) {
    List<String> parts = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      }
      if (!quoted && (c == '{' || c == '}')) {
        flush(current, parts);
        parts.add(String.valueOf(c));
        continue;
      }
      current.append(c);
    }
    flush(current, parts);
    return parts;
  }

  private static void flush(StringBuilder current, List<String> parts) {
    String s = current.toString().strip();
    if (!s.isEmpty()) {
      parts.add(s);
    }
    current.setLength(0);
  }

  /** The words of a line: white space separates them; "a b" is one word, a b. */
  static List<String> words(String line) throws LexException {
    List<String> words = new ArrayList<>();
    int i = 0;
    int n = line.length();
    while (true) {
      while (i < n && isSpace(line.charAt(i))) {
        i++;
      }
      if (i >= n) {
        return words;
      }
      if (line.charAt(i) == '"') {
        int end = line.indexOf('"', i + 1);
        if (end < 0) {
          throw new LexException("unmatched quote in " + line);
        }
        words.add(line.substring(i + 1, end));
        i = end + 1;
      } else {
        int start = i;
        while (i < n && !isSpace(line.charAt(i)) && line.charAt(i) != '"') {
          i++;
        }
        words.add(line.substring(start, i));
      }
    }
  }

  static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\f' || c == '\n' || c == '\r' || c == 0x0b;
  }
}
