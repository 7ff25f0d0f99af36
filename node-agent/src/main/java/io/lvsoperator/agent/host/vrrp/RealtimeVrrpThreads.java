package io.lvsoperator.agent.host.vrrp;

import io.lvsoperator.agent.host.ffm.NativeException;
import io.lvsoperator.agent.host.ffm.ThreadScheduling;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the agent's VRRP threads (the engine's loop and the advert receivers) under SCHED_RR, as
 * keepalived's {@code vrrp_rt_priority} does for its VRRP process: with every core busy, a
 * time-shared thread waits its turn and a 100 ms advert comes late enough for the backup to take
 * over (docs/benchmarks.md, "VRRP under a saturated CPU"). Only these threads: they block on a
 * socket or a timer between adverts, while the health checks and the Kubernetes client stay
 * time-shared. Refused (no CAP_SYS_NICE): said once, and VRRP runs time-shared.
 */
public final class RealtimeVrrpThreads {
  /** The priority when none is given: low among real-time threads, above every normal one. */
  public static final int DEFAULT_PRIORITY = 10;

  private static final Logger log = LoggerFactory.getLogger(RealtimeVrrpThreads.class);

  private final int priority;
  private final AtomicBoolean refusalSaid = new AtomicBoolean();

  /**
   * @param priority SCHED_RR priority 1 to 99, or 0 to leave the threads time-shared
   */
  public RealtimeVrrpThreads(int priority) {
    if (priority < 0 || priority > 99) {
      throw new IllegalArgumentException("real-time priority " + priority + " is not 0 to 99");
    }
    this.priority = priority;
  }

  /** Run first on each VRRP thread. */
  public void enterCurrentThread() {
    if (priority == 0) {
      return;
    }
    try {
      ThreadScheduling.roundRobin(priority);
      log.info(
          "event=vrrp_thread_realtime thread={} policy=SCHED_RR priority={}",
          Thread.currentThread().getName(),
          priority);
    } catch (NativeException e) {
      if (refusalSaid.compareAndSet(false, true)) {
        log.warn(
            "event=vrrp_realtime_refused priority={} error=\"{}\" effect=\"VRRP runs time-shared;"
                + " adverts may come late on a saturated CPU (needs CAP_SYS_NICE, or"
                + " --vrrp-rt-priority 0 to stop asking)\"",
            priority,
            e.getMessage());
      }
    }
  }
}
