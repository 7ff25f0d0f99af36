package io.lvsoperator.agent.ipvs;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * What identifies a virtual service in the kernel: protocol + address + port, or a firewall mark
 * (with its address family).
 *
 * @param family AF_INET or AF_INET6
 * @param protocol null for a fwmark service
 * @param address null for a fwmark service
 * @param port 0 for a fwmark service
 * @param fwmark 0 for an address service
 */
public record IpvsServiceKey(
    int family, IpvsProtocol protocol, InetAddress address, int port, int fwmark) {

  public IpvsServiceKey {
    if (family != IpvsConstants.AF_INET && family != IpvsConstants.AF_INET6) {
      throw new IllegalArgumentException("IPVS service family: " + family + " is not AF_INET(6)");
    }
    if (fwmark != 0) {
      if (protocol != null || address != null || port != 0) {
        throw new IllegalArgumentException(
            "IPVS fwmark service " + fwmark + " cannot also have a protocol, address or port");
      }
    } else {
      if (protocol == null || address == null) {
        throw new IllegalArgumentException(
            "IPVS service needs a protocol and an address, or a fwmark");
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("IPVS service port: " + port + " is not a port");
      }
      if ((family == IpvsConstants.AF_INET) != (address instanceof Inet4Address)) {
        throw new IllegalArgumentException(
            "IPVS service address "
                + address.getHostAddress()
                + " does not match family "
                + family);
      }
    }
  }

  /** A protocol/address/port service. */
  public static IpvsServiceKey of(IpvsProtocol protocol, InetAddress address, int port) {
    return new IpvsServiceKey(familyOf(address), protocol, address, port, 0);
  }

  /** A firewall-mark service. */
  public static IpvsServiceKey ofFwmark(int family, int fwmark) {
    if (fwmark == 0) {
      throw new IllegalArgumentException("IPVS fwmark: 0 is not a mark");
    }
    return new IpvsServiceKey(family, null, null, 0, fwmark);
  }

  public static int familyOf(InetAddress address) {
    return address instanceof Inet6Address ? IpvsConstants.AF_INET6 : IpvsConstants.AF_INET;
  }

  public boolean isFwmark() {
    return fwmark != 0;
  }

  /** As ipvsadm -Ln prints it: {@code TCP 10.0.0.1:80}, {@code TCP [fd00::1]:80}, {@code FWM 5}. */
  @Override
  public String toString() {
    if (isFwmark()) {
      return "FWM "
          + Integer.toUnsignedString(fwmark)
          + (family == IpvsConstants.AF_INET6 ? " IPv6" : "");
    }
    String host = address.getHostAddress();
    return protocol
        + " "
        + (family == IpvsConstants.AF_INET6 ? "[" + host + "]" : host)
        + ":"
        + port;
  }
}
