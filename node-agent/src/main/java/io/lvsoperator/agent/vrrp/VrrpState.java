package io.lvsoperator.agent.vrrp;

/** States of a virtual router: RFC 5798 section 6.4, plus FAULT. */
public enum VrrpState {
  /** Not running (before start, after shutdown). */
  INITIALIZE,
  /** Watching the master; takes over when Master_Down_Timer fires. */
  BACKUP,
  /** Holding the virtual addresses and advertising. */
  MASTER,
  /**
   * A tracked interface is down or the data plane is not ready: neither advertises nor takes over.
   */
  FAULT
}
