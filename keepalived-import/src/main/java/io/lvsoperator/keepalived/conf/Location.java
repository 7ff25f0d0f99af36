package io.lvsoperator.keepalived.conf;

/**
 * A line of a keepalived configuration file.
 *
 * @param file the file as the user named it (or, for an included file, as the include resolved it)
 * @param line 1-based line number
 */
public record Location(String file, int line) {
  @Override
  public String toString() {
    return file + ":" + line;
  }
}
