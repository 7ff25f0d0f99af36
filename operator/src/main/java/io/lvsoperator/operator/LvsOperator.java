package io.lvsoperator.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The assembled operator: a JOSDK {@link Operator} with the {@link VirtualServerReconciler}, leader
 * election on a Lease, and metrics. {@link Main} runs it; the tests run several against one API
 * server.
 */
public final class LvsOperator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LvsOperator.class);

  private final OperatorSettings settings;
  private final OperatorMetrics metrics = new OperatorMetrics();
  private final Operator operator;
  private final VirtualServerReconciler reconciler;
  private final AtomicBoolean leading = new AtomicBoolean();
  private final AtomicBoolean stopping = new AtomicBoolean();

  public LvsOperator(KubernetesClient client, OperatorSettings settings, Clock clock) {
    this.settings = settings;
    this.leading.set(!settings.leaderElection());
    EventRecorder events =
        new EventRecorder(client, settings.identity(), Duration.ofMinutes(1), clock);
    this.reconciler =
        new VirtualServerReconciler(
            metrics,
            leading::get,
            observer ->
                new ClusterReconciliation(
                    client, observer, events, metrics, clock, settings.agentSilence()));
    this.operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .checkingCRDAndValidateLocalModel(false)
                  .withUseSSAToPatchPrimaryResource(settings.serverSideApply())
                  .withSSABasedCreateUpdateMatchForDependentResources(settings.serverSideApply())
                  .withReconciliationTerminationTimeout(Duration.ofSeconds(10));
              if (settings.leaderElection()) {
                o.withLeaderElectionConfiguration(leaderElection(settings));
              }
            });
    operator.register(
        reconciler,
        c -> {
          c.withFinalizer(VirtualServerReconciler.FINALIZER)
              .withReconciliationMaxInterval(settings.resync());
          if (settings.watchNamespaces().isEmpty()) {
            c.watchingAllNamespaces();
          } else {
            c.settingNamespaces(settings.watchNamespaces());
          }
        });
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
                LOG.info("event=leadership-released identity={}", s.identity());
                return;
              }
              // A replica that lost the Lease must not write again: exit, and let the Deployment
              // restart it as a follower.
              LOG.error("event=leadership-lost identity={} action=exit", s.identity());
              Thread.ofPlatform().start(() -> System.exit(1));
            },
            leader -> LOG.info("event=new-leader leader={} identity={}", leader, s.identity()));
    return new LeaderElectionConfiguration(
        s.leaseName(), s.leaseNamespace(), lease, renew, retry, s.identity(), callbacks, false);
  }

  public void start() {
    operator.start();
    LOG.info(
        "event=operator-started identity={} namespaces={} leaderElection={} lease={}/{}",
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
    operator.stop();
    LOG.info("event=operator-stopped identity={}", settings.identity());
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

  ClusterReconciliation cluster() {
    return reconciler.cluster();
  }
}
