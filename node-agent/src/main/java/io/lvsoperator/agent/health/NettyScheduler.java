package io.lvsoperator.agent.health;

import io.lvsoperator.agent.scheduling.Scheduler;
import io.netty.channel.EventLoopGroup;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Timers on the probes' own Netty event loop group: no extra threads for scheduling. */
public final class NettyScheduler implements Scheduler {

  private final Supplier<EventLoopGroup> group;

  /**
   * @param group asked for on each timer (made on the first, {@link LazyNetty}); it throws {@link
   *     RejectedExecutionException} once there is none any more
   */
  NettyScheduler(Supplier<EventLoopGroup> group) {
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
      var future = group.get().next().schedule(task, delayNanos, TimeUnit.NANOSECONDS);
      return () -> future.cancel(false);
    } catch (RejectedExecutionException e) {
      // The group is shutting down: nothing more to run.
      return () -> {};
    }
  }

  @Override
  public void execute(Runnable task) {
    try {
      group.get().next().execute(task);
    } catch (RejectedExecutionException e) {
      // The group is shutting down: nothing more to run.
    }
  }
}
