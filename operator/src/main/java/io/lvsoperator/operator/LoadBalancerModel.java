package io.lvsoperator.operator;

import io.fabric8.kubernetes.api.model.Service;
import io.lvsoperator.api.v1alpha1.AddressPool;
import io.lvsoperator.compiler.ObjectKey;
import io.lvsoperator.operator.loadbalancer.AddressAllocator;
import io.lvsoperator.operator.loadbalancer.AddressPools;
import io.lvsoperator.operator.loadbalancer.Allocation;
import io.lvsoperator.operator.loadbalancer.Pool;
import io.lvsoperator.operator.loadbalancer.ServiceClaim;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The allocation of pool addresses to every LoadBalancer Service, computed once and shared by the
 * Service and AddressPool reconcilers, memoized by its inputs as {@link ClusterModel} is: a change
 * to a Service, an AddressPool, or an address some other object holds bumps the input version, and
 * the next reconcile that asks computes again. Allocation is global (two Services must never get
 * one address), so it is computed over all Services at once, never per Service.
 *
 * <p>Where the allocation is recorded: in each Service's own {@code status.loadBalancer.ingress}.
 * The allocator keeps the address a Service holds there (sticky across restarts and leader changes;
 * nothing else to store or clean up), and, while the status write is on its way, the address the
 * previous computation in this process gave it, so a cache that lags behind our own status write
 * can never hand that address to another Service.
 *
 * <p>After each computation the model compares it with the previous one and hands the difference to
 * its listener: the Services whose address or refusal changed, and the pools touched.
 */
final class LoadBalancerModel {
  private static final Logger LOG = LoggerFactory.getLogger(LoadBalancerModel.class);

  private final ClusterCaches cluster;
  private final LoadBalancerCaches caches;
  private final LoadBalancerSettings settings;
  private final AtomicLong inputVersion = new AtomicLong(1);
  private final Object lock = new Object();
  private volatile LoadBalancerSnapshot snapshot = LoadBalancerSnapshot.EMPTY;
  private volatile Consumer<LoadBalancerSnapshot.Changes> changes = c -> {};

  LoadBalancerModel(
      ClusterCaches cluster, LoadBalancerCaches caches, LoadBalancerSettings settings) {
    this.cluster = cluster;
    this.caches = caches;
    this.settings = settings;
  }

  void onChanges(Consumer<LoadBalancerSnapshot.Changes> listener) {
    this.changes = listener;
  }

  void inputChanged() {
    inputVersion.incrementAndGet();
  }

  LoadBalancerSnapshot last() {
    return snapshot;
  }

  LoadBalancerSettings settings() {
    return settings;
  }

  LoadBalancerSnapshot current() {
    LoadBalancerSnapshot s = snapshot;
    if (s.version() == inputVersion.get()) {
      return s;
    }
    caches.awaitSynced(cluster, Duration.ofSeconds(60));
    LoadBalancerSnapshot before;
    LoadBalancerSnapshot next;
    synchronized (lock) {
      before = snapshot;
      long version = inputVersion.get();
      if (before.version() == version) {
        return before;
      }
      next = compute(version, before);
      snapshot = next;
    }
    LoadBalancerSnapshot.Changes changed = next.changesSince(before);
    if (!changed.isEmpty()) {
      changes.accept(changed);
    }
    return next;
  }

  private LoadBalancerSnapshot compute(long version, LoadBalancerSnapshot before) {
    Map<String, AddressPool> poolObjects = new HashMap<>();
    caches
        .pools()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null && p.getSpec() != null)
        .forEach(p -> poolObjects.put(p.getMetadata().getName(), p));
    List<Pool> pools =
        AddressPools.validate(
            poolObjects.values().stream().map(LoadBalancerInputs::poolDefinition).toList());
    List<ServiceClaim> claims = new ArrayList<>();
    Map<ObjectKey, String> uids = new HashMap<>();
    Set<String> live = new HashSet<>();
    for (Service service : caches.services().toList()) {
      if (!LoadBalancerInputs.serves(service, settings)) {
        continue;
      }
      ObjectKey key = ObjectKey.of(service);
      String uid = service.getMetadata().getUid();
      claims.add(LoadBalancerInputs.claim(service, before.addressOf(key, uid)));
      uids.put(key, uid);
      live.add(uid);
    }
    Map<Long, String> reserved =
        LoadBalancerInputs.reserved(
            cluster.virtualServers().toList(), cluster.vrrpInstances().toList(), live);
    Allocation allocation = AddressAllocator.allocate(pools, claims, reserved);
    TreeMap<String, Pool> byName = new TreeMap<>();
    pools.forEach(p -> byName.put(p.name(), p));
    LOG.debug(
        "event=addresses_allocated version={} pools={} services={} assigned={} refused={}",
        version,
        pools.size(),
        claims.size(),
        allocation.assignments().size(),
        allocation.refusals().size());
    return new LoadBalancerSnapshot(version, byName, Map.copyOf(poolObjects), allocation, uids);
  }
}
