package io.lvsoperator.agent.vrrp;

/**
 * The single thread every virtual router runs on, with its clock. Injected so that a test can drive
 * hours of protocol time in milliseconds.
 */
public interface EventLoop {
  /** Monotonic time in nanoseconds. */
  long nanoTime();

  /** Runs {@code task} on the loop after {@code delayNanos}. */
  Cancellable schedule(long delayNanos, Runnable task);

  /** Runs {@code task} on the loop as soon as possible. */
  void execute(Runnable task);

  /** A scheduled task. */
  interface Cancellable {
    void cancel();
  }
}
