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
  private static final Comparator<LvsNodeSpec.Source> SOURCE_ORDER =
      Comparator.comparing(LvsNodeSpec.Source::namespace)
          .thenComparing(LvsNodeSpec.Source::name)
          .thenComparingLong(LvsNodeSpec.Source::generation);
  private static final Comparator<LvsNodeSpec.IpvsService> SERVICE_ORDER =
      Comparator.comparing(LvsNodeSpec.IpvsService::address)
          .thenComparing(LvsNodeSpec.IpvsService::protocol)
          .thenComparingInt(LvsNodeSpec.IpvsService::port);
  private static final Comparator<LvsNodeSpec.Destination> DESTINATION_ORDER =
      Comparator.comparing(LvsNodeSpec.Destination::address)
          .thenComparingInt(LvsNodeSpec.Destination::port);

  private final Map<String, NodeInfo> nodes;
  private final SortedMap<String, NodeParts> parts = new TreeMap<>();

  NodeSpecEmitter(Map<String, NodeInfo> nodes) {
    this.nodes = nodes;
  }

  /** What one node gets, gathered before sorting. */
  private static final class NodeParts {
    final List<LvsNodeSpec.VrrpInstance> instances = new ArrayList<>();
    final List<LvsNodeSpec.IpvsService> services = new ArrayList<>();
    final Set<String> loopbackVips = new TreeSet<>();
    final Set<LvsNodeSpec.Source> sources = new TreeSet<>(SOURCE_ORDER);
    final Map<String, Set<String>> syncGroups = new TreeMap<>();

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
      return new LvsNodeSpec(
          vi, sv, new ArrayList<>(loopbackVips), new ArrayList<>(sources), groups);
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
      node.sources.add(source(e));
      if (!e.valid.vipOnly()) {
        node.services.add(service(g, e));
      }
    }
  }

  /** With DR, the nodes running the real servers hold the VIP on lo. */
  private void addLoopbackVips(VirtualServerEntry e) {
    if (e.valid.forwarding() != Forwarding.DR) {
      return;
    }
    for (ResolvedRealServer rs : e.realServers) {
      if (rs.node() != null && nodes.containsKey(rs.node())) {
        NodeParts node = on(rs.node());
        node.loopbackVips.add(e.valid.vip());
        node.sources.add(source(e));
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
        List.of(
            new LvsNodeSpec.Vip(g.leader().valid.vip(), vrrp.vipPrefixLength(), vrrp.vipLabel())),
        vrrp.trackInterfaces(),
        vrrp.garp());
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

  private static LvsNodeSpec.Source source(VirtualServerEntry e) {
    return new LvsNodeSpec.Source(e.key.namespace(), e.key.name(), e.programmedGeneration);
  }

  private static LvsNodeSpec.IpvsService service(InstanceGroup g, VirtualServerEntry e) {
    ValidVirtualServer v = e.valid;
    List<LvsNodeSpec.Destination> destinations = new ArrayList<>();
    for (ResolvedRealServer rs : e.realServers) {
      destinations.add(
          new LvsNodeSpec.Destination(
              rs.address(), rs.port(), rs.weight(), v.forwarding(), rs.drain()));
    }
    destinations.sort(DESTINATION_ORDER);
    return new LvsNodeSpec.IpvsService(
        v.vip(),
        v.port(),
        v.protocol(),
        v.scheduler(),
        v.persistenceTimeoutSeconds(),
        v.persistenceNetmask(),
        g.instanceName,
        v.healthCheck(),
        v.onFailure(),
        destinations);
  }

  /** One spec per node that has something to do, by node name. */
  SortedMap<String, LvsNodeSpec> specs() {
    SortedMap<String, LvsNodeSpec> specs = new TreeMap<>();
    parts.forEach((node, p) -> specs.put(node, p.build()));
    return specs;
  }
}
