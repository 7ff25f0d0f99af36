package io.lvsoperator.compiler;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.lvsoperator.api.v1alpha1.Forwarding;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.api.v1alpha1.RealServer;
import io.lvsoperator.api.v1alpha1.RealServerSpec;
import io.lvsoperator.api.v1alpha1.Scheduler;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import io.lvsoperator.api.v1alpha1.VirtualServerSpec;
import io.lvsoperator.api.v1alpha1.VrrpInstance;
import io.lvsoperator.api.v1alpha1.VrrpInstanceSpec;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Benchmark, not a test: compiles generated clusters and prints wall time, peak heap and the size
 * of the per-node specs, then cuts director n1's spec into 128 KiB slices and merges them back.
 * Each scenario is compiled {@code rounds} times in one JVM (the first round includes class loading
 * and JIT warm-up); the input is built before the clock starts.
 *
 * <pre>
 * args: [rounds=3] [scenario ...]   scenarios: vs1k, vs10k, vs10k-objects, vips10k (default: all)
 * </pre>
 *
 * Prints one line per round: {@code bench=compile scenario=... round=N ms=... peak_heap_mb=...},
 * then the shape of the result.
 */
public final class CompileBenchmark {
  private static final int DIRECTORS = 4;
  private static final int REAL_SERVERS = 20;

  private CompileBenchmark() {}

  /** A generated cluster. */
  record Scenario(String name, String description, CompilerInput input) {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    List<String> names =
        args.length > 1
            ? List.of(args).subList(1, args.length)
            : List.of("vs1k", "vs10k", "vs10k-objects", "vips10k");
    System.out.printf(
        "java=%s cpus=%d max_heap_mb=%d loadavg=%s%n",
        Runtime.version(),
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        loadAverage());
    for (String name : names) {
      Scenario s = scenario(name);
      System.out.println("scenario=" + s.name() + " " + s.description());
      CompileResult result = null;
      for (int round = 1; round <= rounds; round++) {
        result = null;
        System.gc();
        long baseline = heapUsed();
        resetPeaks();
        long start = System.nanoTime();
        result = Compiler.compile(s.input());
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.printf(
            "bench=compile scenario=%s round=%d ms=%d peak_heap_mb=%d heap_before_mb=%d%n",
            s.name(), round, ms, peakHeap() >> 20, baseline >> 20);
      }
      describe(result);
      split(s.name(), result.nodes().get("n1"));
      System.out.println("loadavg=" + loadAverage());
    }
  }

  static Scenario scenario(String name) {
    return switch (name) {
      case "vs1k" ->
          new Scenario(
              name,
              "1000 VirtualServers x 20 inline real servers, 4 VrrpInstances, 4 directors",
              cluster(1_000, 4, false, REAL_SERVERS));
      case "vs10k" ->
          new Scenario(
              name,
              "10000 VirtualServers x 20 inline real servers, 8 VrrpInstances, 4 directors",
              cluster(10_000, 8, false, REAL_SERVERS));
      case "vs10k-objects" ->
          new Scenario(
              name,
              "10000 VirtualServers x 20 RealServer objects (200000), 8 VrrpInstances, 4 directors",
              cluster(10_000, 8, true, REAL_SERVERS));
      case "vips10k" ->
          new Scenario(
              name,
              "10000 VIP-only VirtualServers on eth0 in 5 VrrpInstances, 4 directors",
              cluster(10_000, 5, false, 0));
      default -> throw new IllegalArgumentException("unknown scenario " + name);
    };
  }

