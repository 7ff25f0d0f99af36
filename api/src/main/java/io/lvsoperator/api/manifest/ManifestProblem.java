package io.lvsoperator.api.manifest;

/**
 * How the reader words what it refuses: {@code file document N: Kind ns/name: field: value why}.
 */
final class ManifestProblem {
  private ManifestProblem() {}

  /**
   * A refused field: {@code spec.port: 80.5 is not an integer}. {@code shownValue} is the value as
   * the message shows it ({@link ShownValue}), or null when the message names none.
   */
  record Field(String path, String shownValue, String why) {
    /** A field whose value is shown as {@link ShownValue#of} renders it. */
    static Field of(String path, String value, String why) {
      return new Field(path, value == null ? null : ShownValue.of(value), why);
    }

    /** A field whose value was a string where another type belongs: shown in quotes. */
    static Field ofString(String path, String value, String why) {
      return new Field(path, ShownValue.quoted(value), why);
    }

    @Override
    public String toString() {
      String where = path.isEmpty() ? "(document)" : path;
      return shownValue == null ? where + ": " + why : where + ": " + shownValue + " " + why;
    }
  }
}
