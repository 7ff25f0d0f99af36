package io.lvsoperator.agent.ipvs;

/** The transport protocol of a virtual service (IPPROTO_* numbers). */
public enum IpvsProtocol {
  TCP(6),
  UDP(17),
  SCTP(132);

  private final int value;

  IpvsProtocol(int value) {
    this.value = value;
  }

  public int value() {
    return value;
  }

  public static IpvsProtocol fromValue(int value) {
    for (IpvsProtocol p : values()) {
      if (p.value == value) {
        return p;
      }
    }
    throw new IllegalArgumentException("IPVS protocol: " + value + " is not TCP, UDP or SCTP");
  }
}
