package io.lvsoperator.agent.vrrp;

/**
 * One state change of one instance.
 *
 * @param reason why (docs/vrrp.md lists them): {@code startup}, {@code master-down-timer}, {@code
 *     master-stopped}, {@code higher-priority-advert}, {@code higher-address-advert}, {@code
 *     link-down}, {@code data-plane-unready}, {@code vip-add-failed}, {@code sync-group-fault},
 *     {@code fault-cleared}, {@code sync-group}, {@code shutdown}, {@code new-master-heard}, {@code
 *     handover-bound}
 * @param atNanos the event loop's clock when it happened
 * @param failoverNanos for a BACKUP to MASTER change that replaced a master this router had heard:
 *     from that master's last advert to this router's VIPs being added; -1 otherwise
 */
public record VrrpTransition(
    String instance,
    VrrpState from,
    VrrpState to,
    String reason,
    long atNanos,
    long failoverNanos) {

  /** A change that is not a failover. */
  public VrrpTransition(
      String instance, VrrpState from, VrrpState to, String reason, long atNanos) {
    this(instance, from, to, reason, atNanos, -1);
  }

  /** Receives every state change, on the event loop. */
  @FunctionalInterface
  public interface Listener {
    void onTransition(VrrpTransition transition);
  }
}
