package io.lvsoperator.agent.vrrp;

import io.lvsoperator.agent.vrrp.codec.VrrpVersion;

/** The timer formulas of RFC 5798 section 6.1 and RFC 3768 section 6.1, in nanoseconds. */
public final class VrrpTimers {
  private VrrpTimers() {}

  private static final long CENTI = 10_000_000L;
  private static final long SECOND = 1_000_000_000L;

  /**
   * Skew_Time. v3: ((256 - Priority) * Master_Adver_Interval) / 256. v2: (256 - Priority) / 256
   * seconds, whatever the advert interval.
   */
  public static long skewTimeNanos(
      VrrpVersion version, int priority, int masterAdverIntervalCentis) {
    return version == VrrpVersion.V3
        ? (256L - priority) * masterAdverIntervalCentis * CENTI / 256
        : (256L - priority) * SECOND / 256;
  }

  /**
   * Master_Down_Interval. v3: 3 * Master_Adver_Interval + Skew_Time. v2: 3 * Advertisement_Interval
   * + Skew_Time.
   */
  public static long masterDownIntervalNanos(
      VrrpVersion version, int priority, int masterAdverIntervalCentis) {
    return 3L * masterAdverIntervalCentis * CENTI
        + skewTimeNanos(version, priority, masterAdverIntervalCentis);
  }
}
