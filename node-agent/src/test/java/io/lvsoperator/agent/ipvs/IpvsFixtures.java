package io.lvsoperator.agent.ipvs;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/** Short builders for IPVS test data. */
public final class IpvsFixtures {
  private IpvsFixtures() {}

  public static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  public static IpvsServiceKey tcp(String vip, int port) {
    return IpvsServiceKey.of(IpvsProtocol.TCP, ip(vip), port);
  }

  public static IpvsDestination dr(String address, int port, int weight) {
    return IpvsDestination.of(ip(address), port, ForwardingMethod.DROUTE, weight);
  }

  public static IpvsServiceState state(IpvsService service, IpvsDestination... destinations) {
    return new IpvsServiceState(service, Arrays.asList(destinations));
  }

  public static IpvsServiceState rr(IpvsServiceKey key, IpvsDestination... destinations) {
    return state(IpvsService.of(key, "rr"), destinations);
  }

  public static List<IpvsServiceState> table(IpvsServiceState... states) {
    return List.of(states);
  }
}
