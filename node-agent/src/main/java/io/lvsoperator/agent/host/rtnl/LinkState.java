package io.lvsoperator.agent.host.rtnl;

import java.util.HexFormat;

/**
 * What the kernel says about one interface.
 *
 * @param index ifindex
 * @param name interface name
 * @param flags IFF_* flags
 * @param operState IFLA_OPERSTATE
 * @param carrier IFLA_CARRIER (falls back to IFF_LOWER_UP)
 * @param mac hardware address as aa:bb:cc:dd:ee:ff, empty when the link has none
 * @param mtu IFLA_MTU
 */
public record LinkState(
    int index, String name, int flags, OperState operState, boolean carrier, String mac, int mtu) {

  /** IFF_UP: the administrator set it up. */
  public boolean adminUp() {
    return (flags & RtnlConstants.IFF_UP) != 0;
  }

  /**
   * Usable for VRRP: admin up with carrier and not operationally down. UNKNOWN counts as up: lo,
   * dummy and some drivers never report an oper state.
   */
  public boolean usable() {
    return adminUp()
        && carrier
        && operState != OperState.DOWN
        && operState != OperState.LOWERLAYERDOWN
        && operState != OperState.NOTPRESENT;
  }

  /** The MAC as 6 bytes. */
  public byte[] macBytes() {
    return mac.isEmpty() ? new byte[0] : HexFormat.ofDelimiter(":").parseHex(mac);
  }
}
