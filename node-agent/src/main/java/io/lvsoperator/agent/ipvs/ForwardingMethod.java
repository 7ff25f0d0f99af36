package io.lvsoperator.agent.ipvs;

/** IP_VS_CONN_F_* forwarding methods; ipvsadm's -m, -g, -i. */
public enum ForwardingMethod {
  /** NAT, ipvsadm -m. */
  MASQ(IpvsConstants.IP_VS_CONN_F_MASQ),
  LOCALNODE(IpvsConstants.IP_VS_CONN_F_LOCALNODE),
  /** IP-in-IP, ipvsadm -i. */
  TUNNEL(IpvsConstants.IP_VS_CONN_F_TUNNEL),
  /** Direct routing, ipvsadm -g. */
  DROUTE(IpvsConstants.IP_VS_CONN_F_DROUTE),
  BYPASS(IpvsConstants.IP_VS_CONN_F_BYPASS);

  private final int value;

  ForwardingMethod(int value) {
    this.value = value;
  }

  public int value() {
    return value;
  }

  public static ForwardingMethod fromValue(int value) {
    int masked = value & IpvsConstants.IP_VS_CONN_F_FWD_MASK;
    for (ForwardingMethod m : values()) {
      if (m.value == masked) {
        return m;
      }
    }
    throw new IllegalArgumentException("IPVS forwarding method: " + value + " is unknown");
  }
}
