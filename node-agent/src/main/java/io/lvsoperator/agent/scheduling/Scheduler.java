package io.lvsoperator.agent.scheduling;

import java.time.Instant;

/**
 * Time and timers, injected so that a test can drive hours of protocol or check time in
 * milliseconds. The VRRP engine runs every virtual router on one (a single thread, {@link
 * ScheduledExecutorEventLoop}); the health monitor schedules its probes on one (the probes' Netty
 * event loops). Tests use one fake for both.
 */
public interface Scheduler {
  /** Monotonic time in nanoseconds, for intervals and latencies. */
  long nanoTime();

  /** Wall-clock time, for the "since" of reported states. */
  Instant now();

  /** Runs {@code task} once after {@code delayNanos} (0 or less: as soon as possible). */
  Cancellable schedule(Runnable task, long delayNanos);

  /** Runs {@code task} as soon as possible. */
  void execute(Runnable task);

  /** A scheduled task that can be cancelled. */
  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }
}
