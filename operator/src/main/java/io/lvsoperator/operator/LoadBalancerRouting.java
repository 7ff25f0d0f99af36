package io.lvsoperator.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.lvsoperator.api.v1alpha1.AddressPool;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import io.lvsoperator.api.v1alpha1.VrrpInstance;
import io.lvsoperator.compiler.ObjectKey;
import io.lvsoperator.operator.loadbalancer.LoadBalancerNames;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which Services and AddressPools a change reconciles. A change to an input of the allocation (a
 * Service's type, class, request, address or existence; a pool; an address another object holds)
 * tells the {@link LoadBalancerModel} to compute again and reconciles what is sure to ask for it;
 * each computation then routes what it found changed ({@link #modelChanged}). Nodes reconcile the
 * Services with an address (their real servers are nodes), a pool's VrrpInstance appearing the
 * Services waiting for it, and a Service's own VirtualServers and EndpointSlices reach it through
 * its controller's informers.
 */
final class LoadBalancerRouting implements ChangeRouting.Listener {
  private final LoadBalancerModel model;
  volatile Trigger<Service> services;
  volatile Trigger<AddressPool> pools;

  LoadBalancerRouting(LoadBalancerModel model) {
    this.model = model;
  }

  void modelChanged(LoadBalancerSnapshot.Changes changes) {
    reconcileServices(changes.services());
    reconcilePools(changes.pools());
  }

  /** A Service came, went or changed. */
  void service(Service before, Service after) {
    LoadBalancerSettings settings = model.settings();
    boolean ours =
        LoadBalancerInputs.serves(before, settings) || LoadBalancerInputs.serves(after, settings);
    if (!ours && !(before != null && LoadBalancerInputs.ingressAddress(before).isPresent())) {
      return;
    }
    if (Objects.equals(claimView(before), claimView(after))) {
      return;
    }
    model.inputChanged();
    if (after == null) {
      // A deleted Service is not reconciled: its pool is, which computes the allocation again.
      ObjectKey key = ObjectKey.of(before);
      model.last().allocation().assignment(key).ifPresent(a -> reconcilePools(Set.of(a.pool())));
      reconcileServices(refused());
    }
  }

  /** An AddressPool came, went or changed. */
  void pool(AddressPool before, AddressPool after) {
    if (before != null
        && after != null
        && Objects.equals(before.getMetadata().getGeneration(), after.getMetadata().getGeneration())
        && Objects.equals(
            before.getMetadata().getDeletionTimestamp(),
            after.getMetadata().getDeletionTimestamp())) {
      return; // a status write, ours
    }
    model.inputChanged();
    String name = (after != null ? after : before).getMetadata().getName();
    reconcileServices(model.last().servicesOf(name));
    reconcileServices(refused());
  }

  @Override
  public void virtualServer(VirtualServer before, VirtualServer after) {
    if (!ChangeRouting.specOrDeletionDiffers(before, after)) {
      return;
    }
    VirtualServer any = after != null ? after : before;
    boolean serviceOwned = LoadBalancerInputs.serviceOwner(any).isPresent();
    if (!serviceOwned || after == null) {
      // Another holder of an address came, went or moved (a Service's VirtualServer going away
      // frees an address only once it is gone).
      model.inputChanged();
      reconcileServices(refused());
    }
    String pool = labels(any).get(LoadBalancerNames.POOL_LABEL);
    if (serviceOwned && after == null && pool != null) {
      reconcilePools(Set.of(pool)); // its instance may go now
    }
  }

  @Override
  public void vrrpInstance(VrrpInstance before, VrrpInstance after) {
    VrrpInstance any = after != null ? after : before;
    String pool = labels(any).get(LoadBalancerNames.POOL_LABEL);
    if (pool != null) {
      // A pool's instance came or went: the namespace's Services waiting for it, or needing it.
      String namespace = any.getMetadata().getNamespace();
      reconcileServices(
          model.last().servicesOf(pool).stream()
              .filter(k -> k.namespace().equals(namespace))
              .toList());
      if (after == null) {
        reconcilePools(Set.of(pool));
      }
      return;
    }
    if (ChangeRouting.specOrDeletionDiffers(before, after)) {
      model.inputChanged();
      reconcileServices(refused());
    }
  }

  @Override
  public void node(Node before, Node after) {
    boolean changed =
        before == null
            || after == null
            || ChangeRouting.configFieldsDiffer(before, after)
            || DirectorObservation.isReady(before) != DirectorObservation.isReady(after);
    if (changed) {
      reconcileServices(model.last().allocation().assignments().keySet());
    }
  }

  /** What the allocation reads of a Service, and whether it is ours. */
  private Object claimView(Service s) {
    if (s == null) {
      return null;
    }
    return java.util.List.of(
        LoadBalancerInputs.serves(s, model.settings()),
        LoadBalancerInputs.claim(s, Optional.empty()),
        String.valueOf(s.getMetadata().getDeletionTimestamp()));
  }

  private Set<ObjectKey> refused() {
    return new HashSet<>(model.last().allocation().refusals().keySet());
  }

  private static Map<String, String> labels(HasMetadata o) {
    return o.getMetadata().getLabels() == null ? Map.of() : o.getMetadata().getLabels();
  }

  private void reconcileServices(Collection<ObjectKey> keys) {
    Trigger<Service> t = services;
    if (t != null && !keys.isEmpty()) {
      t.reconcile(keys.stream().map(k -> new ResourceID(k.name(), k.namespace())).toList());
    }
  }

  private void reconcilePools(Collection<String> names) {
    Trigger<AddressPool> t = pools;
    if (t != null && !names.isEmpty()) {
      t.reconcile(names.stream().map(ResourceID::new).toList());
    }
  }
}
