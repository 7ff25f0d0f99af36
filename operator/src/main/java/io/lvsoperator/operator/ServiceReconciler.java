package io.lvsoperator.operator;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.LoadBalancerStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceStatus;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.lvsoperator.api.v1alpha1.AddressPool;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import io.lvsoperator.compiler.ObjectKey;
import io.lvsoperator.operator.loadbalancer.Allocation;
import io.lvsoperator.operator.loadbalancer.LoadBalancerNames;
import io.lvsoperator.operator.loadbalancer.ServiceVirtualServers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A LoadBalancer Service of our class: its address from the shared {@link LoadBalancerModel}, the
 * VirtualServers that serve it (dependents owned by the Service, one per protocol, members of the
 * pool's VrrpInstance of the namespace), and its {@code status.loadBalancer.ingress}, which is also
 * where its address is recorded. Observe (the allocation, the nodes, the Service's EndpointSlices)
 * → plan ({@link ServiceVirtualServers}, pure) → write the VirtualServers → patch the Service's
 * status, and Events for what changed.
 *
 * <p>A Service that stops being ours (another type or class) loses its VirtualServers and, if it
 * had them, its ingress. A deleted Service's VirtualServers go with it (owner references; the
 * garbage collector), and its address is free as soon as they are gone.
 */
final class ServiceReconciler implements Reconciler<Service> {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceReconciler.class);
  static final String PLAN = "lvs-service-plan";

  private final Shared shared;
  private final LoadBalancerModel model;
  private final LoadBalancerCaches caches;
  private final LoadBalancerRouting routing;
  private final OwnedVirtualServers virtualServers;
  private final Map<String, String> lastRefusal = new ConcurrentHashMap<>();

  ServiceReconciler(
      Shared shared,
      LoadBalancerModel model,
      LoadBalancerCaches caches,
      LoadBalancerRouting routing,
      Set<String> namespaces) {
    this.shared = shared;
    this.model = model;
    this.caches = caches;
    this.routing = routing;
    this.virtualServers = new OwnedVirtualServers(namespaces, shared.metrics());
  }

  /** What a reconcile decided for one Service. */
  record Plan(
      boolean ours,
      Optional<Allocation.Assignment> assignment,
      Optional<Allocation.Refusal> refusal,
      boolean waitingForInstance,
      List<VirtualServer> objects,
      List<String> notes) {}

  @Override
  public List<EventSource<?, Service>> prepareEventSources(EventSourceContext<Service> context) {
    caches.services = context.getPrimaryCache();
    Trigger<Service> trigger =
        new Trigger<>(
            "service-changes",
            (before, after) -> {
              if (after == null && before != null) {
                lastRefusal.remove(before.getMetadata().getUid()); // not reconciled any more
              }
              routing.service(before, after);
            });
    routing.services = trigger;
    InformerEventSource<EndpointSlice, Service> slices =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(EndpointSlice.class, Service.class)
                .withName("endpointslices")
                .withNamespacesInheritedFromController()
                .withSecondaryToPrimaryMapper(
                    slice -> {
                      Map<String, String> labels = slice.getMetadata().getLabels();
                      String service =
                          labels == null ? null : labels.get(LoadBalancerNames.SERVICE_NAME_LABEL);
                      return service == null
                          ? Set.of()
                          : Set.of(new ResourceID(service, slice.getMetadata().getNamespace()));
                    })
                .build(),
            context);
    List<EventSource<?, Service>> sources = new ArrayList<>();
    sources.add(trigger);
    sources.add(slices);
    sources.addAll(EventSourceUtils.dependentEventSources(context, virtualServers));
    return sources;
  }

  @Override
  public UpdateControl<Service> reconcile(Service service, Context<Service> context) {
    return shared.guard().run("Service", () -> reconcileService(service, context));
  }

  private UpdateControl<Service> reconcileService(Service service, Context<Service> context) {
    if (service.getMetadata().getDeletionTimestamp() != null) {
      return UpdateControl.noUpdate(); // its VirtualServers go with it
    }
    Plan plan = plan(service, context);
    boolean hadObjects = !virtualServers.getSecondaryResources(service, context).isEmpty();
    if (!plan.ours() && !hadObjects && !hadOurIngress(service)) {
      return UpdateControl.noUpdate(); // someone else's Service
    }
    if (!plan.waitingForInstance()) {
      context.managedWorkflowAndDependentResourceContext().put(PLAN, plan);
      virtualServers.reconcile(service, context);
    }
    String before = LoadBalancerInputs.ingressAddress(service).orElse(null);
    String after = plan.assignment().map(Allocation.Assignment::address).orElse(null);
    recordEvents(service, plan, before, after);
    if (Objects.equals(before, after) && (after != null || !hasIngress(service))) {
      return UpdateControl.noUpdate();
    }
    shared.metrics().write("ServiceStatus");
    LOG.info(
        "event=status_written kind=Service object={} address={} previous={} pool={}",
        ObjectKey.of(service),
        after,
        before,
        plan.assignment().map(Allocation.Assignment::pool).orElse(null));
    ServiceStatus status = service.getStatus() == null ? new ServiceStatus() : service.getStatus();
    List<LoadBalancerIngress> ingress =
        after == null
            ? List.of()
            : List.of(new LoadBalancerIngressBuilder().withIp(after).withIpMode("VIP").build());
    status.setLoadBalancer(new LoadBalancerStatus(ingress));
    service.setStatus(status);
    return StatusPatches.patchStatus(service, status, context);
  }

  /** Whether a Service is, or may have been, ours: worth a reconcile when it is listed. */
  static boolean concerns(Service s, LoadBalancerSettings settings) {
    return LoadBalancerInputs.serves(s, settings)
        || LoadBalancerInputs.ingressAddress(s).isPresent();
  }

  /** Whether an update changes what the reconcile reads of a Service that is or was ours. */
  static boolean changed(Service now, Service before, LoadBalancerSettings settings) {
    if (!LoadBalancerInputs.serves(now, settings) && !LoadBalancerInputs.serves(before, settings)) {
      return false;
    }
    return !Objects.equals(now.getSpec(), before.getSpec())
        || !Objects.equals(ourAnnotations(now), ourAnnotations(before))
        || !Objects.equals(loadBalancer(now), loadBalancer(before))
        || !Objects.equals(now.getMetadata().getUid(), before.getMetadata().getUid());
  }

  private static List<String> ourAnnotations(Service s) {
    Map<String, String> a =
        s.getMetadata().getAnnotations() == null ? Map.of() : s.getMetadata().getAnnotations();
    return java.util.Arrays.asList(
        a.get(LoadBalancerNames.POOL_ANNOTATION), a.get(LoadBalancerNames.ADDRESS_ANNOTATION));
  }

  private static LoadBalancerStatus loadBalancer(Service s) {
    return s.getStatus() == null ? null : s.getStatus().getLoadBalancer();
  }

  /** The Service's address and VirtualServers as the allocation and the cluster say now. */
  Plan plan(Service service, Context<Service> context) {
    ObjectKey key = ObjectKey.of(service);
    if (!LoadBalancerInputs.serves(service, model.settings())) {
      return new Plan(false, Optional.empty(), Optional.empty(), false, List.of(), List.of());
    }
    LoadBalancerSnapshot snapshot = model.current();
    Optional<Allocation.Assignment> assignment = snapshot.allocation().assignment(key);
    Optional<Allocation.Refusal> refusal = snapshot.allocation().refusal(key);
    if (assignment.isEmpty()) {
      return new Plan(true, assignment, refusal, false, List.of(), List.of());
    }
    Optional<AddressPool> pool = snapshot.poolObject(assignment.get().pool());
    String instance = LoadBalancerNames.vrrpInstanceName(assignment.get().pool());
    boolean instanceExists =
        shared.caches().vrrpInstances.get(new ResourceID(instance, key.namespace())).isPresent();
    if (pool.isEmpty() || !instanceExists) {
      // The pool's reconciler creates the namespace's VrrpInstance; a member naming a missing
      // instance would be invalid, so the VirtualServers wait for it (and keep what they are).
      return new Plan(true, assignment, refusal, true, List.of(), List.of());
    }
    var nodes = shared.caches().nodes().toList();
    var settings =
        LoadBalancerInputs.poolSettings(
            pool.get(), shared.routing().nodesNamedBy(pool.get().getSpec().directors()));
    var endpointNodes =
        LoadBalancerInputs.endpointNodes(
            List.copyOf(context.getSecondaryResources(EndpointSlice.class)));
    ServiceVirtualServers.Plan p =
        ServiceVirtualServers.plan(
            LoadBalancerInputs.loadBalancerService(service),
            assignment.get().address(),
            instance,
            settings,
            LoadBalancerInputs.candidateNodes(nodes),
            endpointNodes);
    List<VirtualServer> objects = new ArrayList<>();
    p.virtualServers()
        .forEach(
            (name, spec) -> {
              VirtualServer vs = new VirtualServer();
              vs.setMetadata(
                  new ObjectMetaBuilder()
                      .withName(name)
                      .withNamespace(key.namespace())
                      .addToLabels(NodeOwned.MANAGED_BY, NodeOwned.OPERATOR)
                      .addToLabels(LoadBalancerNames.SERVICE_LABEL, key.name())
                      .addToLabels(LoadBalancerNames.POOL_LABEL, assignment.get().pool())
                      .build());
              vs.setSpec(spec);
              objects.add(vs);
            });
    return new Plan(true, assignment, refusal, false, objects, p.notes());
  }

  private void recordEvents(Service service, Plan plan, String before, String after) {
    String uid = service.getMetadata().getUid();
    List<TransitionEvents.Note> notes = new ArrayList<>();
    if (after != null && !after.equals(before)) {
      Allocation.Assignment a = plan.assignment().orElseThrow();
      notes.add(
          before == null
              ? TransitionEvents.Note.normal(
                  "AddressAllocated", after + " from AddressPool " + a.pool())
              : TransitionEvents.Note.warning(
                  "AddressChanged",
                  "the address moved from "
                      + before
                      + " to "
                      + after
                      + " (AddressPool "
                      + a.pool()
                      + "): "
                      + before
                      + " is no longer in a pool this Service may use"));
    }
    if (after == null && before != null) {
      notes.add(
          TransitionEvents.Note.normal(
              "AddressReleased",
              before
                  + (plan.ours()
                      ? " released: " + plan.refusal().map(Allocation.Refusal::message).orElse("")
                      : " released: the Service is no longer of type LoadBalancer with class "
                          + LoadBalancerNames.LOAD_BALANCER_CLASS)));
    }
    if (plan.refusal().isPresent()) {
      Allocation.Refusal r = plan.refusal().get();
      if (!r.message().equals(lastRefusal.put(uid, r.message()))) {
        notes.add(
            TransitionEvents.Note.warning("AllocationFailed", r.reason() + ": " + r.message()));
      }
    } else {
      lastRefusal.remove(uid);
    }
    for (String note : plan.notes()) {
      notes.add(TransitionEvents.Note.warning("NodesLimited", note));
    }
    for (TransitionEvents.Note note : notes) {
      if (shared.events().record(service, note)) {
        shared.metrics().event(note.reason());
      }
    }
  }

  private static boolean hasIngress(Service service) {
    return service.getStatus() != null
        && service.getStatus().getLoadBalancer() != null
        && service.getStatus().getLoadBalancer().getIngress() != null
        && !service.getStatus().getLoadBalancer().getIngress().isEmpty();
  }

  /** Its ingress is an address the last allocation gave it (it was ours until just now). */
  private boolean hadOurIngress(Service service) {
    return LoadBalancerInputs.ingressAddress(service)
        .flatMap(
            ip ->
                model
                    .last()
                    .addressOf(ObjectKey.of(service), service.getMetadata().getUid())
                    .filter(ip::equals))
        .isPresent();
  }

  /** The VirtualServers a Service owns. */
  static final class OwnedVirtualServers extends OwnedObjects<VirtualServer, Service> {
    OwnedVirtualServers(Set<String> namespaces, OperatorMetrics metrics) {
      super(
          VirtualServer.class,
          "service-virtualservers",
          NodeOwned.MANAGED_BY + "=" + NodeOwned.OPERATOR + "," + LoadBalancerNames.SERVICE_LABEL,
          namespaces,
          metrics);
    }

    @Override
    List<VirtualServer> wanted(Service service, Context<Service> context) {
      return context
          .managedWorkflowAndDependentResourceContext()
          .getMandatory(PLAN, Plan.class)
          .objects();
    }
  }
}
