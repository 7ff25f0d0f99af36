package io.lvsoperator.operator.loadbalancer;

import io.lvsoperator.compiler.ObjectKey;
import java.time.Instant;
import java.util.Objects;

/**
 * A LoadBalancer Service asking for an address.
 *
 * @param created its creationTimestamp: older Services choose first
 * @param requestedAddress the address it asks for (spec.loadBalancerIP or the annotation), or null
 * @param requestedFrom where that address was written, for messages
 * @param requestedPool the pool it names (annotation lvsoperator.io/address-pool), or null
 * @param heldAddress the address it holds: its status.loadBalancer.ingress, or what the previous
 *     allocation gave it while its status write is on its way; null if none
 */
public record ServiceClaim(
    ObjectKey key,
    String uid,
    Instant created,
    String requestedAddress,
    String requestedFrom,
    String requestedPool,
    String heldAddress) {
  public ServiceClaim {
    Objects.requireNonNull(key, "key");
    created = created == null ? Instant.EPOCH : created;
  }

  /** The same claim holding {@code address}. */
  public ServiceClaim holding(String address) {
    return new ServiceClaim(
        key, uid, created, requestedAddress, requestedFrom, requestedPool, address);
  }

  /** The same claim naming pool {@code pool}. */
  public ServiceClaim inPool(String pool) {
    return new ServiceClaim(key, uid, created, requestedAddress, requestedFrom, pool, heldAddress);
  }
}
