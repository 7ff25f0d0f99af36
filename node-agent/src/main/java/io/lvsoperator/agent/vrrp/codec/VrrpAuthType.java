package io.lvsoperator.agent.vrrp.codec;

/** RFC 3768 section 5.3.6 authentication types (VRRPv2 only; v3 has none). */
public enum VrrpAuthType {
  /** No authentication; the auth data is zero. */
  NONE(0),
  /** Simple text password (keepalived {@code auth_type PASS}), 8 bytes zero-padded. */
  SIMPLE_TEXT_PASSWORD(1),
  /** IP Authentication Header: defined by RFC 2338, removed by RFC 3768; never sent by us. */
  IP_AUTHENTICATION_HEADER(2);

  private final int value;

  VrrpAuthType(int value) {
    this.value = value;
  }

  public int value() {
    return value;
  }

  public static VrrpAuthType fromValue(int value) {
    return switch (value) {
      case 0 -> NONE;
      case 1 -> SIMPLE_TEXT_PASSWORD;
      case 2 -> IP_AUTHENTICATION_HEADER;
      default -> throw new VrrpCodecException("authType: " + value + " is not a VRRP auth type");
    };
  }
}
