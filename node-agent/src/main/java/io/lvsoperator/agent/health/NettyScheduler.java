package io.lvsoperator.agent.health;

import io.lvsoperator.agent.scheduling.Scheduler;
import io.netty.channel.EventLoopGroup;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Timers on the probes' own Netty event loop group: no extra threads for scheduling. Until the
 * group is made ({@link LazyNetty}, on a thread of its own), a timer waits for it there: the caller
 * (an apply, on its way to IPVS and VRRP) does not.
 */
public final class NettyScheduler implements Scheduler {

  private final LazyNetty netty;

  NettyScheduler(LazyNetty netty) {
    this.netty = netty;
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Instant now() {
    return Instant.now();
  }

  @Override
  public Cancellable schedule(Runnable task, long delayNanos) {
    try {
      EventLoopGroup group = netty.eventLoopGroupIfMade();
      if (group != null) {
        var future = group.next().schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
      }
      PendingTimer pending = new PendingTimer(task, nanoTime() + delayNanos);
      netty.whenMade(pending::arm);
      return pending::cancel;
    } catch (RejectedExecutionException e) {
      // The group is shutting down: nothing more to run.
      return () -> {};
    }
  }

  @Override
  public void execute(Runnable task) {
    try {
      EventLoopGroup group = netty.eventLoopGroupIfMade();
      if (group != null) {
        group.next().execute(task);
      } else {
        netty.whenMade(g -> g.next().execute(task));
      }
    } catch (RejectedExecutionException e) {
      // The group is shutting down: nothing more to run.
    }
  }

  /** A timer asked for before the group was made: armed when it is, at its original due time. */
  private final class PendingTimer {
    private final Runnable task;
    private final long dueNanos;
    private Cancellable armed; // guarded by this
    private boolean cancelled; // guarded by this

    PendingTimer(Runnable task, long dueNanos) {
      this.task = task;
      this.dueNanos = dueNanos;
    }

    synchronized void arm(EventLoopGroup group) {
      if (cancelled) {
        return;
      }
      try {
        var future = group.next().schedule(task, dueNanos - nanoTime(), TimeUnit.NANOSECONDS);
        armed = () -> future.cancel(false);
      } catch (RejectedExecutionException e) {
        // The group is shutting down: nothing more to run.
      }
    }

    synchronized void cancel() {
      cancelled = true;
      if (armed != null) {
        armed.cancel();
      }
    }
  }
}
