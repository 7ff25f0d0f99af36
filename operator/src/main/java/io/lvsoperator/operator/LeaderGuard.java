package io.lvsoperator.operator;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Runs a reconcile only while this replica holds the Lease, and counts and times it. JOSDK
 * dispatches only on the leader; this guards the Lease's edges (lost, not yet won).
 */
final class LeaderGuard {
  private final BooleanSupplier leading;
  private final OperatorMetrics metrics;

  LeaderGuard(BooleanSupplier leading, OperatorMetrics metrics) {
    this.leading = leading;
    this.metrics = metrics;
  }

  <T> T run(String controller, Supplier<T> reconcile) {
    if (!leading.getAsBoolean()) {
      metrics.reconcile(controller, "not-leader", Duration.ZERO);
      throw new IllegalStateException("not the leader: no writes until the Lease is held");
    }
    long start = System.nanoTime();
    String outcome = "error";
    try {
      T result = reconcile.get();
      outcome = "ok";
      return result;
    } finally {
      metrics.reconcile(controller, outcome, Duration.ofNanos(System.nanoTime() - start));
    }
  }
}
