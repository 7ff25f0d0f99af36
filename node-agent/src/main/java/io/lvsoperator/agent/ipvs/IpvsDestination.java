package io.lvsoperator.agent.ipvs;

import java.net.InetAddress;

/**
 * A real server of a virtual service.
 *
 * @param address its address (the family may differ from the service's only for TUNNEL)
 * @param port its port (0 for fwmark services forwarding every port)
 * @param forwarding how packets reach it
 * @param weight 0 drains it; the kernel accepts 0..Integer.MAX_VALUE
 * @param upperThreshold connection limit, 0 for none
 * @param lowerThreshold connections below which an overloaded server returns, 0 for none
 */
public record IpvsDestination(
    InetAddress address,
    int port,
    ForwardingMethod forwarding,
    int weight,
    int upperThreshold,
    int lowerThreshold) {

  public IpvsDestination {
    if (address == null) {
      throw new IllegalArgumentException("IPVS destination: address is required");
    }
    String where = address.getHostAddress() + ":" + port;
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("IPVS destination " + where + ": port is not a port");
    }
    if (forwarding == null) {
      throw new IllegalArgumentException("IPVS destination " + where + ": forwarding is required");
    }
    if (weight < 0) {
      throw new IllegalArgumentException(
          "IPVS destination " + where + ": weight " + weight + " is negative");
    }
    if (upperThreshold < 0 || lowerThreshold < 0) {
      throw new IllegalArgumentException(
          "IPVS destination " + where + ": thresholds must not be negative");
    }
  }

  public static IpvsDestination of(
      InetAddress address, int port, ForwardingMethod forwarding, int weight) {
    return new IpvsDestination(address, port, forwarding, weight, 0, 0);
  }

  /** What identifies it within its service. */
  public DestinationKey key() {
    return new DestinationKey(address, port);
  }

  public IpvsDestination withWeight(int newWeight) {
    return new IpvsDestination(
        address, port, forwarding, newWeight, upperThreshold, lowerThreshold);
  }

  /** Address and port: a destination's identity within a service. */
  public record DestinationKey(InetAddress address, int port) {
    @Override
    public String toString() {
      return (address.getAddress().length == 16
              ? "[" + address.getHostAddress() + "]"
              : address.getHostAddress())
          + ":"
          + port;
    }
  }
}
