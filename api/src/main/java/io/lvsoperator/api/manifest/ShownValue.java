package io.lvsoperator.api.manifest;

/**
 * A field's value as an error message shows it: as written when it is plain text; quoted with
 * escapes when it holds control or line-separator characters (a CR/LF in a manifest must not start
 * a new log line) or is empty; cut at 64 characters when longer. Shared by the manifest reader and
 * the compiler's field errors.
 */
public final class ShownValue {
  private static final int SHOWN_CHARS = 64;

  private ShownValue() {}

  public static String of(String value) {
    return render(value, false);
  }

  /** The value always in quotes: a string where another type belongs ({@code "80"}). */
  public static String quoted(String value) {
    return render(value, true);
  }

  /** Text with its control and line-separator characters escaped, neither quoted nor cut. */
  public static String escaped(String text) {
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
    if (!quote && !v.isEmpty() && v.chars().noneMatch(ShownValue::needsEscape)) {
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
