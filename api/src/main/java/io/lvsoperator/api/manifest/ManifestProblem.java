package io.lvsoperator.api.manifest;

/**
 * How the reader words what it refuses: {@code file document N: Kind ns/name: field: value why}.
 */
final class ManifestProblem {
  /** Values longer than this are cut in messages: a 60 kB scalar is not repeated in a log line. */
  private static final int SHOWN_CHARS = 64;

  private ManifestProblem() {}

  /**
   * A refused field: {@code spec.port: 80.5 is not an integer}. {@code shownValue} is the value as
   * the message shows it (see {@link #shown}), or null when the message names none.
   */
  record Field(String path, String shownValue, String why) {
    /** A field whose value is shown as {@link #shown} renders it. */
    static Field of(String path, String value, String why) {
      return new Field(path, value == null ? null : shown(value), why);
    }

    /** A field whose value was a string where another type belongs: shown in quotes. */
    static Field ofString(String path, String value, String why) {
      return new Field(path, render(value, true), why);
    }

    @Override
    public String toString() {
      String where = path.isEmpty() ? "(document)" : path;
      return shownValue == null ? where + ": " + why : where + ": " + shownValue + " " + why;
    }
  }

  /**
   * A value as an error shows it: quoted with escapes when it holds control or line-separator
   * characters (a CR/LF in a value must not start a new log line) or is empty, cut when long.
   */
  static String shown(String value) {
    return render(value, false);
  }

  /** Text with its control and line-separator characters escaped, neither quoted nor cut. */
  static String escaped(String text) {
    StringBuilder b = new StringBuilder();
    text.chars().forEach(c -> b.append(needsEscape(c) ? String.format("\\u%04x", c) : (char) c));
    return b.toString();
  }

  private static String render(String value, boolean quote) {
    String v = value;
    String cut = "";
    if (v.length() > SHOWN_CHARS) {
      cut = "... (" + v.length() + " characters)";
      v = v.substring(0, SHOWN_CHARS);
    }
    if (!quote && !v.isEmpty() && v.chars().noneMatch(ManifestProblem::needsEscape)) {
      return v + cut;
    }
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '\r' -> b.append("\\r");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (needsEscape(c)) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').append(cut).toString();
  }

  private static boolean needsEscape(int c) {
    return c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029;
  }
}
