package io.lvsoperator.agent.vrrp;

/**
 * What being master means on the host: VIPs and gratuitous ARP. Called on the event loop; an
 * implementation must not block it for long (queue repeated GARPs on the loop's scheduler).
 */
public interface VrrpEffects {
  /** Became master: add the VIPs (label, prefix) and send gratuitous ARPs as configured. */
  void onBecomeMaster(VrrpInstanceConfig config);

  /** No longer master: remove the VIPs. */
  void onLeaveMaster(VrrpInstanceConfig config);

  /**
   * While master, the VIP list changed: make the host hold {@code now} instead of {@code before}.
   */
  default void onAddressesChanged(VrrpInstanceConfig before, VrrpInstanceConfig now) {
    onLeaveMaster(before);
    onBecomeMaster(now);
  }

  /**
   * An instance starts: remove any of its VIPs a previous run left behind (keepalived leaves one
   * after kill -9; we must not).
   */
  void removeStale(VrrpInstanceConfig config);

  /** Effects that do nothing (tests, dry runs). */
  VrrpEffects NONE =
      new VrrpEffects() {
        @Override
        public void onBecomeMaster(VrrpInstanceConfig config) {}

        @Override
        public void onLeaveMaster(VrrpInstanceConfig config) {}

        @Override
        public void removeStale(VrrpInstanceConfig config) {}
      };
}
