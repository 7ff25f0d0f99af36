package io.lvsoperator.operator;

import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.health.InformerHealthIndicator;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.ManagedInformerEventSource;
import io.lvsoperator.api.v1alpha1.LvsNode;
import io.lvsoperator.api.v1alpha1.LvsNodeSlice;
import io.lvsoperator.api.v1alpha1.RealServer;
import io.lvsoperator.api.v1alpha1.TenantPolicy;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import io.lvsoperator.api.v1alpha1.VrrpInstance;
import io.lvsoperator.compiler.ObjectKey;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The informer caches the reconcilers share. Each kind is watched once, by the controller whose
 * primary or dependent it is: VirtualServers by {@link VirtualServerReconciler}, RealServers by
 * {@link RealServerReconciler}, VrrpInstances by {@link VrrpInstanceReconciler}, Nodes, LvsNodes
 * and LvsNodeSlices by {@link NodeConfigReconciler}, TenantPolicies by {@link
 * VirtualServerReconciler} (a secondary source, {@link TenantPolicySource}). JOSDK 5.2 gives every
 * controller informers of its own, so a second informer on VirtualServers would hold every
 * VirtualServer twice; the reconcilers read each other's caches through this holder instead, and
 * hear of each other's changes through {@link ChangeRouting}. Set while the controllers are
 * registered, before any of them starts.
 */
final class ClusterCaches {
  volatile IndexerResourceCache<VirtualServer> virtualServers;
  volatile IndexerResourceCache<RealServer> realServers;
  volatile IndexerResourceCache<Node> nodes;
  volatile IndexerResourceCache<LvsNode> lvsNodes;
  volatile IndexerResourceCache<LvsNodeSlice> lvsNodeSlices;
  volatile IndexerResourceCache<VrrpInstance> vrrpInstances;
  volatile IndexerResourceCache<TenantPolicy> tenantPolicies;

  Stream<VirtualServer> virtualServers() {
    return virtualServers.list(x -> true);
  }

  Stream<RealServer> realServers() {
    return realServers.list(x -> true);
  }

  Stream<VrrpInstance> vrrpInstances() {
    return vrrpInstances.list(x -> true);
  }

  Stream<TenantPolicy> tenantPolicies() {
    return tenantPolicies.list(x -> true);
  }

  Stream<Node> nodes() {
    return nodes.list(x -> true);
  }

  Optional<VirtualServer> virtualServer(ObjectKey key) {
    return virtualServers.get(new ResourceID(key.name(), key.namespace()));
  }

  Optional<Node> node(String name) {
    return nodes.get(new ResourceID(name));
  }

  Optional<LvsNode> lvsNode(String name) {
    return lvsNodes.get(new ResourceID(name));
  }

  Stream<LvsNode> lvsNodes() {
    return lvsNodes.list(x -> true);
  }

  /** The slices labelled with this node. */
  List<LvsNodeSlice> slicesOf(String node) {
    return lvsNodeSlices.byIndex(LvsNodeSliceDependent.BY_NODE, node);
  }

  /** Every cache has listed what exists (a compile before that would see a partial cluster). */
  boolean synced() {
    for (IndexerResourceCache<?> cache :
        List.of(
            virtualServers,
            realServers,
            nodes,
            lvsNodes,
            lvsNodeSlices,
            vrrpInstances,
            tenantPolicies)) {
      if (!(cache instanceof ManagedInformerEventSource<?, ?, ?> source)
          || !source.isRunning()
          || source.informerHealthIndicators().isEmpty()
          || !source.informerHealthIndicators().values().stream()
              .allMatch(InformerHealthIndicator::hasSynced)) {
        return false;
      }
    }
    return true;
  }

  /** Waits until {@link #synced()}; a reconcile that starts before the others' caches waits. */
  void awaitSynced(Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!synced()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the informer caches have not synced yet");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for the informer caches", e);
      }
    }
  }
}
