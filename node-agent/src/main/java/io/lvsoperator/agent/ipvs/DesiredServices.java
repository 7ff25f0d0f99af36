package io.lvsoperator.agent.ipvs;

import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Maps the compiled {@code LvsNodeSpec.ipvsServices} to the desired IPVS table. */
public final class DesiredServices {

  private DesiredServices() {}

  /** The weight a destination gets right now (health checks and drain decide). */
  @FunctionalInterface
  public interface WeightPolicy {
    int weight(LvsNodeSpec.IpvsService service, LvsNodeSpec.Destination destination);

    /** The configured weight, 0 when drained; ignores health. */
    WeightPolicy CONFIGURED = (s, d) -> d.drain() ? 0 : d.weight();
  }

  /**
   * The desired table. Throws IllegalArgumentException naming the field (e.g. {@code
   * ipvsServices[2].destinations[0].address}) for anything the kernel would not accept.
   */
  public static List<IpvsServiceState> from(
      List<LvsNodeSpec.IpvsService> services, WeightPolicy weights) {
    List<IpvsServiceState> states = new ArrayList<>(services.size());
    for (int i = 0; i < services.size(); i++) {
      LvsNodeSpec.IpvsService s = services.get(i);
      String where = "ipvsServices[" + i + "]";
      InetAddress vip = literal(s.address(), where + ".address");
      if (s.protocol() == null) {
        throw new IllegalArgumentException(where + ".protocol: is required");
      }
      if (s.scheduler() == null) {
        throw new IllegalArgumentException(where + ".scheduler: is required");
      }
      IpvsServiceKey key;
      try {
        key = IpvsServiceKey.of(IpvsProtocol.valueOf(s.protocol().name()), vip, s.port());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
      int maxPrefix = vip instanceof Inet4Address ? 32 : 128;
      int netmask =
          s.persistenceNetmask() == null || s.persistenceNetmask().isEmpty()
              ? maxPrefix
              : netmaskPrefix(s.persistenceNetmask(), vip, where + ".persistenceNetmask");
      IpvsService service =
          new IpvsService(
              key, s.scheduler().name(), 0, s.persistenceTimeoutSeconds(), netmask, null);
      List<IpvsDestination> destinations = new ArrayList<>();
      for (int j = 0; j < s.destinations().size(); j++) {
        LvsNodeSpec.Destination d = s.destinations().get(j);
        String dwhere = where + ".destinations[" + j + "]";
        if (d.forwarding() == null) {
          throw new IllegalArgumentException(dwhere + ".forwarding: is required");
        }
        ForwardingMethod method =
            switch (d.forwarding()) {
              case DR -> ForwardingMethod.DROUTE;
              case NAT -> ForwardingMethod.MASQ;
              case TUN -> ForwardingMethod.TUNNEL;
            };
        InetAddress address = literal(d.address(), dwhere + ".address");
        try {
          destinations.add(IpvsDestination.of(address, d.port(), method, weights.weight(s, d)));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(dwhere + ": " + e.getMessage(), e);
        }
      }
      try {
        states.add(new IpvsServiceState(service, destinations));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
    }
    return states;
  }

  private static final Pattern ADDRESS_CHARACTERS = Pattern.compile("[0-9a-fA-F:.]+");

  // Called for every address of every full sync (110,000 at 10,000 services): a compiled pattern
  // and a literal parser, never a name lookup.
  private static InetAddress literal(String text, String where) {
    if (text == null
        || !ADDRESS_CHARACTERS.matcher(text).matches()
        || !(text.contains(".") || text.contains(":"))) {
      throw new IllegalArgumentException(where + ": '" + text + "' is not an IP address");
    }
    try {
      return InetAddress.ofLiteral(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": '" + text + "' is not an IP address", e);
    }
  }

  // "255.255.255.0" for IPv4, "/24" or "24" for either family.
  private static int netmaskPrefix(String text, InetAddress vip, String where) {
    String t = text.startsWith("/") ? text.substring(1) : text;
    int max = vip instanceof Inet4Address ? 32 : 128;
    if (t.matches("\\d{1,3}")) {
      int prefix = Integer.parseInt(t);
      if (prefix > max) {
        throw new IllegalArgumentException(where + ": '" + text + "' is longer than /" + max);
      }
      return prefix;
    }
    byte[] mask = literal(t, where).getAddress();
    if (mask.length != 4 || !(vip instanceof Inet4Address)) {
      throw new IllegalArgumentException(
          where + ": '" + text + "' is not a netmask for " + vip.getHostAddress());
    }
    int bits =
        ((mask[0] & 0xff) << 24)
            | ((mask[1] & 0xff) << 16)
            | ((mask[2] & 0xff) << 8)
            | (mask[3] & 0xff);
    int prefix = Integer.bitCount(bits);
    if (bits != (prefix == 0 ? 0 : -1 << (32 - prefix))) {
      throw new IllegalArgumentException(where + ": '" + text + "' is not a contiguous netmask");
    }
    return prefix;
  }
}
