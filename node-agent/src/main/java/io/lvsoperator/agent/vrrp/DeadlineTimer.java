package io.lvsoperator.agent.vrrp;

import io.lvsoperator.agent.scheduling.Scheduler;

/**
 * A one-shot timer that is cheap to push back: re-arming to a later deadline (a backup hearing each
 * advert) only moves a field; the scheduled task notices and re-schedules itself once when it fires
 * early. Runs on the event loop only.
 */
final class DeadlineTimer {
  private final Scheduler loop;
  private final Runnable action;
  private final Runnable fireTask = this::fire;
  private long deadline;
  private boolean armed;
  private Scheduler.Cancellable pending;
  private long pendingAt;

  DeadlineTimer(Scheduler loop, Runnable action) {
    this.loop = loop;
    this.action = action;
  }

  void arm(long delayNanos) {
    long now = loop.nanoTime();
    deadline = now + delayNanos;
    armed = true;
    if (pending != null && pendingAt > deadline) {
      pending.cancel();
      pending = null;
    }
    if (pending == null) {
      schedule(now);
    }
  }

  void disarm() {
    armed = false;
    if (pending != null) {
      pending.cancel();
      pending = null;
    }
  }

  boolean armed() {
    return armed;
  }

  /** Nanoseconds until it fires, or -1 when disarmed. */
  long remainingNanos() {
    return armed ? Math.max(0, deadline - loop.nanoTime()) : -1;
  }

  private void schedule(long now) {
    pendingAt = deadline;
    pending = loop.schedule(fireTask, deadline - now);
  }

  private void fire() {
    pending = null;
    if (!armed) {
      return;
    }
    long now = loop.nanoTime();
    if (now < deadline) {
      schedule(now);
      return;
    }
    armed = false;
    action.run();
  }
}
