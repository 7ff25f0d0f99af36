package io.lvsoperator.agent.vrrp;

import java.time.Duration;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/** A fake clock and scheduler: time moves only when the test advances it. Single-threaded. */
public final class ManualEventLoop implements EventLoop {
  private long now = 1_000_000_000L;
  private long sequence;
  private boolean running;
  private final PriorityQueue<Task> queue =
      new PriorityQueue<>(
          (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));

  private static final class Task {
    final long at;
    final long seq;
    final Runnable runnable;
    boolean cancelled;

    Task(long at, long seq, Runnable runnable) {
      this.at = at;
      this.seq = seq;
      this.runnable = runnable;
    }
  }

  @Override
  public long nanoTime() {
    return now;
  }

  @Override
  public Cancellable schedule(long delayNanos, Runnable task) {
    Task t = new Task(now + Math.max(0, delayNanos), sequence++, task);
    queue.add(t);
    return () -> t.cancelled = true;
  }

  @Override
  public void execute(Runnable task) {
    schedule(0, task);
    if (!running) {
      advance(Duration.ZERO);
    }
  }

  /** Runs everything due within {@code d}, in time order, and ends at now + d. */
  public void advance(Duration d) {
    long target = now + d.toNanos();
    runUntil(target, () -> false);
    now = Math.max(now, target);
  }

  /**
   * Runs tasks in time order until {@code condition} holds (checked after each task) or {@code max}
   * passes; returns true when the condition held.
   */
  public boolean advanceUntil(BooleanSupplier condition, Duration max) {
    long target = now + max.toNanos();
    if (condition.getAsBoolean()) {
      return true;
    }
    boolean met = runUntil(target, condition);
    if (!met) {
      now = Math.max(now, target);
    }
    return met;
  }

  private boolean runUntil(long target, BooleanSupplier condition) {
    boolean wasRunning = running;
    running = true;
    try {
      while (!queue.isEmpty() && queue.peek().at <= target) {
        Task t = queue.poll();
        if (t.cancelled) {
          continue;
        }
        now = Math.max(now, t.at);
        t.runnable.run();
        if (condition.getAsBoolean()) {
          return true;
        }
      }
      return false;
    } finally {
      running = wasRunning;
    }
  }

  /** Pending (not cancelled) tasks, to check nothing leaks. */
  public long pendingTasks() {
    return queue.stream().filter(t -> !t.cancelled).count();
  }
}
