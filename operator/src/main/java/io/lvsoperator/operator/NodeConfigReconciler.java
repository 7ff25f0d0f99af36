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
import java.util.ArrayList;
import java.util.List;

/**
 * Writes each node's config. The primary is the core {@code Node}; its config objects are dependent
 * resources owned by it ({@link LvsNodeDependent}), reconciled by a JOSDK workflow whose
 * precondition skips nodes that have nothing to do and never had an LvsNode. The reconciler itself
 * computes nothing and writes nothing else: the desired config comes from the {@link ClusterModel},
 * and the Node is never written (no finalizer, no status).
 */
final class NodeConfigReconciler implements Reconciler<Node> {
  private final ClusterCaches caches;
  private final ChangeRouting routing;
  private final LeaderGuard guard;
  private final LvsNodeDependent lvsNode;
  private final Workflow<Node> workflow;

  NodeConfigReconciler(
      ClusterModel model,
      ClusterCaches caches,
      ChangeRouting routing,
      OperatorMetrics metrics,
      LeaderGuard guard) {
    this.caches = caches;
    this.routing = routing;
    this.guard = guard;
    this.lvsNode = new LvsNodeDependent(model, metrics, routing::agentReport);
    Condition<LvsNode, Node> wanted = (dependent, node, context) -> lvsNode.wanted(node, context);
    this.workflow =
        new WorkflowBuilder<Node>()
            .addDependentResourceAndConfigure(lvsNode)
            .withReconcilePrecondition(wanted)
            .build();
  }

  @Override
  public List<EventSource<?, Node>> prepareEventSources(EventSourceContext<Node> context) {
    caches.nodes = context.getPrimaryCache();
    Trigger<Node> trigger = new Trigger<>("node-changes", routing::node);
    routing.nodes = trigger;
    List<EventSource<?, Node>> sources = new ArrayList<>();
    sources.add(trigger);
    sources.addAll(EventSourceUtils.dependentEventSources(context, lvsNode));
    @SuppressWarnings("unchecked")
    IndexerResourceCache<LvsNode> lvsNodes =
        (IndexerResourceCache<LvsNode>) lvsNode.eventSource().orElseThrow();
    caches.lvsNodes = lvsNodes;
    return sources;
  }

  @Override
  public UpdateControl<Node> reconcile(Node node, Context<Node> context) {
    return guard.run(
        "Node",
        () -> {
          workflow.reconcile(node, context);
          return UpdateControl.noUpdate();
        });
  }
}
