package io.lvsoperator.agent.vrrp;

/** A VRRP instance configuration that cannot run; the message names the field and the value. */
public final class VrrpConfigException extends IllegalArgumentException {
  public VrrpConfigException(String message) {
    super(message);
  }
}
