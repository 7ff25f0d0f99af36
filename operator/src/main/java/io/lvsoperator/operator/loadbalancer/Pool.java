package io.lvsoperator.operator.loadbalancer;

import java.util.List;
import java.util.Set;

/**
 * A pool as the allocator uses it: its valid ranges that no older pool holds, and whether it hands
 * out new addresses. A pool with a problem (a range that does not parse, an overlap with an older
 * pool) hands out none, but the Services holding addresses in its remaining ranges keep them:
 * nothing that runs is disturbed by a bad edit.
 *
 * @param reason Accepted, InvalidSpec or Overlap
 * @param message what is wrong, naming the field, the value and the other pool; empty when accepted
 */
public record Pool(
    String name,
    List<AddressRange> ranges,
    Set<String> namespaces,
    boolean autoAssign,
    String reason,
    String message) {
  public static final String ACCEPTED = "Accepted";
  public static final String INVALID_SPEC = "InvalidSpec";
  public static final String OVERLAP = "Overlap";

  public Pool {
    ranges = List.copyOf(ranges);
    namespaces = Set.copyOf(namespaces);
  }

  /** Whether it hands out new addresses. */
  public boolean accepted() {
    return ACCEPTED.equals(reason);
  }

  /** Whether Services of {@code namespace} may hold its addresses. */
  public boolean admits(String namespace) {
    return namespaces.isEmpty() || namespaces.contains(namespace);
  }

  public boolean contains(long address) {
    return ranges.stream().anyMatch(r -> r.contains(address));
  }

  /** Number of addresses in its ranges. */
  public long size() {
    return ranges.stream().mapToLong(AddressRange::size).sum();
  }
}
