package io.lvsoperator.operator;

import io.lvsoperator.api.v1alpha1.LvsNodeSliceSpec;
import io.lvsoperator.compiler.NodeSlices;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON size of each slice entry, remembered: a Node reconcile splits the node's whole config,
 * and serializing every entry again (thousands per node) was most of a split's cost, for entries
 * that mostly did not change. Entries are records, so an equal entry finds its size; the same
 * VirtualServer's entry on several directors is usually one. Forgets everything past {@link #LIMIT}
 * entries (then the next splits measure again).
 */
final class EntrySizes {
  static final int LIMIT = 200_000;

  private final Map<LvsNodeSliceSpec.Entry, Integer> sizes = new ConcurrentHashMap<>();

  int of(LvsNodeSliceSpec.Entry entry) {
    Integer known = sizes.get(entry);
    if (known != null) {
      return known;
    }
    if (sizes.size() >= LIMIT) {
      sizes.clear();
    }
    int size = NodeSlices.size(entry);
    sizes.put(entry, size);
    return size;
  }
}
