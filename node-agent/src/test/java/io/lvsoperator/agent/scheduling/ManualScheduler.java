package io.lvsoperator.agent.scheduling;

import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The fake {@link Scheduler} of every test: time moves only when the test advances it, and tasks
 * run on the test's thread in time order (equal times in the order they were scheduled). The VRRP
 * tests advance it by durations; the health tests by milliseconds since the start ({@link
 * #advanceTo}), with the wall clock at {@link #EPOCH} plus that time. Thread-safe: tasks may be
 * scheduled from other threads (a probe completing), and run outside the lock.
 */
public final class ManualScheduler implements Scheduler {

  /** The wall-clock time at the start. */
  public static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

  /** The monotonic clock at the start (not 0: nothing may read 0 as "never"). */
  private static final long START_NANOS = 1_000_000_000L;

  private long now = START_NANOS;
  private long sequence;
  private boolean running;
  private final PriorityQueue<Task> queue =
      new PriorityQueue<>(
          (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));

  private static final class Task {
    final long at;
    final long seq;
    final Runnable runnable;
    volatile boolean cancelled;

    Task(long at, long seq, Runnable runnable) {
      this.at = at;
      this.seq = seq;
      this.runnable = runnable;
    }
  }

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized Instant now() {
    return EPOCH.plusNanos(now - START_NANOS);
  }

  @Override
  public synchronized Cancellable schedule(Runnable task, long delayNanos) {
    Task t = new Task(now + Math.max(0, delayNanos), sequence++, task);
    queue.add(t);
    return () -> t.cancelled = true;
  }

  @Override
  public void execute(Runnable task) {
    boolean idle;
    synchronized (this) {
      schedule(task, 0);
      idle = !running;
    }
    if (idle) {
      advance(Duration.ZERO);
    }
  }

  /** Runs everything due within {@code d}, in time order, and ends at now + d. */
  public void advance(Duration d) {
    long target;
    synchronized (this) {
      target = now + d.toNanos();
    }
    runUntil(target, () -> false);
    synchronized (this) {
      now = Math.max(now, target);
    }
  }

  /**
   * Runs tasks in time order until {@code condition} holds (checked after each task) or {@code max}
   * passes; returns true when the condition held.
   */
  public boolean advanceUntil(BooleanSupplier condition, Duration max) {
    long target;
    synchronized (this) {
      target = now + max.toNanos();
    }
    if (condition.getAsBoolean()) {
      return true;
    }
    boolean met = runUntil(target, condition);
    if (!met) {
      synchronized (this) {
        now = Math.max(now, target);
      }
    }
    return met;
  }

  /** Runs every task due up to {@code millis} after the start, moving the clock to each in turn. */
  public void advanceTo(long millis) {
    long target = START_NANOS + TimeUnit.MILLISECONDS.toNanos(millis);
    synchronized (this) {
      if (target <= now) {
        return;
      }
    }
    advance(Duration.ofNanos(target - nanoTime()));
  }

  /** Runs every task due in the next {@code millis}. */
  public void advanceBy(long millis) {
    advance(Duration.ofMillis(millis));
  }

  /** Milliseconds since the start. */
  public synchronized long time() {
    return TimeUnit.NANOSECONDS.toMillis(now - START_NANOS);
  }

  /** Pending (not cancelled) tasks, to check nothing leaks. */
  public synchronized long pendingTasks() {
    return queue.stream().filter(t -> !t.cancelled).count();
  }

  private boolean runUntil(long target, BooleanSupplier condition) {
    boolean wasRunning;
    synchronized (this) {
      wasRunning = running;
      running = true;
    }
    try {
      while (true) {
        Task t;
        synchronized (this) {
          t = queue.peek();
          if (t == null || t.at > target) {
            return false;
          }
          queue.poll();
          now = Math.max(now, t.at);
        }
        if (t.cancelled) {
          continue;
        }
        t.runnable.run();
        if (condition.getAsBoolean()) {
          return true;
        }
      }
    } finally {
      synchronized (this) {
        running = wasRunning;
      }
    }
  }
}
