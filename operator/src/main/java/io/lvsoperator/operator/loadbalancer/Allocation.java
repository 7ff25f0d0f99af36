package io.lvsoperator.operator.loadbalancer;

import io.lvsoperator.compiler.ObjectKey;
import java.util.Map;
import java.util.Optional;

/**
 * What every LoadBalancer Service got: an address from a pool, or the reason it got none. No
 * address is in two assignments, nor held by anything else.
 */
public record Allocation(Map<ObjectKey, Assignment> assignments, Map<ObjectKey, Refusal> refusals) {
  public static final Allocation EMPTY = new Allocation(Map.of(), Map.of());

  public Allocation {
    assignments = Map.copyOf(assignments);
    refusals = Map.copyOf(refusals);
  }

  public Optional<Assignment> assignment(ObjectKey service) {
    return Optional.ofNullable(assignments.get(service));
  }

  public Optional<Refusal> refusal(ObjectKey service) {
    return Optional.ofNullable(refusals.get(service));
  }

  /** An address from a pool. */
  public record Assignment(String pool, String address) {}

  /**
   * Why a Service has no address.
   *
   * @param reason InvalidRequest, AddressNotInPool, PoolNotFound, NamespaceNotAdmitted,
   *     PoolNotAccepted, AddressInUse, PoolExhausted or NoPool
   */
  public record Refusal(String reason, String message) {}
}
