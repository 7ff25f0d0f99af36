package io.lvsoperator.operator;

import io.lvsoperator.api.v1alpha1.LvsNodeHeadSpec;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.compiler.CompileResult;
import io.lvsoperator.compiler.Conflict;
import io.lvsoperator.compiler.NodeSlices;
import io.lvsoperator.compiler.ObjectKey;
import io.lvsoperator.compiler.RealServerResult;
import io.lvsoperator.compiler.VirtualServerResult;
import io.lvsoperator.compiler.VrrpInstanceResult;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * One compile of the whole cluster, with the indexes the reconcilers and the change routing look
 * things up in. Immutable; {@link ClusterModel} replaces it when an input changes.
 *
 * @param version the input version it was compiled from
 * @param compiled what the compiler produced
 */
record ModelSnapshot(long version, CompileResult compiled, Indexes indexes) {
  static final ModelSnapshot EMPTY =
      new ModelSnapshot(
          0,
          new CompileResult(new TreeMap<>(), new TreeMap<>(), new TreeMap<>()),
          Indexes.of(new CompileResult(new TreeMap<>(), new TreeMap<>(), new TreeMap<>())));

  static ModelSnapshot of(long version, CompileResult compiled) {
    return new ModelSnapshot(version, compiled, Indexes.of(compiled));
  }

  /**
   * The desired config of one node: the spec the compiler gave it, empty when it has nothing to do.
   * The node-config dependents take what they write from here and nowhere else.
   */
  Optional<LvsNodeSpec> nodeConfig(String node) {
    return Optional.ofNullable(compiled.nodes().get(node));
  }

  /**
   * The VRRP passwords the nodes' heads name, by {@code authPassKey} ({@link
   * NodeSlices#authPasswords}): what Secret {@code lvs-vrrp-auth} holds.
   */
  SortedMap<String, String> authPasswords() {
    SortedMap<String, String> out = indexes.authPasswords.get();
    if (out == null) {
      SortedMap<String, String> all = new TreeMap<>();
      compiled.nodes().values().forEach(spec -> all.putAll(NodeSlices.authPasswords(spec)));
      out = Collections.unmodifiableSortedMap(all);
      indexes.authPasswords.set(out);
    }
    return out;
  }

  /** The head the model wants on {@code node} (empty when it has nothing to do). */
  LvsNodeHeadSpec head(String node) {
    return NodeSlices.head(nodeConfig(node).orElse(LvsNodeSpec.empty()));
  }

  Optional<VirtualServerResult> virtualServer(ObjectKey key) {
    return Optional.ofNullable(compiled.virtualServers().get(key));
  }

  Optional<VrrpInstanceResult> vrrpInstance(ObjectKey key) {
    return Optional.ofNullable(compiled.vrrpInstances().get(key));
  }

  /** The directors of a VrrpInstance (the nodes whose config carries it). */
  Set<String> nodesOfInstance(ObjectKey vrrpInstance) {
    return vrrpInstance(vrrpInstance)
        .map(r -> r.directors().stream().map(d -> d.node()).collect(Collectors.toSet()))
        .orElse(Set.of());
  }

  /** The VrrpInstances whose directors include this node. */
  Set<ObjectKey> vrrpInstancesOn(String node) {
    return indexes.vrrpInstancesOn.getOrDefault(node, Set.of());
  }

  Optional<RealServerResult> realServer(ObjectKey key) {
    return Optional.ofNullable(compiled.realServers().get(key));
  }

  /** The nodes whose config carries this VirtualServer (its directors, its DR real servers). */
  Set<String> nodesHolding(ObjectKey virtualServer) {
    return indexes.nodesOf.getOrDefault(virtualServer, Set.of());
  }

  /** The VirtualServers this node's config carries. */
  Set<ObjectKey> virtualServersOn(String node) {
    return indexes.virtualServersOn.getOrDefault(node, Set.of());
  }

  /** The RealServer objects that serve a VirtualServer this node's config carries. */
  Set<ObjectKey> realServersOn(String node) {
    Set<ObjectKey> out = new HashSet<>();
    for (ObjectKey vs : virtualServersOn(node)) {
      out.addAll(indexes.realServersOf.getOrDefault(vs, Set.of()));
    }
    return out;
  }

  /** The RealServer objects serving this VirtualServer. */
  Set<ObjectKey> realServersOf(ObjectKey virtualServer) {
    return indexes.realServersOf.getOrDefault(virtualServer, Set.of());
  }

  /** The VirtualServers and VrrpInstances held back by a conflict that names this one. */
  Set<ObjectKey> heldBackBy(ObjectKey virtualServer) {
    return indexes.heldBackBy.getOrDefault(virtualServer, Set.of());
  }

