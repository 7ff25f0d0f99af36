package io.lvsoperator.compiler;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The field errors of one object, collected rather than stopped at, with the range checks every
 * validator shares.
 */
final class FieldErrors {
  private final List<FieldError> errors = new ArrayList<>();

  void add(String path, String value, String message) {
    errors.add(new FieldError(path, value, message));
  }

  boolean isEmpty() {
    return errors.isEmpty();
  }

  int size() {
    return errors.size();
  }

  List<FieldError> list() {
    return List.copyOf(errors);
  }

  /** A duration in milliseconds between {@code minMs} and 1h; {@code dflt} when absent or bad. */
  int duration(String path, String text, int dflt, long minMs) {
    if (text == null) {
      return dflt;
    }
    OptionalLong ms = Durations.toMillis(text);
    if (ms.isEmpty()) {
      add(path, text, "is not a duration like 500ms, 6s or 1m");
      return dflt;
    }
    if (ms.getAsLong() < minMs || ms.getAsLong() > 3_600_000) {
      add(path, text, "is out of range (" + minMs + "ms-1h)");
      return dflt;
    }
    return (int) ms.getAsLong();
  }

  /** A count 1-100; {@code dflt} when absent. */
  int count(String path, Integer value, int dflt) {
    if (value == null) {
      return dflt;
    }
    if (value < 1 || value > 100) {
      add(path, value.toString(), "is out of range (1-100)");
    }
    return value;
  }

  /** Reports {@code value} outside {@code min..max} as "is out of range (min-max)". */
  void range(String path, long value, long min, long max) {
    if (value < min || value > max) {
      add(path, Long.toString(value), "is out of range (" + min + "-" + max + ")");
    }
  }
}
