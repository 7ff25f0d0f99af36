package io.lvsoperator.agent.vrrp.codec;

/** The version nibble of a VRRP message. */
public enum VrrpVersion {
  /** RFC 3768: seconds intervals, authentication, IPv4 only. */
  V2(2),
  /** RFC 5798: centisecond intervals, pseudo-header checksum, IPv4 and IPv6. */
  V3(3);

  private final int value;

  VrrpVersion(int value) {
    this.value = value;
  }

  public int value() {
    return value;
  }

  public static VrrpVersion fromValue(int value) {
    return switch (value) {
      case 2 -> V2;
      case 3 -> V3;
      default ->
          throw new VrrpCodecException("version: " + value + " is not a VRRP version (2 or 3)");
    };
  }
}
