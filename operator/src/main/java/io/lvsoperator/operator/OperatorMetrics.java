package io.lvsoperator.operator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Prometheus metrics of the operator, served at /metrics. */
final class OperatorMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ConcurrentHashMap<String, AtomicInteger> managed = new ConcurrentHashMap<>();

  MeterRegistry registry() {
    return registry;
  }

  String scrape() {
    return registry.scrape();
  }

  /** One reconcile request from JOSDK, whatever it did. */
  void reconcile(String outcome) {
    Counter.builder("lvs_operator_reconciles")
        .description("Reconcile requests handled, by outcome")
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  /** One full pass: observe, compile, write nodes, write statuses. */
  void pass(Duration took, String outcome) {
    Timer.builder("lvs_operator_reconcile_duration")
        .description("Duration of a full reconcile pass (observe, compile, write)")
        .tag("outcome", outcome)
        .register(registry)
        .record(took);
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

  /** Objects seen in the last pass, by kind. */
  void managed(String kind, int count) {
    managed
        .computeIfAbsent(
            kind,
            k -> {
              AtomicInteger value = new AtomicInteger();
              registry.gauge(
                  "lvs_operator_managed_objects",
                  java.util.List.of(io.micrometer.core.instrument.Tag.of("kind", k)),
                  value);
              return value;
            })
        .set(count);
  }
}
