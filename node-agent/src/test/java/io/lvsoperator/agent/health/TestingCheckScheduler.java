package io.lvsoperator.agent.health;

import java.time.Instant;
import java.util.PriorityQueue;

/** A fake clock and timer queue: time moves only when a test advances it. */
final class TestingCheckScheduler implements CheckScheduler {

  static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private long now;
  private long seq;

  private static final class Task implements Comparable<Task> {
    final long at;
    final long order;
    final Runnable runnable;
    boolean cancelled;

    Task(long at, long order, Runnable runnable) {
      this.at = at;
      this.order = order;
      this.runnable = runnable;
    }

    @Override
    public int compareTo(Task o) {
      return at != o.at ? Long.compare(at, o.at) : Long.compare(order, o.order);
    }
  }

  @Override
  public synchronized long monotonicMillis() {
    return now;
  }

  @Override
  public synchronized Instant now() {
    return EPOCH.plusMillis(now);
  }

  @Override
  public synchronized Cancellable schedule(Runnable task, long delayMillis) {
    if (delayMillis < 0) {
      throw new IllegalArgumentException("negative delay " + delayMillis);
    }
    Task t = new Task(now + delayMillis, seq++, task);
    queue.add(t);
    return () -> t.cancelled = true;
  }

  /** Runs every task due up to {@code time}, moving the clock to each task's time in turn. */
  void advanceTo(long time) {
    while (true) {
      Task next;
      synchronized (this) {
        next = queue.peek();
        if (next == null || next.at > time) {
          now = Math.max(now, time);
          return;
        }
        queue.poll();
        now = next.at;
      }
      if (!next.cancelled) {
        next.runnable.run();
      }
    }
  }

  void advanceBy(long millis) {
    advanceTo(now + millis);
  }

  synchronized long time() {
    return now;
  }

  synchronized long pendingTasks() {
    return queue.stream().filter(t -> !t.cancelled).count();
  }
}
