package io.lvsoperator.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.lvsoperator.api.v1alpha1.LvsNode;
import io.lvsoperator.api.v1alpha1.RealServer;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import io.lvsoperator.compiler.ObjectKey;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The JOSDK side: VirtualServer is the primary resource; RealServers, Nodes, referenced Secrets and
 * LvsNodes are informer event sources whose changes map to every VirtualServer. Each reconcile
 * request hands over to the one global {@link ClusterReconciliation} pass, because every LvsNode is
 * compiled from all VirtualServers at once. A finalizer makes deletion a reconcile too, so a
 * deleted VirtualServer leaves the nodes even when it was the last one.
 */
public final class VirtualServerReconciler
    implements Reconciler<VirtualServer>, Cleaner<VirtualServer> {
  static final String FINALIZER = "lvsoperator.io/finalizer";

  private final OperatorMetrics metrics;
  private final BooleanSupplier leading;
  private final Function<Supplier<Observation>, ClusterReconciliation> clusterFactory;
  private volatile ClusterReconciliation cluster;
  private volatile IndexerResourceCache<VirtualServer> virtualServers;
  private volatile InformerEventSource<RealServer, VirtualServer> realServers;
  private volatile InformerEventSource<Node, VirtualServer> nodes;
  private volatile InformerEventSource<Secret, VirtualServer> secrets;
  private volatile InformerEventSource<LvsNode, VirtualServer> lvsNodes;

  VirtualServerReconciler(
      OperatorMetrics metrics,
      BooleanSupplier leading,
      Function<Supplier<Observation>, ClusterReconciliation> clusterFactory) {
    this.metrics = metrics;
    this.leading = leading;
    this.clusterFactory = clusterFactory;
  }

  ClusterReconciliation cluster() {
    return cluster;
  }

  @Override
  public List<EventSource<?, VirtualServer>> prepareEventSources(
      EventSourceContext<VirtualServer> context) {
    virtualServers = context.getPrimaryCache();

    realServers =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(RealServer.class, VirtualServer.class)
                .withName("realservers")
                .withSecondaryToPrimaryMapper(everyVirtualServer())
                .build(),
            context);
    nodes =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Node.class, VirtualServer.class)
                .withName("nodes")
                .withWatchAllNamespaces()
                .withSecondaryToPrimaryMapper(everyVirtualServer())
                // kubelet heartbeats change a Node every few seconds; only these fields matter
                .withOnUpdateFilter(VirtualServerReconciler::nodeChangeMatters)
                .build(),
            context);
    secrets =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Secret.class, VirtualServer.class)
                .withName("secrets")
                .withSecondaryToPrimaryMapper(this::virtualServersReferencing)
                .build(),
            context);
    lvsNodes =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(LvsNode.class, VirtualServer.class)
                .withName("lvsnodes")
                .withWatchAllNamespaces()
                .withSecondaryToPrimaryMapper(everyVirtualServer())
                .build(),
            context);
    cluster = clusterFactory.apply(this::observe);
    return List.of(realServers, nodes, secrets, lvsNodes);
  }

  @Override
  public UpdateControl<VirtualServer> reconcile(
      VirtualServer resource, Context<VirtualServer> context) {
    return run(() -> cluster.request(), UpdateControl.noUpdate());
  }

  @Override
  public DeleteControl cleanup(VirtualServer resource, Context<VirtualServer> context) {
    return run(() -> cluster.request(), DeleteControl.defaultDelete());
  }

  private <T> T run(Runnable pass, T control) {
    if (!leading.getAsBoolean()) {
      // JOSDK dispatches only on the leader; this guards the Lease's edges (lost, not yet won).
      metrics.reconcile("not-leader");
      throw new IllegalStateException("not the leader: no writes until the Lease is held");
    }
    try {
      pass.run();
      metrics.reconcile("ok");
      return control;
    } catch (RuntimeException e) {
      metrics.reconcile("error");
      throw e;
    }
  }

  /** The observation a pass starts from: the informer caches as they are now. */
  private Observation observe() {
    List<VirtualServer> vs = virtualServers.list(x -> true).toList();
    Set<ObjectKey> referencedSecrets =
        vs.stream()
            .filter(v -> CompilerInputs.secretRef(v) != null)
            .map(
                v -> new ObjectKey(ObjectKey.of(v).namespace(), CompilerInputs.secretRef(v).name()))
            .collect(Collectors.toSet());
    return new Observation(
        vs,
        realServers.list(x -> true).toList(),
        nodes.list(x -> true).toList(),
        secrets.list(s -> referencedSecrets.contains(ObjectKey.of(s))).toList(),
        lvsNodes.list(x -> true).toList());
  }

  private <R extends HasMetadata> SecondaryToPrimaryMapper<R> everyVirtualServer() {
    return r -> allVirtualServers();
  }

  private Set<ResourceID> allVirtualServers() {
    IndexerResourceCache<VirtualServer> cache = virtualServers;
    if (cache == null) {
      return Set.of();
    }
    return cache.list(x -> true).map(ResourceID::fromResource).collect(Collectors.toSet());
  }

  private Set<ResourceID> virtualServersReferencing(Secret secret) {
    ObjectKey key = ObjectKey.of(secret);
    return virtualServers
        .list(x -> true)
        .filter(
            vs -> {
              var ref = CompilerInputs.secretRef(vs);
              return ref != null
                  && ref.name().equals(key.name())
                  && ObjectKey.of(vs).namespace().equals(key.namespace());
            })
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  static boolean nodeChangeMatters(Node now, Node before) {
    return !Objects.equals(now.getMetadata().getLabels(), before.getMetadata().getLabels())
        || !Objects.equals(CompilerInputs.nodeInfo(now), CompilerInputs.nodeInfo(before))
        || DirectorObservation.isReady(now) != DirectorObservation.isReady(before)
        || !Objects.equals(now.getMetadata().getUid(), before.getMetadata().getUid());
  }
}
