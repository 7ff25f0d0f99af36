package io.lvsoperator.operator;

import io.lvsoperator.compiler.CompileResult;
import io.lvsoperator.compiler.Compiler;
import io.lvsoperator.compiler.TenantPolicies;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster compiled once and shared by every reconciler: the node configs, and a verdict per
 * VirtualServer and RealServer. It is memoized by its inputs: every change to an input that the
 * compiler reads (a new resourceVersion of a VirtualServer, RealServer or Node whose compiled
 * fields differ, or a changed Secret) bumps the input version, and the next reconcile that asks for
 * the model compiles again; until then every reconcile reuses the last compile. N reconciles caused
 * by one change cost one compile.
 *
 * <p>After each compile the model compares the new snapshot with the previous one and hands the
 * difference to {@link ChangeRouting}: the nodes whose config changed, the VirtualServers and
 * RealServers whose verdict changed. That reaches the objects a change affects indirectly (the
 * newer object of a conflict that now runs, the other directors' unicast peers, the VRID
 * allocation) without any reconciler computing it.
 */
final class ClusterModel {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterModel.class);

  private final ClusterCaches caches;
  private final ReferencedSecrets secrets;
  private final OperatorMetrics metrics;
  private final AtomicLong inputVersion = new AtomicLong(1);
  private final AtomicLong compiles = new AtomicLong();
  private final Object compileLock = new Object();
  private volatile ModelSnapshot snapshot = ModelSnapshot.EMPTY;
  private volatile Consumer<ModelSnapshot.Changes> changes = c -> {};
  private final boolean tenantPolicyRequired;
  private List<String> policyProblems = List.of();

  ClusterModel(ClusterCaches caches, ReferencedSecrets secrets, OperatorMetrics metrics) {
    this(caches, secrets, metrics, false);
  }

  /**
   * @param tenantPolicyRequired whether a namespace no TenantPolicy names may run nothing
   */
  ClusterModel(
      ClusterCaches caches,
      ReferencedSecrets secrets,
      OperatorMetrics metrics,
      boolean tenantPolicyRequired) {
    this.caches = caches;
    this.secrets = secrets;
    this.metrics = metrics;
    this.tenantPolicyRequired = tenantPolicyRequired;
  }

  /** Where the differences between successive compiles go. */
  void onChanges(Consumer<ModelSnapshot.Changes> listener) {
    this.changes = listener;
  }

  /** An input the compiler reads has changed: the next {@link #current()} compiles again. */
  void inputChanged() {
    inputVersion.incrementAndGet();
  }

  /** The last compile, whatever has changed since (for routing changes; compiles nothing). */
  ModelSnapshot last() {
    return snapshot;
  }

  /** The model of the inputs as they are now: the last compile, or a new one if they changed. */
  ModelSnapshot current() {
    ModelSnapshot s = snapshot;
    if (s.version() == inputVersion.get()) {
      return s;
    }
    caches.awaitSynced(Duration.ofSeconds(60));
    ModelSnapshot before;
    ModelSnapshot next;
    synchronized (compileLock) {
      before = snapshot;
      long version = inputVersion.get(); // read before the caches: a later change recompiles
      if (before.version() == version) {
        return before;
      }
      next = compile(version);
      snapshot = next;
    }
    ModelSnapshot.Changes changed = next.changesSince(before);
    if (!changed.isEmpty()) {
      changes.accept(changed);
    }
    return next;
  }

  long compiles() {
    return compiles.get();
  }

  /**
   * Entries of the TenantPolicies that allow nothing because they do not parse: logged when they
   * change (a TenantPolicy has no status; the objects it refuses say why in theirs).
   */
  private void logPolicyProblems(List<String> problems) {
    if (!problems.equals(policyProblems)) {
      problems.forEach(p -> LOG.warn("event=tenant_policy_problem problem=\"{}\"", p));
      policyProblems = problems;
    }
  }

  private ModelSnapshot compile(long version) {
    long start = System.nanoTime();
    String outcome = "error";
    try {
      TenantPolicies policies =
          TenantPolicies.of(caches.tenantPolicies().toList(), tenantPolicyRequired);
      logPolicyProblems(policies.problems());
      CompileResult result =
          Compiler.compile(
              CompilerInputs.of(
                      caches.virtualServers().toList(),
                      caches.realServers().toList(),
                      caches.vrrpInstances().toList(),
                      caches.nodes().toList(),
                      secrets::values)
                  .withTenantPolicies(policies));
      ModelSnapshot next = ModelSnapshot.of(version, result);
      compiles.incrementAndGet();
      outcome = "ok";
      LOG.debug(
          "event=model_compiled version={} virtualServers={} realServers={} nodes={}",
          version,
          result.virtualServers().size(),
          result.realServers().size(),
          result.nodes().size());
      return next;
    } finally {
      metrics.compile(Duration.ofNanos(System.nanoTime() - start), outcome);
    }
  }
}
