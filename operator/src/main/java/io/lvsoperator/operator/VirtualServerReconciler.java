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

  private final Shared shared;

  VirtualServerReconciler(Shared shared) {
    this.shared = shared;
  }

  @Override
  public List<EventSource<?, VirtualServer>> prepareEventSources(
      EventSourceContext<VirtualServer> context) {
    shared.caches().virtualServers = context.getPrimaryCache();
    Trigger<VirtualServer> trigger =
        new Trigger<>("virtualserver-changes", shared.routing()::virtualServer);
    shared.routing().virtualServers = trigger;
    TenantPolicySource policies = new TenantPolicySource(context, shared.routing()::tenantPolicy);
    shared.caches().tenantPolicies = policies;
    return List.of(trigger, policies);
  }

  @Override
  public UpdateControl<VirtualServer> reconcile(VirtualServer vs, Context<VirtualServer> context) {
    return shared.guard().run("VirtualServer", () -> statusOf(vs));
  }

  private UpdateControl<VirtualServer> statusOf(VirtualServer vs) {
    if (vs.getMetadata().getDeletionTimestamp() != null) {
      return UpdateControl.noUpdate(); // being deleted: already compiled out of every node
    }
    Optional<VirtualServerResult> result = shared.model().current().virtualServer(ObjectKey.of(vs));
    if (result.isEmpty()) {
      return UpdateControl.noUpdate();
    }
    Instant now = shared.clock().instant();
    VirtualServerStatus previous = vs.getStatus();
    VirtualServerStatus status =
        StatusAggregator.virtualServer(vs, result.get(), shared.reports().at(now), now)
            .withLastGoodSpec(
                result.get().errors().isEmpty()
                    ? LastGoodSpecs.encode(vs)
                    : LastGoodSpecs.current(vs).orElse(null));
    if (Objects.equals(status, previous)) {
      return UpdateControl.noUpdate();
    }
    for (TransitionEvents.Note note : TransitionEvents.between(previous, status)) {
      if (shared.events().record(vs, note)) {
        shared.metrics().event(note.reason());
      }
    }
    shared.metrics().write("VirtualServerStatus");
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
