package io.lvsoperator.operator;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.lvsoperator.api.v1alpha1.AddressPool;
import io.lvsoperator.api.v1alpha1.AddressPoolStatus;
import io.lvsoperator.api.v1alpha1.VirtualServerSpec;
import io.lvsoperator.api.v1alpha1.VrrpInstance;
import io.lvsoperator.api.v1alpha1.VrrpInstanceSpec;
import io.lvsoperator.operator.loadbalancer.AddressRange;
import io.lvsoperator.operator.loadbalancer.LoadBalancerNames;
import io.lvsoperator.operator.loadbalancer.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An AddressPool: the VrrpInstances that carry its addresses (dependents owned by the pool, one in
 * each namespace whose Services hold its addresses, so all of a namespace's VIPs from the pool
 * share one VRID), and its own status (addresses, how many are handed out, the instances, and
 * whether it is accepted). An instance stays while a VirtualServer of a Service still names it, so
 * a member never names a missing instance.
 */
final class AddressPoolReconciler implements Reconciler<AddressPool> {
  private static final Logger LOG = LoggerFactory.getLogger(AddressPoolReconciler.class);
  static final String ACCEPTED = "Accepted";

  private final Shared shared;
  private final LoadBalancerModel model;
  private final LoadBalancerCaches caches;
  private final LoadBalancerRouting routing;
  private final OwnedInstances instances;

  AddressPoolReconciler(
      Shared shared,
      LoadBalancerModel model,
      LoadBalancerCaches caches,
      LoadBalancerRouting routing,
      Set<String> namespaces) {
    this.shared = shared;
    this.model = model;
    this.caches = caches;
    this.routing = routing;
    this.instances = new OwnedInstances(namespaces, shared.metrics(), this);
  }

  @Override
  public List<EventSource<?, AddressPool>> prepareEventSources(
      EventSourceContext<AddressPool> context) {
    caches.pools = context.getPrimaryCache();
    Trigger<AddressPool> trigger = new Trigger<>("addresspool-changes", routing::pool);
    routing.pools = trigger;
    List<EventSource<?, AddressPool>> sources = new ArrayList<>();
    sources.add(trigger);
    sources.addAll(EventSourceUtils.dependentEventSources(context, instances));
    return sources;
  }

  @Override
  public UpdateControl<AddressPool> reconcile(AddressPool pool, Context<AddressPool> context) {
    return shared.guard().run("AddressPool", () -> reconcilePool(pool, context));
  }

  private UpdateControl<AddressPool> reconcilePool(AddressPool pool, Context<AddressPool> context) {
    if (pool.getMetadata().getDeletionTimestamp() != null || pool.getSpec() == null) {
      return UpdateControl.noUpdate();
    }
    LoadBalancerSnapshot snapshot = model.current();
    instances.reconcile(pool, context);
    String name = pool.getMetadata().getName();
    Pool verdict = snapshot.pool(name).orElse(null);
    SortedMap<String, Integer> used = snapshot.namespacesOf(name);
    List<AddressPoolStatus.NamespaceInstance> list = new ArrayList<>();
    used.forEach(
        (ns, count) ->
            list.add(
                new AddressPoolStatus.NamespaceInstance(
                    ns, LoadBalancerNames.vrrpInstanceName(name), count)));
    AddressPoolStatus previous = pool.getStatus();
    boolean accepted = verdict != null && verdict.accepted();
    AddressPoolStatus status =
        new AddressPoolStatus(
            pool.getMetadata().getGeneration(),
            verdict == null ? 0L : verdict.size(),
            used.values().stream().mapToInt(Integer::intValue).sum(),
            list,
            new Conditions(
                    previous == null ? null : previous.conditions(),
                    pool.getMetadata().getGeneration() == null
                        ? 0
                        : pool.getMetadata().getGeneration(),
                    shared.clock().instant())
                .add(
                    ACCEPTED,
                    accepted,
                    verdict == null ? Pool.INVALID_SPEC : verdict.reason(),
                    verdict == null ? "" : verdict.message())
                .build());
    if (Objects.equals(status, previous)) {
      return UpdateControl.noUpdate();
    }
    if (previous == null
        || !Objects.equals(Conditions.reason(previous.conditions(), ACCEPTED), verdict.reason())) {
      var note =
          accepted
              ? TransitionEvents.Note.normal(Pool.ACCEPTED, "the pool hands out addresses")
              : TransitionEvents.Note.warning(verdict.reason(), verdict.message());
      if (!accepted || previous != null) {
        if (shared.events().record(pool, note)) {
          shared.metrics().event(note.reason());
        }
      }
    }
    shared.metrics().write("AddressPoolStatus");
    LOG.info(
        "event=status_written kind=AddressPool object={} addresses={} allocated={} accepted={}",
        name,
        status.addresses(),
        status.allocated(),
        accepted);
    pool.setStatus(status);
    return StatusPatches.patchStatus(pool, status, context);
  }

