package io.lvsoperator.operator;

import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.lvsoperator.api.v1alpha1.AddressPool;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * The informer caches of the LoadBalancer controllers: Services (primary of {@link
 * ServiceReconciler}) and AddressPools (primary of {@link AddressPoolReconciler}); the other kinds
 * come from {@link ClusterCaches}. Set while the controllers are registered.
 */
final class LoadBalancerCaches {
  volatile IndexerResourceCache<Service> services;
  volatile IndexerResourceCache<AddressPool> pools;

  Stream<Service> services() {
    return services.list(x -> true);
  }

  Stream<AddressPool> pools() {
    return pools.list(x -> true);
  }

  boolean synced() {
    return ClusterCaches.listed(services) && ClusterCaches.listed(pools);
  }

  /** Waits until these caches and the cluster's have listed what exists. */
  void awaitSynced(ClusterCaches cluster, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    cluster.awaitSynced(limit);
    while (!synced()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the Service and AddressPool caches have not synced yet");
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
