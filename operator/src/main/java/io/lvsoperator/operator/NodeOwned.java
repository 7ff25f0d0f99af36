package io.lvsoperator.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the node-config dependents ({@link LvsNodeDependent}, {@link LvsNodeSliceDependent}) share:
 * our labels, the ownerReference to the Node (the garbage collector deletes the objects with their
 * node), and the JSON patch that writes a changed spec without the API server's SSA.
 */
final class NodeOwned {
  static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  static final String OPERATOR = "lvs-operator";

  private NodeOwned() {}

  static Map<String, String> labels(HasMetadata object) {
    return object.getMetadata().getLabels() == null
        ? new HashMap<>()
        : object.getMetadata().getLabels();
  }

  /** Carries every one of {@code wanted} labels (others may be there too). */
  static boolean labelled(HasMetadata object, Map<String, String> wanted) {
    Map<String, String> have = labels(object);
    return wanted.entrySet().stream()
        .allMatch(e -> Objects.equals(have.get(e.getKey()), e.getValue()));
  }

  static boolean ownedBy(HasMetadata object, Node node) {
    return object.getMetadata().getOwnerReferences() != null
        && object.getMetadata().getOwnerReferences().stream()
            .anyMatch(
                o ->
                    "Node".equals(o.getKind())
                        && Objects.equals(o.getUid(), node.getMetadata().getUid()));
  }

  /**
   * Whether {@code actual} is what we want: our spec (records compare by content, so a list entry
   * that went away is a difference, which JOSDK's generic matcher would let pass), our labels, and
   * the Node as owner.
   */
  static boolean matches(
      HasMetadata actual, Object actualSpec, Object spec, Map<String, String> labels, Node node) {
    return Objects.equals(actualSpec, spec) && labelled(actual, labels) && ownedBy(actual, node);
  }

  /**
   * Whether someone else changed what we write (spec, labels, owners) between two versions: an
   * agent's status write changes none of it, so it reconciles no Node.
   */
  static boolean writtenPartsDiffer(
      HasMetadata now, Object nowSpec, HasMetadata before, Object beforeSpec) {
    return !Objects.equals(nowSpec, beforeSpec)
        || !Objects.equals(labels(now), labels(before))
        || !Objects.equals(
            now.getMetadata().getOwnerReferences(), before.getMetadata().getOwnerReferences());
  }

  /**
   * Patches {@code actual} (bound to the cached object, so the client sends the patch without
   * reading it first) with a JSON patch that sets the spec, and our labels and owner reference
   * where they are missing. A patch carries no resourceVersion, so the agents' status writes to the
   * same object never make it conflict.
   */
  static <T extends HasMetadata> T patchSpec(
      KubernetesClient client, T actual, Object spec, Map<String, String> wanted, Node node) {
    List<Map<String, Object>> ops = new ArrayList<>();
    ops.add(add("/spec", spec));
    if (!labelled(actual, wanted)) {
      Map<String, String> labels = new LinkedHashMap<>(labels(actual));
      labels.putAll(wanted);
      ops.add(add("/metadata/labels", labels));
    }
    if (!ownedBy(actual, node)) {
      List<OwnerReference> owners = new ArrayList<>();
      if (actual.getMetadata().getOwnerReferences() != null) {
        actual.getMetadata().getOwnerReferences().stream()
            .filter(o -> !"Node".equals(o.getKind()))
            .forEach(owners::add);
      }
      owners.add(ownerReference(node));
      ops.add(add("/metadata/ownerReferences", owners));
    }
    return client
        .resource(actual)
        .patch(PatchContext.of(PatchType.JSON), client.getKubernetesSerialization().asJson(ops));
  }

  /** The reference JOSDK puts on what it creates for the Node. */
  static OwnerReference ownerReference(Node node) {
    HasMetadata owned = new io.fabric8.kubernetes.api.model.ConfigMap();
    owned.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
    return owned.addOwnerReference(node);
  }

  private static Map<String, Object> add(String path, Object value) {
    Map<String, Object> op = new LinkedHashMap<>();
    op.put("op", "add");
    op.put("path", path);
    op.put("value", value);
    return op;
  }
}
