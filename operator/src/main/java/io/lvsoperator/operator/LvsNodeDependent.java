package io.lvsoperator.operator;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.dependent.Matcher.Result;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.lvsoperator.api.v1alpha1.LvsNode;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's {@code LvsNode}, a dependent resource of its {@code Node}: named after it, owned by it
 * (the garbage collector removes it with the node), its spec the node's desired config from the
 * {@link ClusterModel}, empty when the node has nothing to do. JOSDK reconciles and caches it: it
 * is created when missing, written only when its spec differs, and JOSDK remembers its own writes
 * so a cache that lags behind them causes no second write.
 *
 * <p>Writes use two verbs in every mode: {@code create} for a new object (server-side apply, where
 * on, is authorized as create too) and {@code patch} for a changed one: a JSON patch that replaces
 * the whole spec (or, with server-side apply on, an apply). A patch carries no resourceVersion, so
 * the agents' status writes to the same object never make it conflict.
 */
final class LvsNodeDependent extends CRUDKubernetesDependentResource<LvsNode, Node> {
  private static final Logger LOG = LoggerFactory.getLogger(LvsNodeDependent.class);
  static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  static final String OPERATOR = "lvs-operator";

  private final ClusterModel model;
  private final OperatorMetrics metrics;
  private final BiConsumer<LvsNode, LvsNode> agentReports;

  /**
   * @param agentReports hears every change an agent makes to an LvsNode's status (before, after)
   */
  LvsNodeDependent(
      ClusterModel model, OperatorMetrics metrics, BiConsumer<LvsNode, LvsNode> agentReports) {
    super(LvsNode.class, "lvsnode");
    this.model = model;
    this.metrics = metrics;
    this.agentReports = agentReports;
  }

  @Override
  protected LvsNode desired(Node node, Context<Node> context) {
    String name = node.getMetadata().getName();
    LvsNode desired = new LvsNode();
    desired.setMetadata(
        new ObjectMetaBuilder().withName(name).addToLabels(MANAGED_BY, OPERATOR).build());
    desired.setSpec(model.current().nodeConfig(name).orElse(LvsNodeSpec.empty()));
    return desired;
  }

  /** Whether there is anything to write: a config, or an LvsNode that must be emptied. */
  boolean wanted(Node node, Context<Node> context) {
    return model.current().nodeConfig(node.getMetadata().getName()).isPresent()
        || getSecondaryResource(node, context).isPresent();
  }

  @Override
  protected ResourceID targetSecondaryResourceID(Node node, Context<Node> context) {
    return new ResourceID(node.getMetadata().getName());
  }

  @Override
  public Result<LvsNode> match(LvsNode actual, LvsNode desired, Node node, Context<Node> context) {
    // Records compare by content; a list entry that went away is a difference (JOSDK's generic
    // matcher would let a removal pass).
    boolean matches =
        Objects.equals(actual.getSpec(), desired.getSpec())
            && OPERATOR.equals(labels(actual).get(MANAGED_BY))
            && ownedBy(actual, node);
    return Result.computed(matches, desired);
  }

  @Override
  public LvsNode create(LvsNode desired, Node node, Context<Node> context) {
    LvsNode created = super.create(desired, node, context);
    metrics.write("LvsNode");
    LOG.info(
        "event=lvsnode_created node={} generation={}",
        node.getMetadata().getName(),
        created.getMetadata().getGeneration());
    return created;
  }

  @Override
  public LvsNode update(LvsNode actual, LvsNode desired, Node node, Context<Node> context) {
    LvsNode updated;
    if (useSSA(context)) {
      updated = super.update(actual, desired, node, context);
    } else {
      // Bound to the cached object, so the client sends the patch without reading it first.
      updated =
          context
              .getClient()
              .resource(actual)
              .patch(
                  PatchContext.of(PatchType.JSON),
                  context
                      .getClient()
                      .getKubernetesSerialization()
                      .asJson(patch(actual, desired, node)));
    }
    metrics.write("LvsNode");
    LOG.info(
        "event=lvsnode_updated node={} generation={} previousGeneration={} changed={}",
        node.getMetadata().getName(),
        updated.getMetadata().getGeneration(),
        actual.getMetadata().getGeneration(),
        changedParts(actual.getSpec(), desired.getSpec()));
    return updated;
  }

