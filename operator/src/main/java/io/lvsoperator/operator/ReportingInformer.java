package io.lvsoperator.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The informer of a node-config dependent (the LvsNodes, the slices), which also passes on what the
 * agents write into them: every add and delete, and every update whose status differs (before,
 * after; null for "did not exist"). Its update filter decides only which changes reconcile the
 * Node.
 */
final class ReportingInformer<R extends HasMetadata> extends InformerEventSource<R, Node> {
  private final BiConsumer<R, R> agentReports;
  private final Function<R, Object> status;

  ReportingInformer(
      InformerEventSourceConfiguration<R> configuration,
      EventSourceContext<Node> context,
      Function<R, Object> status,
      BiConsumer<R, R> agentReports) {
    super(configuration, context);
    this.status = status;
    this.agentReports = agentReports;
  }

  @Override
  public void onAdd(R resource) {
    super.onAdd(resource);
    agentReports.accept(null, resource);
  }

  @Override
  public void onUpdate(R before, R now) {
    super.onUpdate(before, now);
    if (!java.util.Objects.equals(status.apply(before), status.apply(now))) {
      agentReports.accept(before, now);
    }
  }

  @Override
  public void onDelete(R resource, boolean deletedFinalStateUnknown) {
    super.onDelete(resource, deletedFinalStateUnknown);
    agentReports.accept(resource, null);
  }
}
