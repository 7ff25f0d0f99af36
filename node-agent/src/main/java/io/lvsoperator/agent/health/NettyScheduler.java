package io.lvsoperator.agent.health;

import io.lvsoperator.agent.scheduling.Scheduler;
import io.netty.channel.EventLoopGroup;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/** Timers on the probes' own Netty event loop group: no extra threads for scheduling. */
public final class NettyScheduler implements Scheduler {

  private final EventLoopGroup group;

  public NettyScheduler(EventLoopGroup group) {
    this.group = group;
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
      var future = group.next().schedule(task, delayNanos, TimeUnit.NANOSECONDS);
      return () -> future.cancel(false);
    } catch (RejectedExecutionException e) {
      // The group is shutting down: nothing more to run.
      return () -> {};
    }
  }

  @Override
  public void execute(Runnable task) {
    try {
      group.next().execute(task);
    } catch (RejectedExecutionException e) {
      // The group is shutting down: nothing more to run.
    }
  }
}
