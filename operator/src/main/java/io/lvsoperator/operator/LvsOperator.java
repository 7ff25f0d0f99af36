package io.lvsoperator.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The assembled operator: a JOSDK {@link Operator} with four controllers sharing one {@link
 * ClusterModel} — {@link NodeConfigReconciler} (primary Node, writes the LvsNodes), {@link
 * VirtualServerReconciler}, {@link RealServerReconciler} and {@link VrrpInstanceReconciler} (each
 * patches its own status) — leader election on a Lease, and metrics. {@link Main} runs it; the
 * tests run several against one API server.
 */
public final class LvsOperator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LvsOperator.class);

  private final OperatorSettings settings;
  private final OperatorMetrics metrics = new OperatorMetrics();
  private final Operator operator;
  private final ClusterModel model;
  private final ReferencedSecrets secrets;
  private final AtomicBoolean leading = new AtomicBoolean();
  private final AtomicBoolean stopping = new AtomicBoolean();

  public LvsOperator(KubernetesClient client, OperatorSettings settings, Clock clock) {
    this.settings = settings;
    this.leading.set(!settings.leaderElection());
    EventRecorder events =
        new EventRecorder(client, settings.identity(), Duration.ofMinutes(1), clock);
    ClusterCaches caches = new ClusterCaches();
    AtomicReference<ChangeRouting> routingRef = new AtomicReference<>();
    this.secrets =
        new ReferencedSecrets(
            client,
            settings.resync(),
            settings.readSecrets(),
            metrics,
            secret -> routingRef.get().secret(secret));
    this.model = new ClusterModel(caches, secrets, metrics, settings.tenantPolicyRequired());
    ChangeRouting routing = new ChangeRouting(model, caches);
    routingRef.set(routing);
    model.onChanges(routing::modelChanged);
    AgentReports reports = new AgentReports(caches, settings.agentSilence());
    LeaderGuard guard = new LeaderGuard(leading::get, metrics);

    this.operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .checkingCRDAndValidateLocalModel(false)
                  .withUseSSAToPatchPrimaryResource(settings.serverSideApply())
                  .withSSABasedCreateUpdateMatchForDependentResources(settings.serverSideApply())
                  .withPreviousAnnotationForDependentResources(false)
                  .withReconciliationTerminationTimeout(Duration.ofSeconds(10));
              if (settings.leaderElection()) {
                o.withLeaderElectionConfiguration(leaderElection(settings));
              }
            });
    String namespace = settings.namespace() != null ? settings.namespace() : client.getNamespace();
    operator.register(
        new NodeConfigReconciler(
            model,
            caches,
            routing,
            metrics,
            guard,
            !settings.readSecrets() ? null : namespace == null ? "default" : namespace),
        c ->
            c.withName("nodes")
                .withReconciliationMaxInterval(settings.resync())
                // kubelet heartbeats change a Node every few seconds; its config reads only these
                .withOnUpdateFilter(ChangeRouting::configFieldsDiffer));
    Shared shared = new Shared(model, caches, routing, reports, events, metrics, guard, clock);
    operator.register(
        new VirtualServerReconciler(shared), c -> namespaced(c.withName("virtualservers")));
    operator.register(new RealServerReconciler(shared), c -> namespaced(c.withName("realservers")));
    operator.register(
        new VrrpInstanceReconciler(shared), c -> namespaced(c.withName("vrrpinstances")));
    metrics.managed("VirtualServer", () -> caches.virtualServers().count());
    metrics.managed("RealServer", () -> caches.realServers().count());
    metrics.managed("VrrpInstance", () -> caches.vrrpInstances().count());
    metrics.managed("LvsNode", () -> caches.lvsNodes().count());
    metrics.managed("LvsNodeSlice", () -> caches.lvsNodeSlices.list(x -> true).count());
  }

  private void namespaced(ControllerConfigurationOverrider<?> c) {
    c.withReconciliationMaxInterval(settings.resync());
    if (settings.watchNamespaces().isEmpty()) {
      c.watchingAllNamespaces();
    } else {
      c.settingNamespaces(settings.watchNamespaces());
    }
  }

  private LeaderElectionConfiguration leaderElection(OperatorSettings s) {
    Duration lease = s.leaseDuration();
    Duration renew = lease.multipliedBy(2).dividedBy(3);
    Duration retry = lease.dividedBy(8);
    LeaderCallbacks callbacks =
        new LeaderCallbacks(
            () -> {
              leading.set(true);
              LOG.info("event=leading identity={} lease={}", s.identity(), s.leaseName());
            },
            () -> {
              leading.set(false);
              if (stopping.get()) {
                LOG.info("event=leadership_released identity={}", s.identity());
                return;
              }
              // A replica that lost the Lease must not write again: exit, and let the Deployment
              // restart it as a follower.
              LOG.error("event=leadership_lost identity={} action=exit", s.identity());
              Thread.ofPlatform().start(() -> System.exit(1));
            },
            leader -> LOG.info("event=new_leader leader={} identity={}", leader, s.identity()));
    return new LeaderElectionConfiguration(
        s.leaseName(), s.leaseNamespace(), lease, renew, retry, s.identity(), callbacks, false);
  }

  public void start() {
    operator.start();
    secrets.start();
    LOG.info(
        "event=operator_started identity={} namespaces={} leaderElection={} lease={}/{}",
        settings.identity(),
        settings.watchNamespaces().isEmpty() ? "all" : settings.watchNamespaces(),
        settings.leaderElection(),
        settings.leaseNamespace(),
        settings.leaseName());
  }

  /** Stops reconciling, gives up the Lease, and stops the informers. */
  @Override
  public void close() {
    if (stopping.getAndSet(true)) {
      return;
    }
    secrets.close();
    operator.stop();
    LOG.info("event=operator_stopped identity={}", settings.identity());
  }

  /** Live: started and not stopping. */
  public boolean live() {
    return operator.getRuntimeInfo().isStarted() && !stopping.get();
  }

  /** Ready: live and every informer is watching. A follower is ready too (a warm standby). */
  public boolean ready() {
    return live() && operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }

  public boolean leading() {
    return leading.get();
  }

  public String scrapeMetrics() {
    return metrics.scrape();
  }

  /** Compiles of the cluster model so far. */
  long compiles() {
    return model.compiles();
  }

  /** Writes to the API server so far (LvsNodes, statuses). */
  long writes() {
    return metrics.writes();
  }

  /** Reconciles that ran so far, all controllers. */
  long reconciles() {
    return metrics.reconciles();
  }

  ClusterModel model() {
    return model;
  }
}
