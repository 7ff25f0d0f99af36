package io.lvsoperator.operator;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.lvsoperator.api.v1alpha1.RealServer;
import io.lvsoperator.api.v1alpha1.RealServerStatus;
import io.lvsoperator.compiler.ObjectKey;
import io.lvsoperator.compiler.RealServerResult;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A RealServer's status: its verdict in the shared {@link ClusterModel} and its check results on
 * the directors of every VirtualServer it serves, aggregated by {@link StatusAggregator}, returned
 * as {@code UpdateControl.patchStatus} of the RealServer itself when it differs, with a Warning
 * Event when a TenantPolicy starts refusing it ({@link TransitionEvents}).
 */
final class RealServerReconciler implements Reconciler<RealServer> {
  private static final Logger LOG = LoggerFactory.getLogger(RealServerReconciler.class);

  private final Shared shared;

  RealServerReconciler(Shared shared) {
    this.shared = shared;
  }

  @Override
  public List<EventSource<?, RealServer>> prepareEventSources(
      EventSourceContext<RealServer> context) {
    shared.caches().realServers = context.getPrimaryCache();
    Trigger<RealServer> trigger = new Trigger<>("realserver-changes", shared.routing()::realServer);
    shared.routing().realServers = trigger;
    return List.of(trigger);
  }

  @Override
  public UpdateControl<RealServer> reconcile(RealServer rs, Context<RealServer> context) {
    return shared.guard().run("RealServer", () -> statusOf(rs));
  }

  private UpdateControl<RealServer> statusOf(RealServer rs) {
    ModelSnapshot model = this.shared.model().current();
    Optional<RealServerResult> result = model.realServer(ObjectKey.of(rs));
    if (result.isEmpty()) {
      return UpdateControl.noUpdate();
    }
    Instant now = shared.clock().instant();
    RealServerStatus status =
        StatusAggregator.realServer(
            rs, result.get(), model.compiled().virtualServers(), shared.reports().at(now), now);
    if (Objects.equals(status, rs.getStatus())) {
      return UpdateControl.noUpdate();
    }
    for (TransitionEvents.Note note : TransitionEvents.between(rs.getStatus(), status)) {
      if (shared.events().record(rs, note)) {
        shared.metrics().event(note.reason());
      }
    }
    shared.metrics().write("RealServerStatus");
    LOG.info(
        "event=status_written kind=RealServer object={}/{} healthy={} reason=\"{}\"",
        rs.getMetadata().getNamespace(),
        rs.getMetadata().getName(),
        status.healthy(),
        status.reason());
    rs.setStatus(status);
    return UpdateControl.patchStatus(rs);
  }
}
