package io.lvsoperator.operator.loadbalancer;

import io.lvsoperator.compiler.ObjectKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Hands out pool addresses to LoadBalancer Services. Pure and deterministic: the same pools, claims
 * and reservations give the same allocation, in any order.
 *
 * <ol>
 *   <li>Sticky: a Service keeps the address it holds while that address is in a pool that admits
 *       its namespace, matches what it asks for, and no older Service holds it. An object written
 *       later with that address (a VirtualServer by hand) does not take it: the compiler holds the
 *       newer one back.
 *   <li>Requests: a Service asking for an address (spec.loadBalancerIP or the annotation) gets it
 *       if it is free in an accepted pool that admits the namespace, else a refusal saying why.
 *   <li>The rest, oldest first: the lowest free address of the pool it names, or of the first pool
 *       by name that admits its namespace and auto-assigns.
 * </ol>
 *
 * No address is handed out twice, nor newly one that another object (a VirtualServer written by
 * hand, a VrrpInstance, a VirtualServer whose Service is gone) holds.
 */
public final class AddressAllocator {
  private static final Comparator<ServiceClaim> AGE =
      Comparator.comparing(ServiceClaim::created).thenComparing(ServiceClaim::key);

  private final List<Pool> pools;
  private final Map<Long, String> reserved;
  private final Map<Long, ObjectKey> used = new HashMap<>();
  private final Map<String, Long> cursors = new HashMap<>();
  private final Map<ObjectKey, Allocation.Assignment> assignments = new LinkedHashMap<>();
  private final Map<ObjectKey, Allocation.Refusal> refusals = new LinkedHashMap<>();

  private AddressAllocator(List<Pool> pools, Map<Long, String> reserved) {
    this.pools = pools.stream().sorted(Comparator.comparing(Pool::name)).toList();
    this.reserved = reserved;
  }

  /**
   * @param reserved addresses held by other objects, each with a description of its holder ("the
   *     VIP of VirtualServer team-a/web")
   */
  public static Allocation allocate(
      List<Pool> pools, List<ServiceClaim> claims, Map<Long, String> reserved) {
    AddressAllocator a = new AddressAllocator(pools, reserved);
    List<ServiceClaim> ordered = claims.stream().sorted(AGE).toList();
    List<ServiceClaim> rest = new ArrayList<>();
    for (ServiceClaim c : ordered) {
      if (!a.keepHeld(c)) {
        rest.add(c);
      }
    }
    for (ServiceClaim c : rest) {
      if (c.requestedAddress() != null) {
        a.request(c);
      }
    }
    for (ServiceClaim c : rest) {
      if (c.requestedAddress() == null) {
        a.assignFree(c);
      }
    }
    return new Allocation(a.assignments, a.refusals);
  }

  private boolean keepHeld(ServiceClaim c) {
    Optional<Long> held = AddressRange.address(c.heldAddress());
    if (held.isEmpty()) {
      return false;
    }
    Optional<Pool> pool = poolOf(held.get());
    boolean keep =
        pool.isPresent()
            && pool.get().admits(c.key().namespace())
            && (c.requestedPool() == null || c.requestedPool().equals(pool.get().name()))
            && (c.requestedAddress() == null
                || AddressRange.address(c.requestedAddress()).equals(held))
            // Another object claiming a held address is newer: the compiler holds that one back.
            && !used.containsKey(held.get());
    if (keep) {
      assign(c, pool.get(), held.get());
    }
    return keep;
  }

