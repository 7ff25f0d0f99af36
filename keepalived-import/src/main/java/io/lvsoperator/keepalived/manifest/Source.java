package io.lvsoperator.keepalived.manifest;

import io.lvsoperator.keepalived.conf.Location;
import io.lvsoperator.keepalived.conf.Statement;
import io.lvsoperator.keepalived.model.Setting;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** The comments written beside fields, and keepalived's units turned into ours. */
final class Source {
  private Source() {}

  /** {@code lb_algo rr (keepalived.conf:12)}. */
  static String of(Statement s) {
    return s.text() + " (" + s.at() + ")";
  }

  static String of(Setting<?> s) {
    return of(s.at());
  }

  static Location at(Setting<?> s) {
    return s == null ? null : s.location();
  }

  /** {@code (keepalived's default: lb_kind NAT)}. */
  static String byDefault(String keepalived) {
    return "(keepalived's default: " + keepalived + ")";
  }

  /**
   * Seconds as one of our durations: {@code 6s}, {@code 2500ms}; null when the value has a finer
   * resolution than a millisecond.
   */
  static String duration(BigDecimal seconds) {
    BigDecimal s = seconds.stripTrailingZeros();
    if (s.scale() <= 0) {
      return s.toBigInteger() + "s";
    }
    BigDecimal ms = seconds.movePointRight(3).stripTrailingZeros();
    if (ms.scale() <= 0) {
      return ms.toBigInteger() + "ms";
    }
    return null;
  }

  /** Seconds rounded up to whole milliseconds, as a duration. */
  static String durationRoundedUp(BigDecimal seconds) {
    return seconds.movePointRight(3).setScale(0, RoundingMode.CEILING).toBigInteger() + "ms";
  }

  /** A Kubernetes object name (a DNS-1123 subdomain label) from keepalived text. */
  static String name(String text) {
    String s = text.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]+", "-");
    s = s.replaceAll("-+", "-").replaceAll("^-+", "").replaceAll("-+$", "");
    if (s.length() > 63) {
      s = s.substring(0, 63).replaceAll("-+$", "");
    }
    return s.isEmpty() ? "x" : s;
  }
}
