package io.lvsoperator.operator.loadbalancer;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * An AddressPool as the allocator reads it.
 *
 * @param created its creationTimestamp: of two overlapping pools the older keeps the addresses
 * @param addresses spec.addresses as written
 * @param namespaces spec.namespaces; empty admits every namespace
 * @param autoAssign spec.autoAssign (default true)
 */
public record PoolDefinition(
    String name,
    Instant created,
    List<String> addresses,
    Set<String> namespaces,
    boolean autoAssign) {
  public PoolDefinition {
    created = created == null ? Instant.EPOCH : created;
    addresses = addresses == null ? List.of() : List.copyOf(addresses);
    namespaces = namespaces == null ? Set.of() : Set.copyOf(namespaces);
  }
}
