package io.lvsoperator.operator;

import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.lvsoperator.api.v1alpha1.LvsNodeSliceSpec;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.compiler.NodeSlices;
import java.util.Map;

/**
 * What one reconcile of a Node writes: the model's config of the node ({@link
 * ModelSnapshot#nodeConfig}) split into a head and slices ({@link NodeSlices#split}) given the
 * node's slices as they are. {@link NodeConfigReconciler} plans once per reconcile and hands the
 * plan to its dependents through the reconcile's context, so the head, the slices and the Secret
 * come from the same compile and the same split.
 *
 * @param snapshot the compile the plan comes from
 * @param config the node's whole config, present when the node has something to do
 * @param split the head, the slices and the order of their writes
 * @param existing the node's slices when planned, by name
 */
record NodeConfigPlan(
    ModelSnapshot snapshot,
    boolean config,
    NodeSlices.Plan split,
    Map<String, LvsNodeSliceSpec> existing) {

  /** What a slice's JSON is kept under (design doc §3). */
  static final int BUDGET_BYTES = NodeSlices.TARGET_BYTES;

  static NodeConfigPlan of(
      ModelSnapshot snapshot,
      String node,
      Map<String, LvsNodeSliceSpec> existing,
      EntrySizes sizes) {
    var config = snapshot.nodeConfig(node);
    EntrySizes.Split measured = sizes.forNode(node);
    NodeSlices.Plan split =
        NodeSlices.split(
            node, config.orElse(LvsNodeSpec.empty()), existing, BUDGET_BYTES, measured);
    measured.done();
    return new NodeConfigPlan(snapshot, config.isPresent(), split, Map.copyOf(existing));
  }

  /** The plan of the reconcile {@code context} belongs to. */
  static NodeConfigPlan of(Context<Node> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .getMandatory(NodeConfigPlan.class, NodeConfigPlan.class);
  }

  void putInto(Context<Node> context) {
    context.managedWorkflowAndDependentResourceContext().put(NodeConfigPlan.class, this);
  }
}