  /** A JSON patch that sets the spec, and our label and owner reference where they are missing. */
  private static List<Map<String, Object>> patch(LvsNode actual, LvsNode desired, Node node) {
    List<Map<String, Object>> ops = new ArrayList<>();
    ops.add(add("/spec", desired.getSpec()));
    if (!OPERATOR.equals(labels(actual).get(MANAGED_BY))) {
      Map<String, String> labels = new LinkedHashMap<>(labels(actual));
      labels.put(MANAGED_BY, OPERATOR);
      ops.add(add("/metadata/labels", labels));
    }
    if (!ownedBy(actual, node)) {
      List<OwnerReference> owners = new ArrayList<>();
      if (actual.getMetadata().getOwnerReferences() != null) {
        actual.getMetadata().getOwnerReferences().stream()
            .filter(o -> !"Node".equals(o.getKind()))
            .forEach(owners::add);
      }
      LvsNode owned = new LvsNode();
      owned.setMetadata(new ObjectMetaBuilder().build());
      owned.addOwnerReference(node);
      owners.addAll(owned.getMetadata().getOwnerReferences());
      ops.add(add("/metadata/ownerReferences", owners));
    }
    return ops;
  }

  private static Map<String, Object> add(String path, Object value) {
    Map<String, Object> op = new LinkedHashMap<>();
    op.put("op", "add");
    op.put("path", path);
    op.put("value", value);
    return op;
  }

  private static Map<String, String> labels(LvsNode ln) {
    return ln.getMetadata().getLabels() == null ? new HashMap<>() : ln.getMetadata().getLabels();
  }

  private static boolean ownedBy(LvsNode ln, Node node) {
    return ln.getMetadata().getOwnerReferences() != null
        && ln.getMetadata().getOwnerReferences().stream()
            .anyMatch(
                o ->
                    "Node".equals(o.getKind())
                        && Objects.equals(o.getUid(), node.getMetadata().getUid()));
  }

  /** Which parts of a spec differ, for the log. */
  static String changedParts(LvsNodeSpec before, LvsNodeSpec after) {
    if (before == null) {
      return "all";
    }
    List<String> parts = new ArrayList<>();
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
    if (!before.syncGroups().equals(after.syncGroups())) {
      parts.add("syncGroups");
    }
    return String.join(",", parts);
  }

  @Override
  protected InformerEventSource<LvsNode, Node> createEventSource(EventSourceContext<Node> context) {
    var configuration =
        InformerEventSourceConfiguration.from(LvsNode.class, Node.class)
            .withName("lvsnodes")
            .withWatchAllNamespaces()
            .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(Node.class, true))
            // An agent's status write changes nothing this dependent writes; the Node's config is
            // reconciled again only when someone else changed the spec or the metadata we set.
            .withOnUpdateFilter(
                (now, before) ->
                    !Objects.equals(now.getSpec(), before.getSpec())
                        || !Objects.equals(labels(now), labels(before))
                        || !Objects.equals(
                            now.getMetadata().getOwnerReferences(),
                            before.getMetadata().getOwnerReferences()))
            .build();
    var source = new ReportingInformer(configuration, context, agentReports);
    setEventSource(source);
    return source;
  }

  /** The LvsNode informer, which also passes the agents' status changes on. */
  static final class ReportingInformer extends InformerEventSource<LvsNode, Node> {
    private final BiConsumer<LvsNode, LvsNode> agentReports;

    ReportingInformer(
        InformerEventSourceConfiguration<LvsNode> configuration,
        EventSourceContext<Node> context,
        BiConsumer<LvsNode, LvsNode> agentReports) {
      super(configuration, context);
      this.agentReports = agentReports;
    }

    @Override
    public void onAdd(LvsNode resource) {
      super.onAdd(resource);
      agentReports.accept(null, resource);
    }

    @Override
    public void onUpdate(LvsNode before, LvsNode now) {
      super.onUpdate(before, now);
      if (!Objects.equals(before.getStatus(), now.getStatus())) {
        agentReports.accept(before, now);
      }
    }

    @Override
    public void onDelete(LvsNode resource, boolean deletedFinalStateUnknown) {
      super.onDelete(resource, deletedFinalStateUnknown);
      agentReports.accept(resource, null);
    }
  }
}