  private void request(ServiceClaim c) {
    String asked = c.requestedAddress() + " (" + c.requestedFrom() + ")";
    Optional<Long> address = AddressRange.address(c.requestedAddress());
    if (address.isEmpty()) {
      refuse(c, "InvalidRequest", asked + " is not an IPv4 address");
      return;
    }
    Optional<Pool> pool = poolOf(address.get());
    if (pool.isEmpty()) {
      refuse(c, "AddressNotInPool", asked + " is in no AddressPool");
      return;
    }
    Pool p = pool.get();
    if (c.requestedPool() != null && !c.requestedPool().equals(p.name())) {
      refuse(
          c,
          "AddressNotInPool",
          asked
              + " is in AddressPool "
              + p.name()
              + ", not in "
              + c.requestedPool()
              + " (annotation "
              + LoadBalancerNames.POOL_ANNOTATION
              + ")");
      return;
    }
    if (admissible(c, p)) {
      String other = holder(address.get());
      if (other != null) {
        refuse(c, "AddressInUse", asked + " is " + other);
      } else {
        assign(c, p, address.get());
      }
    }
  }

  private void assignFree(ServiceClaim c) {
    List<Pool> candidates;
    if (c.requestedPool() != null) {
      Optional<Pool> named =
          pools.stream().filter(p -> p.name().equals(c.requestedPool())).findFirst();
      if (named.isEmpty()) {
        refuse(
            c,
            "PoolNotFound",
            "AddressPool "
                + c.requestedPool()
                + " (annotation "
                + LoadBalancerNames.POOL_ANNOTATION
                + ") does not exist");
        return;
      }
      if (!admissible(c, named.get())) {
        return;
      }
      candidates = List.of(named.get());
    } else {
      candidates =
          pools.stream()
              .filter(p -> p.accepted() && p.autoAssign() && p.admits(c.key().namespace()))
              .toList();
      if (candidates.isEmpty()) {
        refuse(
            c,
            "NoPool",
            "no accepted AddressPool with autoAssign admits namespace " + c.key().namespace());
        return;
      }
    }
    for (Pool p : candidates) {
      Optional<Long> free = nextFree(p);
      if (free.isPresent()) {
        assign(c, p, free.get());
        return;
      }
    }
    refuse(
        c,
        "PoolExhausted",
        candidates.stream()
                .map(p -> "AddressPool " + p.name() + " (" + p.size() + " addresses)")
                .collect(Collectors.joining(", "))
            + (candidates.size() == 1 ? " has" : " have")
            + " no free address");
  }

  /** Whether {@code c} may take new addresses of {@code p}; refuses it if not. */
  private boolean admissible(ServiceClaim c, Pool p) {
    if (!p.admits(c.key().namespace())) {
      refuse(
          c,
          "NamespaceNotAdmitted",
          "AddressPool "
              + p.name()
              + " does not admit namespace "
              + c.key().namespace()
              + " (spec.namespaces)");
      return false;
    }
    if (!p.accepted()) {
      refuse(
          c,
          "PoolNotAccepted",
          "AddressPool " + p.name() + " hands out no new addresses: " + p.message());
      return false;
    }
    return true;
  }

  /** The lowest address of {@code p} that nothing holds. */
  private Optional<Long> nextFree(Pool p) {
    // Only assignments happen from here on, so every address below the cursor stays taken.
    long from = cursors.getOrDefault(p.name(), -1L);
    for (AddressRange r :
        p.ranges().stream().sorted(Comparator.comparingLong(AddressRange::first)).toList()) {
      for (long a = Math.max(r.first(), from); a <= r.last(); a++) {
        if (!used.containsKey(a) && !reserved.containsKey(a)) {
          cursors.put(p.name(), a);
          return Optional.of(a);
        }
      }
    }
    cursors.put(p.name(), Long.MAX_VALUE);
    return Optional.empty();
  }

  private String holder(long address) {
    if (reserved.containsKey(address)) {
      return reserved.get(address);
    }
    ObjectKey other = used.get(address);
    return other == null ? null : "held by Service " + other;
  }

  private Optional<Pool> poolOf(long address) {
    return pools.stream().filter(p -> p.contains(address)).findFirst();
  }

  private void assign(ServiceClaim c, Pool p, long address) {
    used.put(address, c.key());
    assignments.put(c.key(), new Allocation.Assignment(p.name(), AddressRange.format(address)));
  }

  private void refuse(ServiceClaim c, String reason, String message) {
    refusals.put(c.key(), new Allocation.Refusal(reason, message));
  }
}
