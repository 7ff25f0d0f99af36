package io.lvsoperator.compiler;

/**
 * A rejected field: where it is, what it held, and why, e.g. {@code spec.realServers[2].port: 70000
 * is not a port (1-65535)}.
 */
public record FieldError(String path, String value, String message) {
  @Override
  public String toString() {
    return value == null ? path + ": " + message : path + ": " + value + " " + message;
  }
}
