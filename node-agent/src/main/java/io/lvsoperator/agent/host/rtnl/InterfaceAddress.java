package io.lvsoperator.agent.host.rtnl;

import java.net.InetAddress;

/**
 * One address on an interface.
 *
 * @param interfaceIndex the interface
 * @param address IFA_LOCAL for IPv4, IFA_ADDRESS for IPv6
 * @param prefixLength ifa_prefixlen
 * @param label IFA_LABEL (IPv4 only; the interface name when none was given), or null
 * @param scope ifa_scope
 * @param flags IFA_FLAGS (or ifa_flags)
 */
public record InterfaceAddress(
    int interfaceIndex, InetAddress address, int prefixLength, String label, int scope, int flags) {

  public boolean secondary() {
    return (flags & RtnlConstants.IFA_F_SECONDARY) != 0;
  }
}