  /**
   * The pool's instance in each namespace that needs one: those whose Services hold its addresses,
   * and those where a Service's VirtualServer still names it. The instance lists its namespace's
   * addresses itself, in numeric order, so it is valid (and holds them) before the Services'
   * VirtualServers join it, and a Service's VirtualServers never name a missing instance.
   */
  List<VrrpInstance> desiredInstances(AddressPool pool) {
    String name = pool.getMetadata().getName();
    String instance = LoadBalancerNames.vrrpInstanceName(name);
    SortedMap<String, SortedMap<Long, String>> namespaces = new TreeMap<>();
    model
        .last()
        .allocation()
        .assignments()
        .forEach(
            (service, a) -> {
              if (a.pool().equals(name)) {
                namespaces
                    .computeIfAbsent(service.namespace(), ns -> new TreeMap<>())
                    .put(AddressRange.address(a.address()).orElseThrow(), a.address());
              }
            });
    shared
        .caches()
        .virtualServers()
        .filter(vs -> vs.getSpec() != null && instance.equals(vs.getSpec().vrrpInstance()))
        .filter(vs -> LoadBalancerInputs.serviceOwner(vs).isPresent())
        .forEach(
            vs ->
                namespaces.computeIfAbsent(vs.getMetadata().getNamespace(), ns -> new TreeMap<>()));
    List<VrrpInstance> out = new ArrayList<>();
    VirtualServerSpec.Vrrp vrrp = pool.getSpec().vrrp();
    namespaces.forEach(
        (ns, addresses) -> {
          VrrpInstance vi = new VrrpInstance();
          vi.setMetadata(
              new ObjectMetaBuilder()
                  .withName(instance)
                  .withNamespace(ns)
                  .addToLabels(NodeOwned.MANAGED_BY, NodeOwned.OPERATOR)
                  .addToLabels(LoadBalancerNames.POOL_LABEL, name)
                  .build());
          vi.setSpec(
              new VrrpInstanceSpec(
                  vrrp == null ? VirtualServerSpec.Vrrp.unset() : vrrp,
                  pool.getSpec().directors(),
                  addresses.isEmpty()
                      ? null
                      : addresses.values().stream()
                          .map(a -> new VrrpInstanceSpec.Address(a, null, null, null))
                          .toList(),
                  null));
          out.add(vi);
        });
    return out;
  }

  /** The VrrpInstances a pool owns. */
  static final class OwnedInstances extends OwnedObjects<VrrpInstance, AddressPool> {
    private final AddressPoolReconciler reconciler;

    OwnedInstances(Set<String> namespaces, OperatorMetrics metrics, AddressPoolReconciler r) {
      super(
          VrrpInstance.class,
          "addresspool-vrrpinstances",
          NodeOwned.MANAGED_BY + "=" + NodeOwned.OPERATOR + "," + LoadBalancerNames.POOL_LABEL,
          namespaces,
          metrics);
      this.reconciler = r;
    }

    @Override
    List<VrrpInstance> wanted(AddressPool pool, Context<AddressPool> context) {
      return reconciler.desiredInstances(pool);
    }
  }
}
