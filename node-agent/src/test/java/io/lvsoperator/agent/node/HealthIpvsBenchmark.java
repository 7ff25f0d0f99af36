package io.lvsoperator.agent.node;

import io.lvsoperator.agent.health.CheckedService;
import io.lvsoperator.agent.health.HealthCheckKey;
import io.lvsoperator.agent.health.HealthState;
import io.lvsoperator.agent.health.IpvsHealthEffect;
import io.lvsoperator.agent.health.ServerHealth;
import io.lvsoperator.agent.host.ipvs.KernelIpvsProgrammer;
import io.lvsoperator.api.v1alpha1.Forwarding;
import io.lvsoperator.api.v1alpha1.HealthCheckType;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec.CompiledHealthCheck;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec.Destination;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec.IpvsService;
import io.lvsoperator.api.v1alpha1.OnFailure;
import io.lvsoperator.testing.TestingSpecs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Prints what one real server's health transition costs in IPVS, the way the agent did it before
 * (every service recomputed, then {@link KernelIpvsProgrammer#program}: a full sync, one
 * destination dump per owned service) and now (the services of that server only, then {@link
 * KernelIpvsProgrammer#programHealthChange}: one request, no dump). Not a test; run it as root on a
 * kernel with IPVS, i.e. in the lab:
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp ... io.lvsoperator.agent.node.HealthIpvsBenchmark [services] [destinations]
 * </pre>
 *
 * Also prints the heap the agent keeps for the table (compiled services, the services with health
 * applied, the programmer's state). Uses 10.202.0.0/16 (VIPs) and 10.203.0.0/16 (real servers; each
 * address and port in one service) and removes its services at the end.
 */
public final class HealthIpvsBenchmark {
  private HealthIpvsBenchmark() {}

  private static final CompiledHealthCheck CHECK =
      TestingSpecs.check(HealthCheckType.TCP)
          .intervalMs(6000)
          .timeoutMs(3000)
          .delayBeforeRetryMs(3000)
          .rise(1)
          .fall(1)
          .build();

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int destinations = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    System.out.printf(
        "bench=health_setup services=%d destinations_per_service=%d%n", count, destinations);

    long heap0 = heapUsedAfterGc();
    List<IpvsService> services = services(count, destinations);
    List<CheckedService> checked = SpecConversion.checkedServices(services);
    long heap1 = heapUsedAfterGc();
    List<EffectiveIpvsService> effective = effective(services, checked, Map.of());
    long heap2 = heapUsedAfterGc();

    Path state = Files.createTempDirectory("health-bench");
    try (KernelIpvsProgrammer ipvs = new KernelIpvsProgrammer(state)) {
      long t0 = System.nanoTime();
      check(ipvs.program(1, effective.stream().map(EffectiveIpvsService::service).toList()));
      report("health_program_from_empty", t0);
      long heap3 = heapUsedAfterGc();
      System.out.printf(
          "bench=health_memory compiled_services_bytes=%d effective_services_bytes=%d"
              + " programmer_bytes=%d per_service_bytes=%d%n",
          heap1 - heap0, heap2 - heap1, heap3 - heap2, (heap3 - heap0) / count);

      for (int round = 0; round < rounds; round++) {
        // A different server each round, in the middle of the table and beyond.
        int index = (count / 2 + round * 7) % count;
        IpvsService service = services.get(index);
        CheckedService checkedService = checked.get(index);
        HealthCheckKey key =
            HealthCheckKey.of(checkedService, checkedService.destinations().getFirst())
                .orElseThrow();
        Map<HealthCheckKey, HealthState> down = Map.of(key, down(key));

        // Before: every service recomputed and a full sync.
        t0 = System.nanoTime();
        List<EffectiveIpvsService> all = effective(services, checked, down);
        long effectMs = (System.nanoTime() - t0) / 1_000_000;
        check(ipvs.program(1, all.stream().map(EffectiveIpvsService::service).toList()));
        report("health_down_full_sync", t0, "effect_all_ms=" + effectMs);
        t0 = System.nanoTime();
        check(
            ipvs.program(
                1,
                effective(services, checked, Map.of()).stream()
                    .map(EffectiveIpvsService::service)
                    .toList()));
        report("health_up_full_sync", t0);

        // Now: the one service of that server, one destination edit.
        t0 = System.nanoTime();
        List<EffectiveIpvsService> now = new ArrayList<>(effective);
        EffectiveIpvsService changed =
            SpecConversion.effective(service, IpvsHealthEffect.apply(checkedService, down::get));
        now.set(index, changed);
        check(
            ipvs.programHealthChange(
                1,
                now.stream().map(EffectiveIpvsService::service).toList(),
                List.of(changed.service())));
        report("health_down_direct", t0);
        t0 = System.nanoTime();
        EffectiveIpvsService back =
            SpecConversion.effective(service, IpvsHealthEffect.apply(checkedService, k -> null));
        now.set(index, back);
        check(
            ipvs.programHealthChange(
                1,
                now.stream().map(EffectiveIpvsService::service).toList(),
                List.of(back.service())));
        report("health_up_direct", t0);
      }

      t0 = System.nanoTime();
      check(ipvs.cleanup());
      report("health_cleanup", t0);
    }
  }

  /** What the node core computes: each compiled service with its checks' verdicts applied. */
  private static List<EffectiveIpvsService> effective(
      List<IpvsService> services,
      List<CheckedService> checked,
      Map<HealthCheckKey, HealthState> states) {
    List<EffectiveIpvsService> out = new ArrayList<>(services.size());
    for (int i = 0; i < services.size(); i++) {
      out.add(
          SpecConversion.effective(
              services.get(i), IpvsHealthEffect.apply(checked.get(i), states)));
    }
    return out;
  }

  static List<IpvsService> services(int count, int destinations) {
    List<IpvsService> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String vip = "10.202." + (i >> 8 & 0xff) + "." + (i & 0xff);
      List<Destination> dests = new ArrayList<>(destinations);
      for (int j = 0; j < destinations; j++) {
        dests.add(
            new Destination(
                "10.203." + j + "." + (i % 250 + 1), 80 + i / 250, 1, Forwarding.DR, false));
      }
      out.add(
          TestingSpecs.service(vip, 80)
              .vrrpInstance("vi1")
              .healthCheck(CHECK)
              .onFailure(OnFailure.REMOVE)
              .destinations(dests)
              .build());
    }
    return out;
  }

  private static HealthState down(HealthCheckKey key) {
    return new HealthState(
        key, ServerHealth.DOWN, "connection refused", Duration.ofMillis(1), 1, Instant.now(), true);
  }

  private static void check(IpvsProgrammer.Outcome outcome) {
    check(outcome.errors());
  }

  private static void check(List<String> errors) {
    if (!errors.isEmpty()) {
      throw new IllegalStateException("IPVS errors: " + errors);
    }
  }

  // Heap in use after full collections (SerialGC in the lab): good to a few hundred KB.
  private static long heapUsedAfterGc() {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }

  private static void report(String bench, long startNanos) {
    report(bench, startNanos, "");
  }

  private static void report(String bench, long startNanos, String extra) {
    double ms = (System.nanoTime() - startNanos) / 1e6;
    System.out.printf("bench=%s ms=%.1f %s%n", bench, ms, extra);
  }
}