  /** What differs from an earlier snapshot: whose config, verdict or status inputs changed. */
  Changes changesSince(ModelSnapshot before) {
    Set<String> nodes = new TreeSet<>();
    Set<String> allNodes = new HashSet<>(before.compiled.nodes().keySet());
    allNodes.addAll(compiled.nodes().keySet());
    for (String node : allNodes) {
      if (!Objects.equals(before.compiled.nodes().get(node), compiled.nodes().get(node))) {
        nodes.add(node);
      }
    }
    Set<ObjectKey> virtualServers =
        differing(before.compiled.virtualServers(), compiled.virtualServers());
    Set<ObjectKey> realServers = differing(before.compiled.realServers(), compiled.realServers());
    Set<ObjectKey> vrrpInstances =
        differing(before.compiled.vrrpInstances(), compiled.vrrpInstances());
    for (ObjectKey vs : virtualServers) {
      realServers.addAll(before.realServersOf(vs));
      realServers.addAll(realServersOf(vs));
    }
    return new Changes(nodes, virtualServers, realServers, vrrpInstances);
  }

  private static <V> Set<ObjectKey> differing(Map<ObjectKey, V> before, Map<ObjectKey, V> after) {
    Set<ObjectKey> keys = new HashSet<>(before.keySet());
    keys.addAll(after.keySet());
    keys.removeIf(k -> Objects.equals(before.get(k), after.get(k)));
    return keys;
  }

  /** Primaries to reconcile because the model changed under them. */
  record Changes(
      Set<String> nodes,
      Set<ObjectKey> virtualServers,
      Set<ObjectKey> realServers,
      Set<ObjectKey> vrrpInstances) {
    boolean isEmpty() {
      return nodes.isEmpty()
          && virtualServers.isEmpty()
          && realServers.isEmpty()
          && vrrpInstances.isEmpty();
    }
  }

  /** Lookups derived from one compile. */
  record Indexes(
      Map<ObjectKey, Set<String>> nodesOf,
      Map<String, Set<ObjectKey>> virtualServersOn,
      Map<ObjectKey, Set<ObjectKey>> realServersOf,
      Map<ObjectKey, Set<ObjectKey>> heldBackBy,
      Map<String, Set<ObjectKey>> vrrpInstancesOn,
      AtomicReference<SortedMap<String, String>> authPasswords) {

    static Indexes of(CompileResult compiled) {
      Map<ObjectKey, Set<String>> nodesOf = new HashMap<>();
      Map<String, Set<ObjectKey>> virtualServersOn = new HashMap<>();
      compiled
          .nodes()
          .forEach(
              (node, spec) -> {
                for (LvsNodeSpec.Source s : spec.sources()) {
                  ObjectKey key = new ObjectKey(s.namespace(), s.name());
                  nodesOf.computeIfAbsent(key, k -> new HashSet<>()).add(node);
                  virtualServersOn.computeIfAbsent(node, k -> new HashSet<>()).add(key);
                }
              });
      Map<ObjectKey, Set<ObjectKey>> realServersOf = new HashMap<>();
      compiled
          .realServers()
          .forEach(
              (rs, result) -> {
                for (ObjectKey vs : result.virtualServers()) {
                  realServersOf.computeIfAbsent(vs, k -> new HashSet<>()).add(rs);
                }
              });
      Map<ObjectKey, Set<ObjectKey>> heldBackBy = new HashMap<>();
      compiled
          .virtualServers()
          .forEach(
              (vs, result) -> {
                for (Conflict c : result.conflicts()) {
                  heldBackBy.computeIfAbsent(c.other(), k -> new HashSet<>()).add(vs);
                }
              });
      Map<String, Set<ObjectKey>> vrrpInstancesOn = new HashMap<>();
      compiled
          .vrrpInstances()
          .forEach(
              (vi, result) -> {
                for (Conflict c : result.conflicts()) {
                  heldBackBy.computeIfAbsent(c.other(), k -> new HashSet<>()).add(vi);
                }
                result
                    .directors()
                    .forEach(
                        d ->
                            vrrpInstancesOn
                                .computeIfAbsent(d.node(), k -> new HashSet<>())
                                .add(vi));
              });
      return new Indexes(
          Collections.unmodifiableMap(nodesOf),
          Collections.unmodifiableMap(virtualServersOn),
          Collections.unmodifiableMap(realServersOf),
          Collections.unmodifiableMap(heldBackBy),
          Collections.unmodifiableMap(vrrpInstancesOn),
          new AtomicReference<>());
    }
  }
}
