package io.lvsoperator.operator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/** Prometheus metrics of the operator, served at /metrics. */
final class OperatorMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  MeterRegistry registry() {
    return registry;
  }

  String scrape() {
    return registry.scrape();
  }

  /** One reconcile of one primary, by controller (Node, VirtualServer, RealServer). */
  void reconcile(String controller, String outcome, Duration took) {
    Counter.builder("lvs_operator_reconciles")
        .description("Reconciles, by controller and outcome")
        .tag("controller", controller)
        .tag("outcome", outcome)
        .register(registry)
        .increment();
    Timer.builder("lvs_operator_reconcile_duration")
        .description("Duration of one reconcile, by controller and outcome")
        .tag("controller", controller)
        .tag("outcome", outcome)
        .register(registry)
        .record(took);
  }

  /** One compile of the cluster model. */
  void compile(Duration took, String outcome) {
    Timer.builder("lvs_operator_compile_duration")
        .description("Duration of one compile of the cluster model")
        .tag("outcome", outcome)
        .register(registry)
        .record(took);
  }

  /** One plan of a node's config (the split of its config into a head and slices). */
  void plan(Duration took) {
    Timer.builder("lvs_operator_node_plan_duration")
        .description("Duration of one plan of a node's config (its split into head and slices)")
        .register(registry)
        .record(took);
  }

  /** A read the informers do not cover (a referenced Secret). */
  void read(String kind) {
    Counter.builder("lvs_operator_reads")
        .description("Single-object reads from the API server, by kind of object")
        .tag("kind", kind)
        .register(registry)
        .increment();
  }

  /** Writes so far, all kinds together. */
  long writes() {
    return (long)
        registry.find("lvs_operator_writes").counters().stream().mapToDouble(Counter::count).sum();
  }

  /** Reconciles so far that ran (any outcome but not-leader). */
  long reconciles() {
    return (long)
        registry.find("lvs_operator_reconciles").counters().stream()
            .filter(c -> !"not-leader".equals(c.getId().getTag("outcome")))
            .mapToDouble(Counter::count)
            .sum();
  }

  void write(String kind) {
    Counter.builder("lvs_operator_writes")
        .description("Writes to the API server, by kind of object")
        .tag("kind", kind)
        .register(registry)
        .increment();
  }

  void event(String reason) {
    Counter.builder("lvs_operator_events")
        .description("Kubernetes Events emitted, by reason")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  /** How many objects of a kind the operator serves, read when scraped. */
  void managed(String kind, java.util.function.Supplier<Number> count) {
    // Micrometer holds a gauge's state weakly unless told otherwise; the supplier has no other
    // owner.
    io.micrometer.core.instrument.Gauge.builder("lvs_operator_managed_objects", count)
        .strongReference(true)
        .description("Objects the operator serves, by kind")
        .tag("kind", kind)
        .register(registry);
  }
}
