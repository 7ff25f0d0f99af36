package io.lvsoperator.operator;

import io.lvsoperator.api.v1alpha1.LvsNodeSliceSpec;
import io.lvsoperator.compiler.NodeSlices;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * The JSON size of each node's slice entries, remembered from the node's last split: a Node
 * reconcile splits the node's whole config, and serializing every entry again (thousands per node)
 * was most of a split's cost, for entries that mostly did not change. An entry equal to the one its
 * VirtualServer had in the node's last split keeps that size; any other is measured. Only the
 * entries of each node's last split are kept (so what is held is bounded by what the nodes run),
 * and only for nodes that have entries.
 */
final class EntrySizes {
  private final Map<String, Map<String, Sized>> byNode = new ConcurrentHashMap<>();

  /** An entry and its bytes. */
  private record Sized(LvsNodeSliceSpec.Entry entry, int bytes) {}

  /** The sizes for one split of {@code node}'s config; {@link Split#done()} after the split. */
  Split forNode(String node) {
    return new Split(node, byNode.getOrDefault(node, Map.of()));
  }

  /** Forgets the nodes that {@code exists} denies (deleted Nodes are never reconciled again). */
  void retainNodes(Predicate<String> exists) {
    byNode.keySet().removeIf(node -> !exists.test(node));
  }

  /** How many nodes' entries are remembered. */
  int nodes() {
    return byNode.size();
  }

  /** The sizes of one split: what a JOSDK reconcile of one Node (never two at once) measures. */
  final class Split implements ToIntFunction<LvsNodeSliceSpec.Entry> {
    private final String node;
    private final Map<String, Sized> before;
    private final Map<String, Sized> now = new HashMap<>();

    private Split(String node, Map<String, Sized> before) {
      this.node = node;
      this.before = before;
    }

    @Override
    public int applyAsInt(LvsNodeSliceSpec.Entry entry) {
      String key = entry.source().namespace() + "/" + entry.source().name();
      Sized known = before.get(key);
      int bytes =
          known != null && known.entry().equals(entry) ? known.bytes() : NodeSlices.size(entry);
      now.put(key, new Sized(entry, bytes));
      return bytes;
    }

    /** Keeps this split's entries as the node's (and only them). */
    void done() {
      if (now.isEmpty()) {
        byNode.remove(node);
      } else {
        byNode.put(node, now);
      }
    }
  }
}