  /**
   * {@code virtualServers} VirtualServers on distinct VIPs 10.x.y.z (port 80, or VIP-only without
   * real servers), spread over {@code instances} VrrpInstances on eth0 directed by n1..n4.
   */
  static CompilerInput cluster(
      int virtualServers, int instances, boolean realServerObjects, int realServers) {
    List<VrrpInstance> vris = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      VrrpInstance vri = new VrrpInstance();
      vri.setMetadata(meta("vi-" + i, i));
      vri.setSpec(
          new VrrpInstanceSpec(
              null,
              new VirtualServerSpec.Directors(
                  List.of(
                      new VirtualServerSpec.DirectorNode("n1", null),
                      new VirtualServerSpec.DirectorNode("n2", null),
                      new VirtualServerSpec.DirectorNode("n3", null),
                      new VirtualServerSpec.DirectorNode("n4", null)),
                  null),
              null,
              null));
      vris.add(vri);
    }
    List<VirtualServer> vss = new ArrayList<>();
    List<RealServer> rss = new ArrayList<>();
    for (int v = 0; v < virtualServers; v++) {
      String vip = "10." + (v >> 16 & 255) + "." + (v >> 8 & 255) + "." + (v & 255);
      String name = "vs-" + v;
      List<VirtualServerSpec.InlineRealServer> inline = new ArrayList<>();
      for (int r = 0; r < realServers; r++) {
        String address = "172.16." + (r + v * realServers >> 8 & 255) + "." + (r & 255);
        if (realServerObjects) {
          RealServer rs = new RealServer();
          rs.setMetadata(meta(name + "-" + r, v));
          rs.setSpec(new RealServerSpec(address, null, 1, name, null, null));
          rss.add(rs);
        } else {
          inline.add(new VirtualServerSpec.InlineRealServer(address, null, 1, null, null));
        }
      }
      VirtualServer vs = new VirtualServer();
      vs.setMetadata(meta(name, instances + v));
      vs.setSpec(
          new VirtualServerSpec(
              vip,
              realServers == 0 ? null : 80,
              null,
              Scheduler.wlc,
              Forwarding.DR,
              null,
              null,
              inline.isEmpty() ? null : inline,
              null,
              null,
              null,
              null,
              "vi-" + v % instances,
              null,
              null,
              null,
              null,
              null));
      vss.add(vs);
    }
    List<NodeInfo> nodes = new ArrayList<>();
    for (int n = 1; n <= DIRECTORS; n++) {
      nodes.add(new NodeInfo("n" + n, Map.of(), List.of("192.0.2." + n)));
    }
    return new CompilerInput(vss, rss, nodes).withVrrpInstances(vris, Map.of());
  }

  private static ObjectMeta meta(String name, int second) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace("default")
        .withGeneration(1L)
        .withCreationTimestamp(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(second).toString())
        .build();
  }

  private static void describe(CompileResult result) throws Exception {
    long ok = result.virtualServers().values().stream().filter(VirtualServerResult::ok).count();
    ObjectMapper json = new ObjectMapper();
    LvsNodeSpec n1 = result.nodes().get("n1");
    System.out.printf(
        "result virtual_servers_ok=%d/%d instances=%d vips_advertised=%d vips_excluded=%d"
            + " services_n1=%d spec_json_kib_n1=%d%n",
        ok,
        result.virtualServers().size(),
        n1.vrrpInstances().size(),
        n1.vrrpInstances().stream().mapToInt(i -> i.vips().size()).sum(),
        n1.vrrpInstances().stream().mapToInt(i -> i.excludedVips().size()).sum(),
        n1.ipvsServices().size(),
        json.writeValueAsBytes(n1).length >> 10);
  }

  /** Cuts director n1's spec into slices of 128 KiB, from none, then again from those. */
  private static void split(String scenario, LvsNodeSpec spec) {
    long start = System.nanoTime();
    var first = NodeSlices.split("n1", spec, Map.of(), NodeSlices.TARGET_BYTES);
    long firstMs = (System.nanoTime() - start) / 1_000_000;
    start = System.nanoTime();
    var again = NodeSlices.split("n1", spec, first.slices(), NodeSlices.TARGET_BYTES);
    long againMs = (System.nanoTime() - start) / 1_000_000;
    start = System.nanoTime();
    NodeSlices.merge(first.head(), first.slices().values(), first.authPasswords());
    long mergeMs = (System.nanoTime() - start) / 1_000_000;
    System.out.printf(
        "bench=split scenario=%s slices=%d split_ms=%d resplit_ms=%d resplit_writes=%d"
            + " merge_ms=%d%n",
        scenario, first.slices().size(), firstMs, againMs, again.writes().size(), mergeMs);
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static long heapUsed() {
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }

  private static void resetPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  /** The sum of the heap pools' peaks since the reset (an upper bound of the peak heap). */
  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
