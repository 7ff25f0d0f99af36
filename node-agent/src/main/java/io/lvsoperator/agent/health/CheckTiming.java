package io.lvsoperator.agent.health;

/**
 * The timing of one check, resolved from the check definition with keepalived's meaning.
 *
 * <ul>
 *   <li>{@code intervalMs} is keepalived's {@code delay_loop}: the pause after a check completes
 *       (not a fixed period: like keepalived, the next check is timed from the end of the last, so
 *       checks of one server never overlap).
 *   <li>{@code timeoutMs} is keepalived's {@code connect_timeout}, but bounds the whole probe
 *       (connect, TLS, request and the complete response), where keepalived applies it to each
 *       connect and each read.
 *   <li>{@code delayBeforeRetryMs} is the pause after a failure of a server still up, before the
 *       next try (keepalived's {@code delay_before_retry}).
 *   <li>{@code fall}: consecutive failures that take an up server down. keepalived's {@code retry
 *       N} means "retry N times, then declare down", i.e. N + 1 failures, so when {@code retry} is
 *       set it wins: fall = retry + 1.
 *   <li>{@code rise}: consecutive successes that bring a down server back (keepalived: always 1).
 * </ul>
 *
 * Values of 0 mean "not set" and take the defaults aimed at fast detection: interval 500 ms,
 * timeout 500 ms, delay before retry = interval, rise 2, fall 2.
 */
public record CheckTiming(
    long intervalMs, long timeoutMs, long delayBeforeRetryMs, int rise, int fall) {

  public static final long DEFAULT_INTERVAL_MS = 500;
  public static final long DEFAULT_TIMEOUT_MS = 500;
  public static final int DEFAULT_RISE = 2;
  public static final int DEFAULT_FALL = 2;

  public CheckTiming {
    if (intervalMs <= 0) {
      throw new IllegalArgumentException("healthCheck.intervalMs: " + intervalMs + " is not > 0");
    }
    if (timeoutMs <= 0) {
      throw new IllegalArgumentException("healthCheck.timeoutMs: " + timeoutMs + " is not > 0");
    }
    if (delayBeforeRetryMs < 0) {
      throw new IllegalArgumentException(
          "healthCheck.delayBeforeRetryMs: " + delayBeforeRetryMs + " is negative");
    }
    if (rise < 1) {
      throw new IllegalArgumentException("healthCheck.rise: " + rise + " is not >= 1");
    }
    if (fall < 1) {
      throw new IllegalArgumentException("healthCheck.fall: " + fall + " is not >= 1");
    }
  }

  /** Resolves a check definition, applying keepalived's retry rule and the defaults. */
  public static CheckTiming of(HealthCheck check) {
    long interval = check.intervalMs() > 0 ? check.intervalMs() : DEFAULT_INTERVAL_MS;
    long timeout = check.timeoutMs() > 0 ? check.timeoutMs() : DEFAULT_TIMEOUT_MS;
    long retryDelay = check.delayBeforeRetryMs() > 0 ? check.delayBeforeRetryMs() : interval;
    int rise = check.rise() > 0 ? check.rise() : DEFAULT_RISE;
    int fall;
    if (check.retry() != null) {
      if (check.retry() < 0) {
        throw new IllegalArgumentException("healthCheck.retry: " + check.retry() + " is negative");
      }
      fall = check.retry() + 1;
    } else {
      fall = check.fall() > 0 ? check.fall() : DEFAULT_FALL;
    }
    return new CheckTiming(interval, timeout, retryDelay, rise, fall);
  }
}
