package io.lvsoperator.compiler;

import io.lvsoperator.api.v1alpha1.Patterns;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/** Parses the CRDs' durations: digits then ms, s or m ("500ms", "6s", "1m"). */
final class Durations {
  private static final Pattern DURATION = Pattern.compile(Patterns.DURATION);

  private Durations() {}

  /** Milliseconds, or empty when the text is not a duration. */
  static OptionalLong toMillis(String text) {
    if (text == null || !DURATION.matcher(text).matches()) {
      return OptionalLong.empty();
    }
    if (text.endsWith("ms")) {
      return OptionalLong.of(Long.parseLong(text.substring(0, text.length() - 2)));
    }
    long n = Long.parseLong(text.substring(0, text.length() - 1));
    return OptionalLong.of(text.endsWith("m") ? n * 60_000 : n * 1_000);
  }
}
