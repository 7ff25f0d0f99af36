package io.lvsoperator.operator;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import io.lvsoperator.api.v1alpha1.VirtualServerStatus;
import io.lvsoperator.compiler.ObjectKey;
import io.lvsoperator.compiler.VirtualServerResult;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A VirtualServer's status: observe (its verdict in the shared {@link ClusterModel}, what its
 * directors' agents report), aggregate ({@link StatusAggregator}, pure), record the transitions as
 * Events ({@link TransitionEvents}), and return {@code UpdateControl.patchStatus} of the
 * VirtualServer itself when the status differs. It writes nothing else: the nodes' configs are
 * {@link NodeConfigReconciler}'s. The status also keeps the last valid spec ({@link LastGoodSpecs})
 * and the VRID, which the compiler reads back.
 */
final class VirtualServerReconciler implements Reconciler<VirtualServer> {
  private static final Logger LOG = LoggerFactory.getLogger(VirtualServerReconciler.class);

  private final ClusterModel model;
  private final ClusterCaches caches;
  private final ChangeRouting routing;
  private final AgentReports reports;
  private final EventRecorder events;
  private final OperatorMetrics metrics;
  private final LeaderGuard guard;
  private final Clock clock;

  VirtualServerReconciler(
      ClusterModel model,
      ClusterCaches caches,
      ChangeRouting routing,
      AgentReports reports,
      EventRecorder events,
      OperatorMetrics metrics,
      LeaderGuard guard,
      Clock clock) {
    this.model = model;
    this.caches = caches;
    this.routing = routing;
    this.reports = reports;
    this.events = events;
    this.metrics = metrics;
    this.guard = guard;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, VirtualServer>> prepareEventSources(
      EventSourceContext<VirtualServer> context) {
    caches.virtualServers = context.getPrimaryCache();
    Trigger<VirtualServer> trigger = new Trigger<>("virtualserver-changes", routing::virtualServer);
    routing.virtualServers = trigger;
    return List.of(trigger);
  }

  @Override
  public UpdateControl<VirtualServer> reconcile(VirtualServer vs, Context<VirtualServer> context) {
    return guard.run("VirtualServer", () -> statusOf(vs));
  }

  private UpdateControl<VirtualServer> statusOf(VirtualServer vs) {
    if (vs.getMetadata().getDeletionTimestamp() != null) {
      return UpdateControl.noUpdate(); // being deleted: already compiled out of every node
    }
    Optional<VirtualServerResult> result = model.current().virtualServer(ObjectKey.of(vs));
    if (result.isEmpty()) {
      return UpdateControl.noUpdate();
    }
    Instant now = clock.instant();
    VirtualServerStatus previous = vs.getStatus();
    VirtualServerStatus status =
        StatusAggregator.virtualServer(vs, result.get(), reports.at(now), now)
            .withLastGoodSpec(
                result.get().errors().isEmpty()
                    ? LastGoodSpecs.encode(vs)
                    : LastGoodSpecs.current(vs).orElse(null));
    if (Objects.equals(status, previous)) {
      return UpdateControl.noUpdate();
    }
    for (TransitionEvents.Note note : TransitionEvents.between(previous, status)) {
      if (events.record(vs, note)) {
        metrics.event(note.reason());
      }
    }
    metrics.write("VirtualServerStatus");
    LOG.info(
        "event=status_written kind=VirtualServer object={}/{} generation={} master={} healthy={}"
            + " ready={}",
        vs.getMetadata().getNamespace(),
        vs.getMetadata().getName(),
        status.observedGeneration(),
        status.master(),
        status.healthy(),
        Conditions.isTrue(status.conditions(), StatusAggregator.READY));
    vs.setStatus(status);
    return UpdateControl.patchStatus(vs);
  }
}
