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
        node.source(e).loopbackVips.add(e.valid.vip());
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
        g.instance == null ? null : g.instance.key.toString());
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
        destinations,
        e.key.toString());
  }

  /** One spec per node that has something to do, by node name. */
  SortedMap<String, LvsNodeSpec> specs() {
    SortedMap<String, LvsNodeSpec> specs = new TreeMap<>();
    parts.forEach((node, p) -> specs.put(node, p.build()));
    return specs;
  }
}
