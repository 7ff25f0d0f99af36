package io.lvsoperator.agent.health;

import io.netty.channel.EventLoopGroup;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/** Timers on the probes' own Netty event loop group: no extra threads for scheduling. */
public final class EventLoopCheckScheduler implements CheckScheduler {

  private final EventLoopGroup group;

  public EventLoopCheckScheduler(EventLoopGroup group) {
    this.group = group;
  }

  @Override
  public long monotonicMillis() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
  }

  @Override
  public Instant now() {
    return Instant.now();
  }

  @Override
  public Cancellable schedule(Runnable task, long delayMillis) {
    try {
      var future = group.next().schedule(task, delayMillis, TimeUnit.MILLISECONDS);
      return () -> future.cancel(false);
    } catch (RejectedExecutionException e) {
      // The group is shutting down: nothing more to run.
      return () -> {};
    }
  }
}
