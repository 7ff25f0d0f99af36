package io.lvsoperator.agent.scheduling;

import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The production event loop: one platform thread, {@link System#nanoTime()}. */
public final class ScheduledExecutorEventLoop implements Scheduler, AutoCloseable {
  private final ScheduledExecutorService executor;

  public ScheduledExecutorEventLoop(String threadName) {
    this(threadName, () -> {});
  }

  /**
   * @param onThreadStart run first on the loop's thread (e.g. to give it real-time scheduling)
   */
  public ScheduledExecutorEventLoop(String threadName, Runnable onThreadStart) {
    ScheduledThreadPoolExecutor e =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t =
                  new Thread(
                      () -> {
                        onThreadStart.run();
                        r.run();
                      },
                      threadName);
              t.setDaemon(true);
              return t;
            });
    // Cancelled master-down timers must not pile up in the queue.
    e.setRemoveOnCancelPolicy(true);
    this.executor = Executors.unconfigurableScheduledExecutorService(e);
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
    ScheduledFuture<?> f = executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public void execute(Runnable task) {
    executor.execute(task);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
