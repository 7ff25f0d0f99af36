package io.lvsoperator.operator;

import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Workflow;
import io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowBuilder;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.lvsoperator.api.v1alpha1.LvsNode;
import io.lvsoperator.api.v1alpha1.LvsNodeSlice;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each node's config. The primary is the core {@code Node}; its config objects are dependent
 * resources, reconciled by a JOSDK workflow in this order: the VRRP passwords ({@link
 * VrrpAuthSecretDependent}, Secret {@code lvs-vrrp-auth}, shared by every node), the slices ({@link
 * LvsNodeSliceDependent}, owned by the Node) and the head ({@link LvsNodeDependent}, the node's
 * {@code LvsNode}, owned by the Node; skipped for a node that has nothing to do and never had one).
 * Slices before the head: an agent that still has a complete LvsNode of an earlier version finds
 * the slices there when its LvsNode becomes a head, and an instance that goes away loses its
 * addresses before the head drops it. The reconciler itself computes nothing and writes nothing
 * else: it plans once per reconcile ({@link NodeConfigPlan}: the model's config of the node, split
 * against the node's slices as they are) and hands the plan to the dependents; the Node is never
 * written (no finalizer, no status).
 */
final class NodeConfigReconciler implements Reconciler<Node> {
  private static final Logger LOG = LoggerFactory.getLogger(NodeConfigReconciler.class);

  private final ClusterModel model;
  private final ClusterCaches caches;
  private final ChangeRouting routing;
  private final LeaderGuard guard;
  private final OperatorMetrics metrics;
  private final EntrySizes sizes = new EntrySizes();
  private final VrrpAuthSecretDependent secret;
  private final LvsNodeSliceDependent slices;
  private final LvsNodeDependent head;
  private final Workflow<Node> workflow;

  NodeConfigReconciler(
      ClusterModel model,
      ClusterCaches caches,
      ChangeRouting routing,
      OperatorMetrics metrics,
      LeaderGuard guard,
      String namespace) {
    // namespace: where Secret lvs-vrrp-auth goes; null when the operator may not write Secrets
    this.model = model;
    this.caches = caches;
    this.routing = routing;
    this.guard = guard;
    this.metrics = metrics;
    this.secret =
        namespace == null
            ? null
            : new VrrpAuthSecretDependent(
                namespace, caches, metrics, () -> model.last().compiled().nodes().keySet());
    this.slices = new LvsNodeSliceDependent(metrics, routing::sliceReport);
    this.head = new LvsNodeDependent(metrics, routing::agentReport);
    // A precondition that fails deletes the dependent and all that depend on it: only the head,
    // last, has one (the Secret decides for itself whether to write).
    Condition<LvsNode, Node> headWanted = (d, node, context) -> head.wanted(node, context);
    WorkflowBuilder<Node> builder = new WorkflowBuilder<>();
    if (secret == null) {
      builder.addDependentResourceAndConfigure(slices);
    } else {
      builder.addDependentResourceAndConfigure(secret);
      builder.addDependentResourceAndConfigure(slices).dependsOn(secret);
    }
    this.workflow =
        builder
            .addDependentResourceAndConfigure(head)
            .dependsOn(slices)
            .withReconcilePrecondition(headWanted)
            .build();
  }

  @Override
  public List<EventSource<?, Node>> prepareEventSources(EventSourceContext<Node> context) {
    caches.nodes = context.getPrimaryCache();
    Trigger<Node> trigger = new Trigger<>("node-changes", routing::node);
    routing.nodes = trigger;
    List<EventSource<?, Node>> sources = new ArrayList<>();
    sources.add(trigger);
    sources.addAll(
        secret == null
            ? EventSourceUtils.dependentEventSources(context, slices, head)
            : EventSourceUtils.dependentEventSources(context, secret, slices, head));
    @SuppressWarnings("unchecked")
    IndexerResourceCache<LvsNode> lvsNodes =
        (IndexerResourceCache<LvsNode>) head.eventSource().orElseThrow();
    caches.lvsNodes = lvsNodes;
    @SuppressWarnings("unchecked")
    IndexerResourceCache<LvsNodeSlice> lvsNodeSlices =
        (IndexerResourceCache<LvsNodeSlice>) slices.eventSource().orElseThrow();
    caches.lvsNodeSlices = lvsNodeSlices;
    return sources;
  }

  @Override
  public UpdateControl<Node> reconcile(Node node, Context<Node> context) {
    return guard.run(
        "Node",
        () -> {
          String name = node.getMetadata().getName();
          ModelSnapshot snapshot = model.current();
          long start = System.nanoTime();
          NodeConfigPlan plan =
              NodeConfigPlan.of(snapshot, name, slices.existing(node, context), sizes);
          metrics.plan(java.time.Duration.ofNanos(System.nanoTime() - start));
          sizes.retainNodes(n -> caches.node(n).isPresent());
          if (!plan.split().oversized().isEmpty()) {
            LOG.warn(
                "event=slice_entry_oversized node={} virtualServers={} limitBytes={}",
                name,
                plan.split().oversized(),
                io.lvsoperator.compiler.NodeSlices.HARD_LIMIT_BYTES);
          }
          plan.putInto(context);
          workflow.reconcile(node, context);
          return UpdateControl.noUpdate();
        });
  }
}
