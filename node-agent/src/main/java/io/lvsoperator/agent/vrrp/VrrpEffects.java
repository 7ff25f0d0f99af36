package io.lvsoperator.agent.vrrp;

/**
 * What being master means on the host: VIPs and gratuitous ARP. Called on the event loop; an
 * implementation must not block it for long (queue repeated GARPs on another scheduler).
 *
 * <p>Order on becoming master: {@link #onBecomeMaster} (VIPs), then the router's first advert, then
 * {@link #announce} (GARPs), so a master being preempted hears us as soon as our VIPs are up and
 * the overlap of two holders is as short as the wire allows.
 */
public interface VrrpEffects {
  /**
   * Becoming master: add the VIPs (label, prefix).
   *
   * @return false when a VIP could not be added; the router then removes what was added, sends no
   *     advert and stays in FAULT for a while before it tries again (a master without its VIPs
   *     would black-hole the traffic that its adverts attract)
   */
  boolean onBecomeMaster(VrrpInstanceConfig config);

  /**
   * Just became master and sent the first advert: gratuitous ARPs for every VIP (count and spacing
   * from {@link VrrpInstanceConfig#garp()}).
   */
  default void announce(VrrpInstanceConfig config) {}

  /**
   * Still master one refresh period later ({@code garp.refresh}, keepalived's garp_master_refresh):
   * one gratuitous ARP per VIP, for neighbours whose cache lost or never learnt the entry.
   */
  default void refresh(VrrpInstanceConfig config) {}

  /**
   * How often a master (and a master handing over) calls {@link #renewAddresses} for {@code
   * config}; zero when its VIPs need no renewal (they stay until removed).
   */
  default java.time.Duration addressRenewalInterval(VrrpInstanceConfig config) {
    return java.time.Duration.ZERO;
  }

  /**
   * Still master, every {@link #addressRenewalInterval}: renew the VIPs' kernel lifetime, so that
   * they go away by themselves within about a lifetime once this process no longer runs.
   */
  default void renewAddresses(VrrpInstanceConfig config) {}

  /** No longer master: remove the VIPs. */
  void onLeaveMaster(VrrpInstanceConfig config);

  /**
   * While master, the VIP list changed: make the host hold {@code now} instead of {@code before}.
   *
   * @return false when a VIP of {@code now} could not be added (handled as in {@link
   *     #onBecomeMaster})
   */
  default boolean onAddressesChanged(VrrpInstanceConfig before, VrrpInstanceConfig now) {
    onLeaveMaster(before);
    return onBecomeMaster(now);
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
        public boolean onBecomeMaster(VrrpInstanceConfig config) {
          return true;
        }

        @Override
        public void onLeaveMaster(VrrpInstanceConfig config) {}

        @Override
        public void removeStale(VrrpInstanceConfig config) {}
      };
}
