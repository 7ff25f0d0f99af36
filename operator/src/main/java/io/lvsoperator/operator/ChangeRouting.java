package io.lvsoperator.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.lvsoperator.api.v1alpha1.LvsNode;
import io.lvsoperator.api.v1alpha1.LvsNodeSlice;
import io.lvsoperator.api.v1alpha1.LvsNodeSliceSpec;
import io.lvsoperator.api.v1alpha1.LvsNodeStatus;
import io.lvsoperator.api.v1alpha1.RealServer;
import io.lvsoperator.api.v1alpha1.TenantPolicy;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import io.lvsoperator.api.v1alpha1.VirtualServerSpec;
import io.lvsoperator.api.v1alpha1.VirtualServerStatus;
import io.lvsoperator.api.v1alpha1.VrrpInstance;
import io.lvsoperator.compiler.ObjectKey;
import io.lvsoperator.compiler.VirtualServerResult;
import io.lvsoperator.compiler.VrrpInstanceResult;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The event mappers: which primaries a change reconciles. A change to a VirtualServer, RealServer
 * or Secret reconciles only the Nodes whose config holds it before (the last compile) or after (the
 * nodes its spec names or selects), and the VirtualServers a conflict with it held back; an agent's
 * report reconciles only the VirtualServers and RealServers on that node. Each compile then routes
 * what it found changed ({@link #modelChanged}), which covers the indirect effects exactly. Every
 * change to a compiled input also tells the {@link ClusterModel} to compile again.
 */
final class ChangeRouting {
  private final ClusterModel model;
  private final ClusterCaches caches;
  volatile Trigger<Node> nodes;
  volatile Trigger<VirtualServer> virtualServers;
  volatile Trigger<RealServer> realServers;
  volatile Trigger<VrrpInstance> vrrpInstances;

  ChangeRouting(ClusterModel model, ClusterCaches caches) {
    this.model = model;
    this.caches = caches;
  }

  /** A compile found these configs and verdicts changed. */
  void modelChanged(ModelSnapshot.Changes changes) {
    reconcileNodes(changes.nodes());
    reconcileVirtualServers(changes.virtualServers());
    reconcileRealServers(changes.realServers());
    reconcileVrrpInstances(changes.vrrpInstances());
  }

  void virtualServer(VirtualServer before, VirtualServer after) {
    ModelSnapshot last = model.last();
    ObjectKey key = ObjectKey.of(after != null ? after : before);
    if (!specOrDeletionDiffers(before, after)
        && !statusFeedbackMatters(
            field(before, VirtualServerStatus::virtualRouterId),
            field(after, VirtualServerStatus::virtualRouterId),
            field(before, VirtualServerStatus::lastGoodSpec),
            field(after, VirtualServerStatus::lastGoodSpec),
            last.virtualServer(key).map(VirtualServerResult::virtualRouterId),
            last.virtualServer(key).map(r -> (Boolean) !r.errors().isEmpty()))) {
      return; // a status write, ours: it carries what the last compile already used
    }
    model.inputChanged();
    Set<String> targets = new HashSet<>(last.nodesHolding(key));
    if (after != null && after.getMetadata().getDeletionTimestamp() == null) {
      targets.addAll(nodesNamedBy(after.getSpec()));
    }
    reconcileNodes(targets);
    reconcileHeldBack(last.heldBackBy(key));
  }

  /** A VrrpInstance changed: its directors before and after, and what it held back. */
  void vrrpInstance(VrrpInstance before, VrrpInstance after) {
    ModelSnapshot last = model.last();
    ObjectKey key = ObjectKey.of(after != null ? after : before);
    if (!specOrDeletionDiffers(before, after)
        && !statusFeedbackMatters(
            vrid(before),
            vrid(after),
            lastGood(before),
            lastGood(after),
            last.vrrpInstance(key).map(VrrpInstanceResult::virtualRouterId),
            last.vrrpInstance(key).map(r -> (Boolean) !r.errors().isEmpty()))) {
      return; // a status write, ours: it carries what the last compile already used
    }
    model.inputChanged();
    Set<String> targets = new HashSet<>(last.nodesOfInstance(key));
    if (after != null && after.getSpec() != null) {
      targets.addAll(nodesNamedBy(after.getSpec().directors()));
    }
    reconcileNodes(targets);
    reconcileHeldBack(last.heldBackBy(key));
  }

  void realServer(RealServer before, RealServer after) {
    if (before != null
        && after != null
        && Objects.equals(before.getMetadata().getGeneration(), after.getMetadata().getGeneration())
        && Objects.equals(before.getMetadata().getLabels(), after.getMetadata().getLabels())) {
      return; // a status write, ours
    }
    model.inputChanged();
    ModelSnapshot last = model.last();
    RealServer any = after != null ? after : before;
    ObjectKey key = ObjectKey.of(any);
    Set<ObjectKey> served = new HashSet<>();
    last.realServer(key).ifPresent(r -> served.addAll(r.virtualServers()));
    Set<String> targets = new HashSet<>();
    for (RealServer rs : new RealServer[] {before, after}) {
      if (rs == null || rs.getSpec() == null) {
        continue;
      }
      if (rs.getSpec().virtualServer() != null) {
        served.add(new ObjectKey(key.namespace(), rs.getSpec().virtualServer()));
      }
      if (rs.getSpec().node() != null) {
        targets.add(rs.getSpec().node());
      }
    }
    for (ObjectKey vs : served) {
      targets.addAll(last.nodesHolding(vs));
    }
    reconcileNodes(targets);
    reconcileVirtualServers(served);
    reconcileRealServers(Set.of(key));
  }

  void node(Node before, Node after) {
    Node any = after != null ? after : before;
    String name = any.getMetadata().getName();
    ModelSnapshot last = model.last();
    boolean config = before == null || after == null || configFieldsDiffer(before, after);
    if (config) {
      model.inputChanged();
      Set<String> targets = new HashSet<>(Set.of(name));
      // Other directors of the same instances carry this node's address as a unicast peer.
      for (ObjectKey vs : last.virtualServersOn(name)) {
        targets.addAll(last.nodesHolding(vs));
      }
      reconcileNodes(targets);
    }
    if (config || DirectorObservation.isReady(before) != DirectorObservation.isReady(after)) {
      reconcileVirtualServers(last.virtualServersOn(name));
      reconcileRealServers(last.realServersOn(name));
      reconcileVrrpInstances(last.vrrpInstancesOn(name));
    }
  }

  /** An agent wrote its LvsNode's status: what it reports feeds the status of what it runs. */
  void agentReport(LvsNode before, LvsNode after) {
    LvsNodeStatus was = before == null ? null : before.getStatus();
    LvsNodeStatus now = after == null ? null : after.getStatus();
    if (withoutHeartbeat(was).equals(withoutHeartbeat(now))) {
      return; // a heartbeat alone changes no status; the resync re-judges silent agents
    }
    String name = (after != null ? after : before).getMetadata().getName();
    ModelSnapshot last = model.last();
    reconcileVirtualServers(last.virtualServersOn(name));
    reconcileRealServers(last.realServersOn(name));
    reconcileVrrpInstances(last.vrrpInstancesOn(name));
  }

  /**
   * A slice came, went, or an agent wrote its status: what it reports feeds the status of the
   * VirtualServers it holds (before or after) and of their RealServers.
   */
  void sliceReport(LvsNodeSlice before, LvsNodeSlice after) {
    Set<ObjectKey> held = new HashSet<>();
    for (LvsNodeSlice s : new LvsNodeSlice[] {before, after}) {
      if (s != null && s.getSpec() != null) {
        for (LvsNodeSliceSpec.Entry e : s.getSpec().entries()) {
          if (e.source() != null) {
            held.add(new ObjectKey(e.source().namespace(), e.source().name()));
          }
        }
      }
    }
    ModelSnapshot last = model.last();
    Set<ObjectKey> realServers = new HashSet<>();
    held.forEach(vs -> realServers.addAll(last.realServersOf(vs)));
    reconcileVirtualServers(held);
    reconcileRealServers(realServers);
  }

  /**
   * A TenantPolicy came, went or changed its spec: the VirtualServers, VrrpInstances and
   * RealServers of the namespaces it names before or after. Their reconciles compile the model
   * again, and the compile routes the nodes whose config changed ({@link #modelChanged}).
   */
  void tenantPolicy(TenantPolicy before, TenantPolicy after) {
    if (!specOrDeletionDiffers(before, after)) {
      return;
    }
    model.inputChanged();
    Set<String> namespaces = new HashSet<>();
    for (TenantPolicy p : new TenantPolicy[] {before, after}) {
      if (p != null && p.getSpec() != null) {
        namespaces.addAll(p.getSpec().namespaces());
      }
    }
    reconcileVirtualServers(inNamespaces(caches.virtualServers(), namespaces));
    reconcileVrrpInstances(inNamespaces(caches.vrrpInstances(), namespaces));
    reconcileRealServers(inNamespaces(caches.realServers(), namespaces));
  }

  private static Set<ObjectKey> inNamespaces(
      java.util.stream.Stream<? extends HasMetadata> objects, Set<String> namespaces) {
    Set<ObjectKey> out = new HashSet<>();
    objects.map(ObjectKey::of).filter(k -> namespaces.contains(k.namespace())).forEach(out::add);
    return out;
  }

  /** A referenced Secret changed: the VirtualServers naming it and their nodes. */
  void secret(ObjectKey secret) {
    model.inputChanged();
    ModelSnapshot last = model.last();
    Set<ObjectKey> users = new HashSet<>();
    caches
        .virtualServers()
        .filter(
            vs ->
                CompilerInputs.secretKey(vs)
                    .map(k -> k.namespace().equals(secret.namespace()))
                    .orElse(false))
        .filter(vs -> secret.name().equals(CompilerInputs.secretRef(vs).name()))
        .forEach(vs -> users.add(ObjectKey.of(vs)));
    Set<ObjectKey> instances = new HashSet<>();
    caches
        .vrrpInstances()
        .filter(
            vi ->
                CompilerInputs.secretKey(vi)
                    .map(
                        k ->
                            k.namespace().equals(secret.namespace())
                                && k.name().equals(secret.name()))
                    .orElse(false))
        .forEach(vi -> instances.add(ObjectKey.of(vi)));
    Set<String> targets = new HashSet<>();
    users.forEach(vs -> targets.addAll(last.nodesHolding(vs)));
    instances.forEach(vi -> targets.addAll(last.nodesOfInstance(vi)));
    reconcileNodes(targets);
    reconcileVirtualServers(users);
    reconcileVrrpInstances(instances);
  }

  /** The nodes a VirtualServer spec names or selects: where it will run. */
  Set<String> nodesNamedBy(VirtualServerSpec spec) {
    Set<String> out = new HashSet<>();
    if (spec == null) {
      return out;
    }
    out.addAll(nodesNamedBy(spec.directors()));
    if (spec.realServers() != null) {
      spec.realServers().stream()
          .filter(Objects::nonNull)
          .map(VirtualServerSpec.InlineRealServer::node)
          .filter(Objects::nonNull)
          .forEach(out::add);
    }
    return out;
  }

  /** The nodes a directors section names or selects. */
  Set<String> nodesNamedBy(VirtualServerSpec.Directors directors) {
    Set<String> out = new HashSet<>();
    if (directors == null) {
      return out;
    }
    if (directors.nodes() != null) {
      directors.nodes().stream()
          .filter(Objects::nonNull)
          .map(VirtualServerSpec.DirectorNode::name)
          .filter(Objects::nonNull)
          .forEach(out::add);
    }
    if (directors.nodeSelector() != null && !directors.nodeSelector().isEmpty()) {
      Map<String, String> selector = directors.nodeSelector();
      caches
          .nodes()
          .filter(n -> labelsMatch(selector, n.getMetadata().getLabels()))
          .forEach(n -> out.add(n.getMetadata().getName()));
    }
    return out;
  }

  /** An object came, went, or changed its spec (generation) or its deletion. */
  static boolean specOrDeletionDiffers(HasMetadata before, HasMetadata after) {
    if (before == null || after == null) {
      return true;
    }
    return !Objects.equals(
            before.getMetadata().getGeneration(), after.getMetadata().getGeneration())
        || (before.getMetadata().getDeletionTimestamp() == null)
            != (after.getMetadata().getDeletionTimestamp() == null);
  }

  /**
   * Whether a status write changes what the compiler reads back from it: a VRID other than the one
   * the last compile allocated, or another last good spec while the object is invalid (only then
   * does the compiler run it). The operator's own status writes carry exactly what the last compile
   * used, so they cost no compile: without this, each of N first status writes would recompile all
   * N objects.
   *
   * @param compiledVrid the VRID the last compile gave the object (empty: it did not know it)
   * @param compiledInvalid whether the last compile found the object invalid (empty: unknown)
   */
  static boolean statusFeedbackMatters(
      Integer vridBefore,
      Integer vridAfter,
      String lastGoodBefore,
      String lastGoodAfter,
      Optional<Integer> compiledVrid,
      Optional<Boolean> compiledInvalid) {
    boolean vrid =
        !Objects.equals(vridBefore, vridAfter)
            && (compiledVrid.isEmpty() || !Objects.equals(compiledVrid.get(), vridAfter));
    boolean lastGood =
        !Objects.equals(lastGoodBefore, lastGoodAfter) && compiledInvalid.orElse(true);
    return vrid || lastGood;
  }

  /** Whether a Node update changes what the compiler reads of it: labels, addresses, identity. */
  static boolean configFieldsDiffer(Node before, Node after) {
    return !Objects.equals(before.getMetadata().getLabels(), after.getMetadata().getLabels())
        || !Objects.equals(
            CompilerInputs.nodeInfo(before).addresses(), CompilerInputs.nodeInfo(after).addresses())
        || !Objects.equals(before.getMetadata().getUid(), after.getMetadata().getUid());
  }

  private static <T> T field(VirtualServer vs, Function<VirtualServerStatus, T> get) {
    return vs == null || vs.getStatus() == null ? null : get.apply(vs.getStatus());
  }

  private static LvsNodeStatus withoutHeartbeat(LvsNodeStatus s) {
    if (s == null) {
      return new LvsNodeStatus(null, null, null, null, null, null, null);
    }
    return new LvsNodeStatus(
        s.observedGeneration(),
        s.agentVersion(),
        null,
        s.lastError(),
        s.vrrp(),
        s.health(),
        s.conditions());
  }

  private static boolean labelsMatch(Map<String, String> selector, Map<String, String> labels) {
    if (labels == null) {
      return false;
    }
    // A null key or value in a hostile selector matches nothing; the compiler reports it.
    return selector.entrySet().stream()
        .allMatch(e -> Objects.equals(labels.get(e.getKey()), e.getValue()));
  }

  private void reconcileNodes(Collection<String> names) {
    Trigger<Node> t = nodes;
    if (t != null && !names.isEmpty()) {
      t.reconcile(names.stream().map(ResourceID::new).toList());
    }
  }

  private void reconcileVirtualServers(Collection<ObjectKey> keys) {
    Trigger<VirtualServer> t = virtualServers;
    if (t != null && !keys.isEmpty()) {
      t.reconcile(keys.stream().map(ChangeRouting::id).toList());
    }
  }

  /**
   * Held back by a conflict: VirtualServers or VrrpInstances (each trigger ignores the other's).
   */
  private void reconcileHeldBack(Collection<ObjectKey> keys) {
    reconcileVirtualServers(keys);
    reconcileVrrpInstances(keys);
  }

  private void reconcileVrrpInstances(Collection<ObjectKey> keys) {
    Trigger<VrrpInstance> t = vrrpInstances;
    if (t != null && !keys.isEmpty()) {
      t.reconcile(keys.stream().map(ChangeRouting::id).toList());
    }
  }

  private static Integer vrid(VrrpInstance vi) {
    return vi == null || vi.getStatus() == null ? null : vi.getStatus().virtualRouterId();
  }

  private static String lastGood(VrrpInstance vi) {
    return vi == null || vi.getStatus() == null ? null : vi.getStatus().lastGoodSpec();
  }

  private void reconcileRealServers(Collection<ObjectKey> keys) {
    Trigger<RealServer> t = realServers;
    if (t != null && !keys.isEmpty()) {
      t.reconcile(keys.stream().map(ChangeRouting::id).toList());
    }
  }

  private static ResourceID id(ObjectKey key) {
    return new ResourceID(key.name(), key.namespace());
  }
}
