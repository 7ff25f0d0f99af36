package io.lvsoperator.keepalived.conf;

/**
 * One finding of the import, printed as {@code file:line: keyword: message}.
 *
 * @param at where, or null for a finding about the whole input (a missing file named on the command
 *     line)
 * @param keyword the keepalived keyword the finding is about ("" when none)
 */
public record Diagnostic(Severity severity, Location at, String keyword, String message) {

  public static Diagnostic note(Location at, String keyword, String message) {
    return new Diagnostic(Severity.NOTE, at, keyword, message);
  }

  public static Diagnostic unsupported(Location at, String keyword, String message) {
    return new Diagnostic(Severity.UNSUPPORTED, at, keyword, message);
  }

  public static Diagnostic error(Location at, String keyword, String message) {
    return new Diagnostic(Severity.ERROR, at, keyword, message);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    if (at != null) {
      b.append(at).append(": ");
    }
    if (!keyword.isEmpty()) {
      b.append(keyword).append(": ");
    }
    return b.append(message).toString();
  }
}
