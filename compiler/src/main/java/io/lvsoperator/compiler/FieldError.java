package io.lvsoperator.compiler;

import io.lvsoperator.api.manifest.ShownValue;

/**
 * A rejected field: where it is, what it held, and why, e.g. {@code spec.realServers[2].port: 70000
 * is not a port (1-65535)}. The value is shown escaped and cut ({@link ShownValue}): a CR/LF in a
 * manifest must not start a new line in an error or a log.
 */
public record FieldError(String path, String value, String message) {
  @Override
  public String toString() {
    return value == null
        ? path + ": " + message
        : path + ": " + ShownValue.of(value) + " " + message;
  }
}
