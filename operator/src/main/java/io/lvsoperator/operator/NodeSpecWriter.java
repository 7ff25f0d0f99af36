package io.lvsoperator.operator;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lvsoperator.api.v1alpha1.LvsNode;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import java.net.HttpURLConnection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the per-node LvsNode objects: the compiler's map keyed by node name is the desired set.
 * Writes only when a spec's content differs, so a deterministic compiler causes no churn:
 *
 * <ul>
 *   <li>a node in the map gets an LvsNode with exactly that spec (created, owned by its Node so the
 *       garbage collector removes it with the node);
 *   <li>an existing LvsNode whose Node still exists but which has nothing to do keeps an empty
 *       spec, so its agent tears down and reports that it did;
 *   <li>an LvsNode whose Node is gone is deleted.
 * </ul>
 *
 * <p>What this writer last wrote is remembered (by generation), so a cache that lags behind our own
 * write does not cause the same write twice.
 */
final class NodeSpecWriter {
  private static final Logger LOG = LoggerFactory.getLogger(NodeSpecWriter.class);

  private final KubernetesClient client;
  private final Map<String, LvsNode> written = new HashMap<>();
  private long writes;

  NodeSpecWriter(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Brings the LvsNodes in line with {@code desired}.
   *
   * @return every LvsNode as it now stands (after our writes), by node name
   */
  SortedMap<String, LvsNode> write(
      SortedMap<String, LvsNodeSpec> desired, List<LvsNode> cached, List<Node> nodes) {
    Map<String, Node> nodeByName = new HashMap<>();
    nodes.forEach(n -> nodeByName.put(n.getMetadata().getName(), n));
    SortedMap<String, LvsNode> current = new TreeMap<>();
    for (LvsNode ln : cached) {
      current.put(ln.getMetadata().getName(), newest(ln));
    }
    written.keySet().retainAll(current.keySet());

    SortedMap<String, LvsNode> result = new TreeMap<>(current);
    for (var e : desired.entrySet()) {
      String name = e.getKey();
      LvsNode existing = current.get(name);
      if (existing == null) {
        Node node = nodeByName.get(name);
        if (node != null) {
          create(name, e.getValue(), node).ifPresent(ln -> result.put(name, ln));
        }
      } else if (!Objects.equals(existing.getSpec(), e.getValue())) {
        update(name, e.getValue(), existing).ifPresent(ln -> result.put(name, ln));
      }
    }
    for (LvsNode existing : current.values()) {
      String name = existing.getMetadata().getName();
      if (desired.containsKey(name)) {
        continue;
      }
      if (!nodeByName.containsKey(name)) {
        delete(name);
        result.remove(name);
      } else if (!LvsNodeSpec.empty().equals(existing.getSpec())) {
        update(name, LvsNodeSpec.empty(), existing).ifPresent(ln -> result.put(name, ln));
      }
    }
    return result;
  }

  synchronized long writes() {
    return writes;
  }

  private LvsNode newest(LvsNode fromCache) {
    LvsNode ours = written.get(fromCache.getMetadata().getName());
    if (ours == null
        || !Objects.equals(ours.getMetadata().getUid(), fromCache.getMetadata().getUid())) {
      return fromCache;
    }
    long cachedGeneration = generation(fromCache);
    if (cachedGeneration >= generation(ours)) {
      written.remove(fromCache.getMetadata().getName()); // the cache caught up
      return fromCache;
    }
    // The cache lags behind our write: judge the spec by what we wrote, the status by the cache.
    LvsNode merged = new LvsNode();
    merged.setMetadata(ours.getMetadata());
    merged.setSpec(ours.getSpec());
    merged.setStatus(fromCache.getStatus());
    return merged;
  }

  private static long generation(LvsNode ln) {
    Long g = ln.getMetadata().getGeneration();
    return g == null ? 0 : g;
  }

  private java.util.Optional<LvsNode> create(String name, LvsNodeSpec spec, Node node) {
    LvsNode ln = new LvsNode();
    ln.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .addToLabels("app.kubernetes.io/managed-by", "lvs-operator")
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion("v1")
                    .withKind("Node")
                    .withName(name)
                    .withUid(node.getMetadata().getUid())
                    .build())
            .build());
    ln.setSpec(spec);
    try {
      LvsNode created = client.resources(LvsNode.class).resource(ln).create();
      remember(created);
      LOG.info("event=lvsnode-created node={} generation={}", name, generation(created));
      return java.util.Optional.of(created);
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        LOG.info("event=lvsnode-exists node={} action=wait-for-cache", name);
        return java.util.Optional.empty();
      }
      throw e;
    }
  }

  private java.util.Optional<LvsNode> update(String name, LvsNodeSpec spec, LvsNode existing) {
    try {
      LvsNode updated =
          client
              .resources(LvsNode.class)
              .withName(name)
              .edit(
                  ln -> {
                    ln.setSpec(spec);
                    return ln;
                  });
      remember(updated);
      LOG.info(
          "event=lvsnode-updated node={} generation={} previousGeneration={} changed={}",
          name,
          generation(updated),
          generation(existing),
          changedParts(existing.getSpec(), spec));
      LvsNode withStatus = new LvsNode();
      withStatus.setMetadata(updated.getMetadata());
      withStatus.setSpec(updated.getSpec());
      withStatus.setStatus(updated.getStatus());
      return java.util.Optional.of(withStatus);
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        LOG.info("event=lvsnode-vanished node={} action=wait-for-cache", name);
        return java.util.Optional.empty();
      }
      throw e;
    }
  }

  /** Which parts of a spec differ, for the log. */
  static String changedParts(LvsNodeSpec before, LvsNodeSpec after) {
    if (before == null) {
      return "all";
    }
    List<String> parts = new java.util.ArrayList<>();
    if (!before.vrrpInstances().equals(after.vrrpInstances())) {
      parts.add("vrrpInstances");
    }
    if (!before.ipvsServices().equals(after.ipvsServices())) {
      parts.add("ipvsServices");
    }
    if (!before.realServerVips().equals(after.realServerVips())) {
      parts.add("realServerVips");
    }
    if (!before.sources().equals(after.sources())) {
      parts.add("sources");
    }
    return String.join(",", parts);
  }

  private void delete(String name) {
    client.resources(LvsNode.class).withName(name).delete();
    synchronized (this) {
      writes++;
    }
    written.remove(name);
    LOG.info("event=lvsnode-deleted node={} reason=node-gone", name);
  }

  private void remember(LvsNode ln) {
    written.put(ln.getMetadata().getName(), ln);
    synchronized (this) {
      writes++;
    }
  }
}
