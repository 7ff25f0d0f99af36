package io.lvsoperator.agent.vrrp;

import io.lvsoperator.agent.vrrp.codec.ReceiveExpectation;
import io.lvsoperator.agent.vrrp.codec.VrrpAdvertisement;
import io.lvsoperator.agent.vrrp.codec.VrrpAuthType;
import io.lvsoperator.agent.vrrp.codec.VrrpVersion;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One virtual router, validated: the engine's own model (the node core converts the compiled {@code
 * LvsNodeSpec.VrrpInstance} into it; a bad value throws {@link VrrpConfigException} naming the
 * instance and the field).
 *
 * @param priority 1-254, or 255 for the address owner
 * @param advertIntervalCentis Advertisement_Interval in centiseconds (v2: a multiple of 100)
 * @param authPassword v2 PASS password, or null for none
 * @param unicastPeers peers to send to instead of 224.0.0.18; empty for multicast
 * @param virtualAddresses the addresses the master holds and advertises, in advert order (at most
 *     255)
 * @param trackInterfaces interfaces whose loss means FAULT (the VRRP interface is always tracked)
 * @param excludedAddresses addresses the master holds but never advertises (keepalived's
 *     virtual_ipaddress_excluded): a peer's advert is checked against {@code virtualAddresses} only
 */
