package io.lvsoperator.operator;

import io.lvsoperator.api.v1alpha1.AddressPool;
import io.lvsoperator.compiler.ObjectKey;
import io.lvsoperator.operator.loadbalancer.Allocation;
import io.lvsoperator.operator.loadbalancer.Pool;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One allocation of pool addresses to every LoadBalancer Service, with the pools it was made from.
 *
 * @param version the {@link LoadBalancerModel} input version it was computed at
 * @param pools every AddressPool's verdict and usable ranges, by name
 * @param poolObjects the AddressPools themselves, by name
 * @param allocation what each Service got
 * @param uids the uid of each Service in the allocation (a Service recreated under its name is
 *     another Service)
 */
record LoadBalancerSnapshot(
    long version,
    SortedMap<String, Pool> pools,
    Map<String, AddressPool> poolObjects,
    Allocation allocation,
    Map<ObjectKey, String> uids) {
  static final LoadBalancerSnapshot EMPTY =
      new LoadBalancerSnapshot(0, new TreeMap<>(), Map.of(), Allocation.EMPTY, Map.of());

  Optional<Pool> pool(String name) {
    return Optional.ofNullable(pools.get(name));
  }

  Optional<AddressPool> poolObject(String name) {
    return Optional.ofNullable(poolObjects.get(name));
  }

  /** The address the previous allocation gave the Service with this uid, if any. */
  Optional<String> addressOf(ObjectKey service, String uid) {
    if (!Objects.equals(uids.get(service), uid)) {
      return Optional.empty();
    }
    return allocation.assignment(service).map(Allocation.Assignment::address);
  }

  /** Per namespace, the number of its Services holding an address of {@code pool}. */
  SortedMap<String, Integer> namespacesOf(String pool) {
    SortedMap<String, Integer> out = new TreeMap<>();
    allocation
        .assignments()
        .forEach(
            (service, a) -> {
              if (a.pool().equals(pool)) {
                out.merge(service.namespace(), 1, Integer::sum);
              }
            });
    return out;
  }

  /** The Services holding an address of {@code pool}. */
  Set<ObjectKey> servicesOf(String pool) {
    Set<ObjectKey> out = new HashSet<>();
    allocation
        .assignments()
        .forEach(
            (service, a) -> {
              if (a.pool().equals(pool)) {
                out.add(service);
              }
            });
    return out;
  }

  /** What changed since {@code before}: the Services whose lot differs, and the pools touched. */
  Changes changesSince(LoadBalancerSnapshot before) {
    Set<ObjectKey> services = new HashSet<>();
    Set<String> pools = new HashSet<>();
    Set<ObjectKey> keys = new HashSet<>(allocation.assignments().keySet());
    keys.addAll(allocation.refusals().keySet());
    keys.addAll(before.allocation.assignments().keySet());
    keys.addAll(before.allocation.refusals().keySet());
    for (ObjectKey k : keys) {
      var now = allocation.assignment(k);
      var then = before.allocation.assignment(k);
      if (!now.equals(then)
          || !allocation.refusal(k).equals(before.allocation.refusal(k))
          || !Objects.equals(uids.get(k), before.uids.get(k))) {
        services.add(k);
        now.ifPresent(a -> pools.add(a.pool()));
        then.ifPresent(a -> pools.add(a.pool()));
      }
    }
    Set<String> names = new HashSet<>(this.pools.keySet());
    names.addAll(before.pools.keySet());
    for (String name : names) {
      if (!Objects.equals(this.pools.get(name), before.pools.get(name))) {
        pools.add(name);
      }
    }
    return new Changes(Set.copyOf(services), Set.copyOf(pools));
  }

  record Changes(Set<ObjectKey> services, Set<String> pools) {
    boolean isEmpty() {
      return services.isEmpty() && pools.isEmpty();
    }
  }
}
