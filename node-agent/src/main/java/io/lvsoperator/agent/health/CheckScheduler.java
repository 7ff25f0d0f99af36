package io.lvsoperator.agent.health;

import java.time.Instant;

/**
 * Time and timers for the health monitor, injected so tests can drive hours of check time with a
 * fake clock in milliseconds.
 */
public interface CheckScheduler {

  /** Monotonic milliseconds, for latencies and intervals. */
  long monotonicMillis();

  /** Wall-clock time, for the "since" of reported states. */
  Instant now();

  /** Runs {@code task} once after {@code delayMillis}. */
  Cancellable schedule(Runnable task, long delayMillis);

  /** A scheduled task that can be cancelled. */
  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }
}