public record VrrpInstanceConfig(
    String name,
    String interfaceName,
    int virtualRouterId,
    int priority,
    VrrpVersion version,
    int advertIntervalCentis,
    boolean preempt,
    Duration preemptDelay,
    boolean accept,
    String authPassword,
    List<InetAddress> unicastPeers,
    List<VirtualAddress> virtualAddresses,
    List<String> trackInterfaces,
    GarpSettings garp,
    List<VirtualAddress> excludedAddresses) {

  /**
   * A PASS password: 1 to 8 printable ASCII characters, the compiler's rule ({@code
   * Patterns.VRRP_AUTH_PASS}, which a test holds this to), so that nothing the compiler accepts is
   * refused here.
   */
  static final Pattern AUTH_PASS = Pattern.compile("^[!-~]{1,8}$");

  /**
   * A VIP: address, prefix length, label, and the interface it goes on (null: the instance's). Its
   * gratuitous ARPs go out on that interface too.
   */
  public record VirtualAddress(
      InetAddress address, int prefixLength, String label, String interfaceName) {

    /** On the instance's interface. */
    public VirtualAddress(InetAddress address, int prefixLength, String label) {
      this(address, prefixLength, label, null);
    }

    /** The interface the address goes on, given the instance's. */
    public String interfaceOr(String instanceInterface) {
      return interfaceName != null ? interfaceName : instanceInterface;
    }
  }

  /** Gratuitous ARPs on becoming master: count, spacing, and an optional refresh period. */
  public record GarpSettings(int repeat, Duration interval, Duration refresh) {
    public static final GarpSettings DEFAULT = new GarpSettings(5, Duration.ZERO, Duration.ZERO);
  }

  public VrrpInstanceConfig {
    String where = "vrrpInstances[" + name + "]";
    if (name == null || name.isBlank()) {
      throw new VrrpConfigException("vrrpInstances[].name: must be given");
    }
    if (interfaceName == null || interfaceName.isBlank() || interfaceName.length() > 15) {
      throw new VrrpConfigException(
          where + ".interface: '" + interfaceName + "' is not an interface name (1-15 chars)");
    }
    if (virtualRouterId < 1 || virtualRouterId > 255) {
      throw new VrrpConfigException(
          where + ".virtualRouterId: " + virtualRouterId + " is not in 1-255");
    }
    if (priority < 1 || priority > 255) {
      throw new VrrpConfigException(
          where + ".priority: " + priority + " is not in 1-254 (or 255, the address owner)");
    }
    if (version == null) {
      throw new VrrpConfigException(where + ".version: must be 2 or 3");
    }
    if (version == VrrpVersion.V3 && (advertIntervalCentis < 1 || advertIntervalCentis > 4095)) {
      throw new VrrpConfigException(
          where
              + ".advertIntervalMs: "
              + advertIntervalCentis * 10
              + " is not in 10-40950 (VRRPv3 carries 12 bits of centiseconds)");
    }
    if (version == VrrpVersion.V2
        && (advertIntervalCentis % 100 != 0
            || advertIntervalCentis < 100
            || advertIntervalCentis > 25500)) {
      throw new VrrpConfigException(
          where
              + ".advertIntervalMs: "
              + advertIntervalCentis * 10
              + " is not a whole number of seconds in 1-255 (VRRPv2)");
    }
    preemptDelay = preemptDelay == null ? Duration.ZERO : preemptDelay;
    if (preemptDelay.isNegative()) {
      throw new VrrpConfigException(where + ".preemptDelayMs: " + preemptDelay + " is negative");
    }
    if (authPassword != null && authPassword.isEmpty()) {
      authPassword = null;
    }
    if (authPassword != null) {
      if (version != VrrpVersion.V2) {
        throw new VrrpConfigException(
            where + ".authPass: VRRPv3 has no authentication (RFC 5798); use version 2");
      }
      if (!AUTH_PASS.matcher(authPassword).matches()) {
        throw new VrrpConfigException(
            where
                + ".authPass: "
                + authPassword.length()
                + " characters; PASS is 1 to 8 printable ASCII characters");
      }
    }
    unicastPeers = unicastPeers == null ? List.of() : List.copyOf(unicastPeers);
    for (InetAddress peer : unicastPeers) {
      if (!(peer instanceof Inet4Address)) {
        throw new VrrpConfigException(where + ".unicastPeers: " + peer + " is not IPv4");
      }
    }
    virtualAddresses = virtualAddresses == null ? List.of() : List.copyOf(virtualAddresses);
    if (virtualAddresses.size() > 255) {
      throw new VrrpConfigException(
          where + ".vips: " + virtualAddresses.size() + " addresses; an advert carries 255");
    }
    excludedAddresses = excludedAddresses == null ? List.of() : List.copyOf(excludedAddresses);
    checkAddresses(where + ".vips", virtualAddresses, interfaceName);
    checkAddresses(where + ".excludedVips", excludedAddresses, interfaceName);
    trackInterfaces = trackInterfaces == null ? List.of() : List.copyOf(trackInterfaces);
    if (!trackInterfaces.contains(interfaceName)) {
      List<String> all = new ArrayList<>(trackInterfaces);
      all.addFirst(interfaceName);
      trackInterfaces = List.copyOf(all);
    }
    garp = garp == null ? GarpSettings.DEFAULT : garp;
  }

  /** Without excluded addresses. */
  public VrrpInstanceConfig(
      String name,
      String interfaceName,
      int virtualRouterId,
      int priority,
      VrrpVersion version,
      int advertIntervalCentis,
      boolean preempt,
      Duration preemptDelay,
      boolean accept,
      String authPassword,
      List<InetAddress> unicastPeers,
      List<VirtualAddress> virtualAddresses,
      List<String> trackInterfaces,
      GarpSettings garp) {
    this(
        name,
        interfaceName,
        virtualRouterId,
        priority,
        version,
        advertIntervalCentis,
        preempt,
        preemptDelay,
        accept,
        authPassword,
        unicastPeers,
        virtualAddresses,
        trackInterfaces,
        garp,
        List.of());
  }

  private static void checkAddresses(
      String field, List<VirtualAddress> addresses, String instanceInterface) {
    for (VirtualAddress vip : addresses) {
      if (!(vip.address() instanceof Inet4Address)) {
        throw new VrrpConfigException(
            field + ": " + vip.address().getHostAddress() + " is not IPv4");
      }
      String at = field + "[" + vip.address().getHostAddress() + "]";
      if (vip.prefixLength() < 1 || vip.prefixLength() > 32) {
        throw new VrrpConfigException(
            at + ".prefixLength: " + vip.prefixLength() + " is not in 1-32");
      }
      String iface = vip.interfaceOr(instanceInterface);
      if (iface.isBlank() || iface.length() > 15) {
        throw new VrrpConfigException(
            at + ".interface: '" + iface + "' is not an interface name (1-15 chars)");
      }
      if (vip.label() != null && (vip.label().length() > 15 || !vip.label().startsWith(iface))) {
        throw new VrrpConfigException(
            at
                + ".label: '"
                + vip.label()
                + "' must start with '"
                + iface
                + "' and have at most 15 characters");
      }
    }
  }

  /** Every address the master holds: the advertised ones, then the excluded ones. */
  public List<VirtualAddress> heldAddresses() {
    if (excludedAddresses.isEmpty()) {
      return virtualAddresses;
    }
    List<VirtualAddress> all = new ArrayList<>(virtualAddresses);
    all.addAll(excludedAddresses);
    return List.copyOf(all);
  }

  /** Advertisement_Interval in nanoseconds. */
  public long advertIntervalNanos() {
    return advertIntervalCentis * 10_000_000L;
  }

  public boolean addressOwner() {
    return priority == 255;
  }

  /** The advertised addresses, in advert order. */
  public List<InetAddress> addresses() {
    return virtualAddresses.stream().map(VirtualAddress::address).toList();
  }

  /** The advert this router sends, at its configured priority. */
  VrrpAdvertisement advertisement() {
    return new VrrpAdvertisement(
        version,
        virtualRouterId,
        priority,
        advertIntervalCentis,
        authPassword == null ? VrrpAuthType.NONE : VrrpAuthType.SIMPLE_TEXT_PASSWORD,
        authPassword,
        addresses());
  }

  /** What received adverts must be: with unicast peers, only theirs count. */
  ReceiveExpectation receiveExpectation() {
    return new ReceiveExpectation(
        version,
        virtualRouterId,
        advertIntervalCentis,
        authPassword == null ? VrrpAuthType.NONE : VrrpAuthType.SIMPLE_TEXT_PASSWORD,
        authPassword,
        addresses(),
        unicastPeers);
  }

  /** Whether adverts go to 224.0.0.18 (no unicast peers): only then is the group joined. */
  public boolean multicast() {
    return unicastPeers.isEmpty();
  }

  /**
   * True when {@code other} runs the same virtual router on the wire (a restart is needed else).
   */
  boolean sameWireIdentity(VrrpInstanceConfig other) {
    return interfaceName.equals(other.interfaceName)
        && virtualRouterId == other.virtualRouterId
        && version == other.version;
  }
}
