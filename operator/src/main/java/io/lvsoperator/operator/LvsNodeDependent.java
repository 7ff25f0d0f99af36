package io.lvsoperator.operator;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.dependent.Matcher.Result;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.lvsoperator.api.v1alpha1.LvsNode;
import io.lvsoperator.api.v1alpha1.LvsNodeHeadSpec;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's {@code LvsNode}, the head of its config (design doc §3) and a dependent resource of its
 * {@code Node}: named after it, owned by it (the garbage collector removes it with the node), its
 * spec the head of the node's config as the reconcile's {@link NodeConfigPlan} has it (VRRP
 * instances and sync groups; the VirtualServers' VIPs and services are in the slices, the passwords
 * in Secret {@code lvs-vrrp-auth}), empty when the node has nothing to do. JOSDK reconciles and
 * caches it: it is created when missing, written only when its spec differs, and JOSDK remembers
 * its own writes so a cache that lags behind them causes no second write.
 *
 * <p>Writes use two verbs in every mode: {@code create} for a new object (server-side apply, where
 * on, is authorized as create too) and {@code patch} for a changed one: a JSON patch that replaces
 * the whole spec (or, with server-side apply on, an apply).
 */
final class LvsNodeDependent extends CRUDKubernetesDependentResource<LvsNode, Node> {
  private static final Logger LOG = LoggerFactory.getLogger(LvsNodeDependent.class);
  static final Map<String, String> LABELS = Map.of(NodeOwned.MANAGED_BY, NodeOwned.OPERATOR);

  private final OperatorMetrics metrics;
  private final BiConsumer<LvsNode, LvsNode> agentReports;

  /**
   * @param agentReports hears every change an agent makes to an LvsNode's status (before, after)
   */
  LvsNodeDependent(OperatorMetrics metrics, BiConsumer<LvsNode, LvsNode> agentReports) {
    super(LvsNode.class, "lvsnode");
    this.metrics = metrics;
    this.agentReports = agentReports;
  }

  @Override
  protected LvsNode desired(Node node, Context<Node> context) {
    LvsNode desired = new LvsNode();
    desired.setMetadata(
        new ObjectMetaBuilder().withName(node.getMetadata().getName()).withLabels(LABELS).build());
    desired.setSpec(spec(NodeConfigPlan.of(context).split().head()));
    return desired;
  }

  /** The head as LvsNode.spec carries it: the instances and sync groups, nothing else. */
  static LvsNodeSpec spec(LvsNodeHeadSpec head) {
    return new LvsNodeSpec(head.vrrpInstances(), null, null, null, head.syncGroups());
  }

  /** Whether there is anything to write: a config, or an LvsNode that must be emptied. */
  boolean wanted(Node node, Context<Node> context) {
    return NodeConfigPlan.of(context).config() || getSecondaryResource(node, context).isPresent();
  }

  @Override
  protected ResourceID targetSecondaryResourceID(Node node, Context<Node> context) {
    return new ResourceID(node.getMetadata().getName());
  }

  @Override
  public Result<LvsNode> match(LvsNode actual, LvsNode desired, Node node, Context<Node> context) {
    return Result.computed(
        NodeOwned.matches(actual, actual.getSpec(), desired.getSpec(), LABELS, node), desired);
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
    LvsNode updated =
        useSSA(context)
            ? super.update(actual, desired, node, context)
            : NodeOwned.patchSpec(context.getClient(), actual, desired.getSpec(), LABELS, node);
    metrics.write("LvsNode");
    LOG.info(
        "event=lvsnode_updated node={} generation={} previousGeneration={} changed={}",
        node.getMetadata().getName(),
        updated.getMetadata().getGeneration(),
        actual.getMetadata().getGeneration(),
        changedParts(actual.getSpec(), desired.getSpec()));
    return updated;
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
                    NodeOwned.writtenPartsDiffer(now, now.getSpec(), before, before.getSpec()))
            .build();
    var source = new ReportingInformer<>(configuration, context, LvsNode::getStatus, agentReports);
    setEventSource(source);
    return source;
  }
}
