package io.lvsoperator.agent.vrrp;

/**
 * One state change of one instance.
 *
 * @param reason why, e.g. {@code master-down-timer}, {@code higher-priority-advert}, {@code fault}
 * @param atNanos the event loop's clock when it happened
 */
public record VrrpTransition(
    String instance, VrrpState from, VrrpState to, String reason, long atNanos) {

  /** Receives every state change, on the event loop. */
  @FunctionalInterface
  public interface Listener {
    void onTransition(VrrpTransition transition);
  }
}
