package io.lvsoperator.agent.vrrp.codec;

/** The type nibble of a VRRP message. */
public enum VrrpType {
  ADVERTISEMENT(1);

  private final int value;

  VrrpType(int value) {
    this.value = value;
  }

  public int value() {
    return value;
  }

  public static VrrpType fromValue(int value) {
    if (value == 1) {
      return ADVERTISEMENT;
    }
    throw new VrrpCodecException("type: " + value + " is not a VRRP message type (1)");
  }
}
