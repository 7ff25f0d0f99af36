package io.lvsoperator.agent.vrrp.codec;

/** A VRRP message that cannot be built or decoded; the message names the field and the value. */
public final class VrrpCodecException extends RuntimeException {
  public VrrpCodecException(String message) {
    super(message);
  }
}
