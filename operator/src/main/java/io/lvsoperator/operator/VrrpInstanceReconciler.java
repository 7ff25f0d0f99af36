package io.lvsoperator.operator;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.api.v1alpha1.VrrpInstance;
import io.lvsoperator.api.v1alpha1.VrrpInstanceStatus;
import io.lvsoperator.compiler.ObjectKey;
import io.lvsoperator.compiler.VrrpInstanceResult;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A VrrpInstance's status: its verdict in the shared {@link ClusterModel} and its directors' VRRP
 * states, aggregated by {@link StatusAggregator#vrrpInstance}, Events for its transitions, and
 * {@code UpdateControl.patchStatus} of the VrrpInstance itself when the status differs. Its status
 * also keeps the last valid spec and the VRID, which the compiler reads back.
 */
final class VrrpInstanceReconciler implements Reconciler<VrrpInstance> {
  private static final Logger LOG = LoggerFactory.getLogger(VrrpInstanceReconciler.class);

  private final Shared shared;

  VrrpInstanceReconciler(Shared shared) {
    this.shared = shared;
  }

  @Override
  public List<EventSource<?, VrrpInstance>> prepareEventSources(
      EventSourceContext<VrrpInstance> context) {
    shared.caches().vrrpInstances = context.getPrimaryCache();
    Trigger<VrrpInstance> trigger =
        new Trigger<>("vrrpinstance-changes", shared.routing()::vrrpInstance);
    shared.routing().vrrpInstances = trigger;
    return List.of(trigger);
  }

  @Override
  public UpdateControl<VrrpInstance> reconcile(VrrpInstance vi, Context<VrrpInstance> context) {
    return shared.guard().run("VrrpInstance", () -> statusOf(vi));
  }

  private UpdateControl<VrrpInstance> statusOf(VrrpInstance vi) {
    if (vi.getMetadata().getDeletionTimestamp() != null) {
      return UpdateControl.noUpdate();
    }
    ModelSnapshot snapshot = shared.model().current();
    Optional<VrrpInstanceResult> result = snapshot.vrrpInstance(ObjectKey.of(vi));
    if (result.isEmpty()) {
      return UpdateControl.noUpdate();
    }
    Instant now = shared.clock().instant();
    String name = result.get().vrrpInstance();
    VrrpInstanceStatus previous = vi.getStatus();
    VrrpInstanceStatus status =
        StatusAggregator.vrrpInstance(
                vi,
                result.get(),
                shared.reports().at(now),
                // A director runs it when its agent applied a head (LvsNode) carrying exactly
                // the instance the model wants there.
                o ->
                    o.appliedCurrentSpec()
                        && o.lvsNode().getSpec() != null
                        && wanted(snapshot, o.node(), name)
                            .map(w -> o.lvsNode().getSpec().vrrpInstances().contains(w))
                            .orElse(false),
                now)
            .withLastGoodSpec(
                result.get().errors().isEmpty()
                    ? LastGoodSpecs.encode(vi)
                    : (previous == null ? null : previous.lastGoodSpec()));
    if (Objects.equals(status, previous)) {
      return UpdateControl.noUpdate();
    }
    for (TransitionEvents.Note note : TransitionEvents.between(previous, status)) {
      if (shared.events().record(vi, note)) {
        shared.metrics().event(note.reason());
      }
    }
    shared.metrics().write("VrrpInstanceStatus");
    LOG.info(
        "event=status_written kind=VrrpInstance object={}/{} generation={} master={} vrid={}",
        vi.getMetadata().getNamespace(),
        vi.getMetadata().getName(),
        status.observedGeneration(),
        status.master(),
        status.virtualRouterId());
    vi.setStatus(status);
    return UpdateControl.patchStatus(vi);
  }

  /** The instance as the model wants it in the node's head (its own addresses, no password). */
  private static Optional<LvsNodeSpec.VrrpInstance> wanted(
      ModelSnapshot snapshot, String node, String instance) {
    return snapshot.head(node).vrrpInstances().stream()
        .filter(i -> i.name().equals(instance))
        .findFirst();
  }
}
