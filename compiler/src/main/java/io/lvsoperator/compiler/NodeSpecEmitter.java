package io.lvsoperator.compiler;

import io.lvsoperator.api.v1alpha1.Forwarding;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes the instance groups into one {@link LvsNodeSpec} per node: directors get the VRRP instance
 * (with their priority) and the group's IPVS services; nodes named by DR real servers get the VIP
 * on loopback. Lists are sorted, so equal input gives byte-identical output in any order.
 */
final class NodeSpecEmitter {
  /** Services by address, protocol and port (then mark and source, for firewall-mark ones). */
  static final Comparator<LvsNodeSpec.IpvsService> SERVICE_ORDER =
      Comparator.comparing(LvsNodeSpec.IpvsService::address)
          .thenComparing(LvsNodeSpec.IpvsService::protocol)
          .thenComparingInt(LvsNodeSpec.IpvsService::port)
          .thenComparing(
              LvsNodeSpec.IpvsService::firewallMark,
              Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(
              LvsNodeSpec.IpvsService::source, Comparator.nullsFirst(Comparator.naturalOrder()));

  private static final Comparator<LvsNodeSpec.Destination> DESTINATION_ORDER =
      Comparator.comparing(LvsNodeSpec.Destination::address)
          .thenComparingInt(LvsNodeSpec.Destination::port);

  private final Map<String, NodeInfo> nodes;
  private final boolean notifyCommands;
  private final SortedMap<String, NodeParts> parts = new TreeMap<>();

  /**
   * @param notifyCommands whether the nodes may run notify commands (standalone mode); when not,
   *     they are left out
   */
  NodeSpecEmitter(Map<String, NodeInfo> nodes, boolean notifyCommands) {
    this.nodes = nodes;
    this.notifyCommands = notifyCommands;
  }

  /** What one node gets, gathered before sorting. */
  private static final class NodeParts {
    final List<LvsNodeSpec.VrrpInstance> instances = new ArrayList<>();
    final List<LvsNodeSpec.IpvsService> services = new ArrayList<>();
    final Set<String> loopbackVips = new TreeSet<>();
    final Map<ObjectKey, SourceParts> sources = new TreeMap<>();
    final Map<String, Set<String>> syncGroups = new TreeMap<>();

    SourceParts source(VirtualServerEntry e) {
      return sources.computeIfAbsent(e.key, k -> new SourceParts(e.programmedGeneration));
    }

    LvsNodeSpec build() {
      List<LvsNodeSpec.VrrpInstance> vi = new ArrayList<>(instances);
      vi.sort(Comparator.comparing(LvsNodeSpec.VrrpInstance::name));
      List<LvsNodeSpec.IpvsService> sv = new ArrayList<>(services);
      sv.sort(SERVICE_ORDER);
      List<LvsNodeSpec.SyncGroup> groups = new ArrayList<>();
      // A group of one changes nothing: only groups with two or more instances here are emitted.
      syncGroups.forEach(
          (name, members) -> {
            if (members.size() > 1) {
              groups.add(new LvsNodeSpec.SyncGroup(name, new ArrayList<>(members)));
            }
          });
      List<LvsNodeSpec.Source> src = new ArrayList<>();
      sources.forEach(
          (k, p) ->
              src.add(
                  new LvsNodeSpec.Source(
                      k.namespace(), k.name(), p.generation, new ArrayList<>(p.loopbackVips))));
      return new LvsNodeSpec(vi, sv, new ArrayList<>(loopbackVips), src, groups);
    }
  }

  /** A VirtualServer a node's spec comes from, and its VIPs that node holds on lo. */
  private static final class SourceParts {
    final long generation;
    final Set<String> loopbackVips = new TreeSet<>();

    SourceParts(long generation) {
      this.generation = generation;
    }
  }

  private NodeParts on(String node) {
    return parts.computeIfAbsent(node, k -> new NodeParts());
  }

  void add(InstanceGroup g) {
    if (g.vrid == null) {
      return;
    }
    for (DirectorAssignment d : g.directors) {
      addDirector(g, d);
    }
    for (VirtualServerEntry e : g.members) {
      addLoopbackVips(e);
    }
  }

  private void addDirector(InstanceGroup g, DirectorAssignment d) {
    NodeParts node = on(d.node());
    var vrrp = g.vrrp();
    if (vrrp.syncGroup() != null) {
      node.syncGroups.computeIfAbsent(vrrp.syncGroup(), k -> new TreeSet<>()).add(g.instanceName);
    }
    node.instances.add(instance(g, d));
    for (VirtualServerEntry e : g.members) {
      node.source(e);
      node.services.addAll(services(g, e));
    }
  }

  /** With DR, the nodes running the real servers hold the service addresses on lo. */
  private void addLoopbackVips(VirtualServerEntry e) {
    if (e.valid.forwarding() != Forwarding.DR || e.valid.vipOnly()) {
      return;
    }
    List<String> addresses = new ArrayList<>();
    if (e.valid.firewallMark() != null) {
      addresses.add(e.valid.vip());
    }
    e.valid.addressPorts().forEach(p -> addresses.add(p.address()));
    for (ResolvedRealServer rs : e.realServers) {
      if (rs.node() != null && nodes.containsKey(rs.node())) {
        NodeParts node = on(rs.node());
        node.loopbackVips.addAll(addresses);
        node.source(e).loopbackVips.addAll(addresses);
      }
    }
  }

  private LvsNodeSpec.VrrpInstance instance(InstanceGroup g, DirectorAssignment d) {
    var vrrp = g.vrrp();
    return new LvsNodeSpec.VrrpInstance(
        g.instanceName,
        vrrp.interfaceName(),
        g.vrid,
        d.priority(),
        vrrp.version(),
        vrrp.advertIntervalMs(),
        vrrp.preempt(),
        vrrp.preemptDelayMs(),
        vrrp.accept(),
        vrrp.authPass(),
        peers(g, d),
        g.advertised,
        vrrp.trackInterfaces(),
        vrrp.garp(),
        g.excluded,
        g.instance == null ? null : g.instance.key.toString(),
        notifyCommands ? vrrp.notifyCommands() : null,
        vrrp.connectionSync(),
        null);
  }

  /** The unicast peers: as given, or the first address of each other director. */
  private List<String> peers(InstanceGroup g, DirectorAssignment d) {
    var vrrp = g.vrrp();
    if (!vrrp.unicastPeersFromDirectors()) {
      return vrrp.unicastPeers();
    }
    List<String> peers = new ArrayList<>();
    for (DirectorAssignment other : g.directors) {
      if (!other.node().equals(d.node())) {
        var addresses = nodes.get(other.node()).addresses();
        if (!addresses.isEmpty()) {
          peers.add(addresses.getFirst());
        }
      }
    }
    return peers;
  }

  /** Its IPVS services: one per address:port pair, or the one keyed by its firewall mark. */
  private static List<LvsNodeSpec.IpvsService> services(InstanceGroup g, VirtualServerEntry e) {
    ValidVirtualServer v = e.valid;
    if (v.firewallMark() != null) {
      return List.of(service(g, e, v.vip(), 0, v.port()));
    }
    return v.addressPorts().stream()
        .map(p -> service(g, e, p.address(), p.port(), p.port()))
        .toList();
  }

  /**
   * One IPVS service; {@code destinationPort} is the port DR and TUN destinations take (they cannot
   * change it), null to keep each real server's own.
   */
  private static LvsNodeSpec.IpvsService service(
      InstanceGroup g, VirtualServerEntry e, String address, int port, Integer destinationPort) {
    ValidVirtualServer v = e.valid;
    Integer fixedPort = v.forwarding() == Forwarding.NAT ? null : destinationPort;
    List<LvsNodeSpec.Destination> destinations = new ArrayList<>();
    for (ResolvedRealServer rs : e.realServers) {
      destinations.add(
          new LvsNodeSpec.Destination(
              rs.address(),
              fixedPort != null ? fixedPort : rs.port(),
              rs.weight(),
              v.forwarding(),
              rs.drain()));
    }
    destinations.sort(DESTINATION_ORDER);
    LvsNodeSpec.Destination sorry = null;
    if (v.sorryServer() != null) {
      var s = v.sorryServer();
      // DR and TUN keep the service's port; NAT and firewall-mark services use the one given.
      boolean keepsPort = fixedPort != null && v.firewallMark() == null;
      int sorryPort = keepsPort ? fixedPort : s.port() != null ? s.port() : v.port();
      sorry =
          new LvsNodeSpec.Destination(
              s.address(), sorryPort, Defaults.WEIGHT, v.forwarding(), false);
    }
    return new LvsNodeSpec.IpvsService(
        address,
        port,
        v.protocol(),
        v.scheduler(),
        v.persistenceTimeoutSeconds(),
        v.persistenceNetmask(),
        g.instanceName,
        v.healthCheck(),
        v.onFailure(),
        destinations,
        e.key.toString(),
        v.firewallMark(),
        sorry,
        v.quorum() == Defaults.QUORUM ? null : v.quorum(),
        v.hysteresis() == Defaults.HYSTERESIS ? null : v.hysteresis());
  }

  /** One spec per node that has something to do, by node name. */
  SortedMap<String, LvsNodeSpec> specs() {
    SortedMap<String, LvsNodeSpec> specs = new TreeMap<>();
    parts.forEach((node, p) -> specs.put(node, p.build()));
    return specs;
  }
}
