package io.lvsoperator.agent.ipvs;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/** Short builders for IPVS test data. */
final class IpvsFixtures {
  private IpvsFixtures() {}

  static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static IpvsServiceKey tcp(String vip, int port) {
    return IpvsServiceKey.of(IpvsProtocol.TCP, ip(vip), port);
  }

  static IpvsDestination dr(String address, int port, int weight) {
    return IpvsDestination.of(ip(address), port, ForwardingMethod.DROUTE, weight);
  }

  static IpvsServiceState state(IpvsService service, IpvsDestination... destinations) {
    return new IpvsServiceState(service, Arrays.asList(destinations));
  }

  static IpvsServiceState rr(IpvsServiceKey key, IpvsDestination... destinations) {
    return state(IpvsService.of(key, "rr"), destinations);
  }

  static List<IpvsServiceState> table(IpvsServiceState... states) {
    return List.of(states);
  }
}
