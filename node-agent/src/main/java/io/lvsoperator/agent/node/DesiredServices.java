package io.lvsoperator.agent.node;

import io.lvsoperator.agent.ipvs.ForwardingMethod;
import io.lvsoperator.agent.ipvs.IpvsDestination;
import io.lvsoperator.agent.ipvs.IpvsProtocol;
import io.lvsoperator.agent.ipvs.IpvsService;
import io.lvsoperator.agent.ipvs.IpvsServiceKey;
import io.lvsoperator.agent.ipvs.IpvsServiceState;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
    Parsed parsed = parse(services, weights);
    if (!parsed.rejected().isEmpty()) {
      throw new IllegalArgumentException(parsed.rejected().getFirst().error());
    }
    return parsed.states();
  }

  /**
   * The services that can be programmed ({@code states}, with the input index of each in {@code
   * indexes}), and each one that cannot, skipped with an error naming its field.
   */
  public record Parsed(
      List<IpvsServiceState> states, List<Integer> indexes, List<Rejected> rejected) {

    /** The keys of the rejected services that have one (their address, protocol and port parse). */
    public Set<IpvsServiceKey> rejectedKeys() {
      Set<IpvsServiceKey> keys = new HashSet<>();
      rejected.forEach(r -> r.key().ifPresent(keys::add));
      return keys;
    }
  }

  /** Input service {@code index} could not be programmed; {@code key} when it is known. */
  public record Rejected(int index, Optional<IpvsServiceKey> key, String error) {}

  /**
   * Like {@link #from} but one bad service does not stop the others: it is skipped and reported, so
   * the rest of the table is still programmed.
   */
  public static Parsed parse(List<LvsNodeSpec.IpvsService> services, WeightPolicy weights) {
    List<IpvsServiceState> states = new ArrayList<>(services.size());
    List<Integer> indexes = new ArrayList<>(services.size());
    List<Rejected> rejected = new ArrayList<>();
    for (int i = 0; i < services.size(); i++) {
      try {
        states.add(one(services.get(i), i, weights));
        indexes.add(i);
      } catch (IllegalArgumentException e) {
        rejected.add(new Rejected(i, keyOf(services.get(i)), e.getMessage()));
      }
    }
    return new Parsed(List.copyOf(states), List.copyOf(indexes), List.copyOf(rejected));
  }

  private static Optional<IpvsServiceKey> keyOf(LvsNodeSpec.IpvsService s) {
    try {
      return Optional.of(key(s, literal(s.address(), "")));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * A firewall-mark service is keyed by its mark (in the family of its VIP); any other by protocol,
   * address and port. The mark is the kernel's u32: marks above 2^31 - 1 travel as negative ints.
   */
  private static IpvsServiceKey key(LvsNodeSpec.IpvsService s, InetAddress vip) {
    if (s.firewallMark() != null) {
      long mark = s.firewallMark();
      if (mark < 1 || mark > 0xffff_ffffL) {
        throw new IllegalArgumentException("firewallMark: " + mark + " is not in 1-4294967295");
      }
      return IpvsServiceKey.ofFwmark(IpvsServiceKey.familyOf(vip), (int) mark);
    }
    return IpvsServiceKey.of(IpvsProtocol.valueOf(s.protocol().name()), vip, s.port());
  }

  private static IpvsServiceState one(LvsNodeSpec.IpvsService s, int i, WeightPolicy weights) {
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
      key = key(s, vip);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
    int maxPrefix = vip instanceof Inet4Address ? 32 : 128;
    int netmask =
        s.persistenceNetmask() == null || s.persistenceNetmask().isEmpty()
            ? maxPrefix
            : netmaskPrefix(s.persistenceNetmask(), vip, where + ".persistenceNetmask");
    IpvsService service =
        new IpvsService(key, s.scheduler().name(), 0, s.persistenceTimeoutSeconds(), netmask, null);
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
      return new IpvsServiceState(service, destinations);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
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
