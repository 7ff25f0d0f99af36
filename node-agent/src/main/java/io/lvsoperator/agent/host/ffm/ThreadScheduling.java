package io.lvsoperator.agent.host.ffm;

/**
 * Real-time scheduling of one thread (sched_setscheduler): what keepalived's {@code
 * vrrp_rt_priority} does for its VRRP process, done here for the agent's VRRP threads only.
 */
public final class ThreadScheduling {
  /** {@code SCHED_OTHER}, the kernel's default (time-sharing) policy. */
  public static final int SCHED_OTHER = 0;

  /** {@code SCHED_RR}: real-time, round-robin among threads of equal priority. */
  public static final int SCHED_RR = 2;

  private ThreadScheduling() {}

  /**
   * Puts the calling thread under SCHED_RR at {@code priority} (1 to 99, else the kernel's EINVAL).
   * Needs CAP_SYS_NICE or an RLIMIT_RTPRIO of at least {@code priority}; EPERM otherwise.
   */
  public static void roundRobin(int priority) throws NativeException {
    Libc.setCallingThreadScheduler(
        SCHED_RR, priority, "sched_setscheduler(SCHED_RR, " + priority + ")");
  }
}
