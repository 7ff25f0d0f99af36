package io.lvsoperator.agent.health;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Benchmark, not a test: one monitor checking N real servers (HTTP GET every second) served by a
 * child JVM listening on N loopback ports. Prints checks per second, CPU, heap and RSS of the
 * checking JVM. About 45 s; the command is in docs/benchmarks.md.
 *
 * <pre>
 * args: [servers=10000] [proberThreads=1] [warmupSeconds=10] [measureSeconds=30]
 * </pre>
 */
public final class HealthCheckBenchmark {

  private static final int FIRST_PORT = 20000;

  public static void main(String[] args) throws Exception {
    int servers = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int measure = args.length > 3 ? Integer.parseInt(args[3]) : 30;

    Process server =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                BenchmarkHttpServer.class.getName(),
                String.valueOf(FIRST_PORT),
                String.valueOf(servers))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream()));
      String ready = out.readLine();
      if (ready == null || !ready.startsWith("ready")) {
        throw new IllegalStateException("server did not start: " + ready);
      }
      run(servers, threads, warmup, measure, server.pid());
    } finally {
      server.getOutputStream().close();
      server.destroy();
      server.waitFor();
    }
  }

  private static void run(int servers, int threads, int warmup, int measure, long serverPid)
      throws Exception {
    HealthCheck check =
        TestingServices.check(CheckType.HTTP_GET)
            .path("/")
            .expectedStatus("200")
            .intervalMs(1000)
            .timeoutMs(1000)
            .rise(2)
            .fall(2)
            .build();
    List<CheckedDestination> destinations = new ArrayList<>();
    for (int i = 0; i < servers; i++) {
      destinations.add(new CheckedDestination("127.0.0.1", FIRST_PORT + i, 1, false));
    }
    CheckedService service =
        new CheckedService("10.0.0.100", 80, check, FailureAction.REMOVE, destinations);

    LongAdder results = new LongAdder();
    LongAdder failures = new LongAdder();
    LongAdder latencyMs = new LongAdder();
    AtomicLong maxLatency = new AtomicLong();
    Map<String, LongAdder> reasons = new ConcurrentHashMap<>();
    HealthListener listener =
        e -> {
          results.increment();
          latencyMs.add(e.latency().toMillis());
          maxLatency.accumulateAndGet(e.latency().toMillis(), Math::max);
          if (e.reason() != null) {
            failures.increment();
            reasons.computeIfAbsent(e.reason(), r -> new LongAdder()).increment();
          }
        };
    NettyProber prober = NettyProber.create(threads);
    try (HealthMonitor monitor =
        new HealthMonitor(prober, new NettyScheduler(prober::eventLoopGroup), listener)) {
      monitor.update(List.of(service));
      Thread.sleep(warmup * 1000L);

      var os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long r0 = results.sum();
      long f0 = failures.sum();
      long l0 = latencyMs.sum();
      maxLatency.set(0);
      long cpu0 = os.getProcessCpuTime();
      long serverCpu0 = cpuTicks(serverPid);
      long[] self0 = userSysTicks("self");
      long loop0 = eventLoopCpuNanos();
      long t0 = System.nanoTime();
      long peakRss = 0;
      for (int s = 0; s < measure; s++) {
        Thread.sleep(1000);
        peakRss = Math.max(peakRss, rssKb("self"));
      }
      long elapsedNs = System.nanoTime() - t0;
      long cpu = os.getProcessCpuTime() - cpu0;
      long serverCpu = cpuTicks(serverPid) - serverCpu0;
      long[] self1 = userSysTicks("self");
      long loopCpu = eventLoopCpuNanos() - loop0;
      long n = results.sum() - r0;
      long failed = failures.sum() - f0;
      double seconds = elapsedNs / 1e9;

      Runtime rt = Runtime.getRuntime();
      long heapBeforeGc = rt.totalMemory() - rt.freeMemory();
      System.gc();
      Thread.sleep(200);
      long heapAfterGc = rt.totalMemory() - rt.freeMemory();

      System.out.printf(
          "servers=%d proberThreads=%d interval=1000ms cores=%d%n",
          servers, threads, Runtime.getRuntime().availableProcessors());
      System.out.printf(
          "checks/s=%.0f (ideal %.0f) results=%d failed=%d over %.1fs%n",
          n / seconds,
          servers * 1000.0 / (1000 + (n == 0 ? 0 : (latencyMs.sum() - l0) / (double) n)),
          n,
          failed,
          seconds);
      System.out.printf(
          "latency avg=%.2fms max=%dms%n",
          n == 0 ? 0.0 : (latencyMs.sum() - l0) / (double) n, maxLatency.get());
      System.out.printf(
          "checker CPU=%.2fs in %.1fs = %.1f%% of one core%n",
          cpu / 1e9, seconds, 100.0 * cpu / elapsedNs);
      System.out.printf(
          "event loop thread(s) CPU=%.2fs = %.1f%% of one core, %.0fus per check"
              + " (the rest is JIT, GC and the benchmark)%n",
          loopCpu / 1e9, 100.0 * loopCpu / elapsedNs, n == 0 ? 0.0 : loopCpu / 1e3 / n);
      System.out.printf(
          "checker user=%.2fs sys=%.2fs; CPU per check=%.0fus%n",
          (self1[0] - self0[0]) / 100.0,
          (self1[1] - self0[1]) / 100.0,
          n == 0 ? 0.0 : cpu / 1e3 / n);
      System.out.printf(
          "server  CPU=%.2fs = %.1f%% of one core (separate JVM)%n",
          serverCpu / 100.0, 100.0 * serverCpu * 1e7 / elapsedNs);
      System.out.printf(
          "heap used=%dMiB before GC, %dMiB after GC; RSS=%dMiB (peak %dMiB)%n",
          heapBeforeGc >> 20, heapAfterGc >> 20, rssKb("self") >> 10, peakRss >> 10);
      reasons.forEach(
          (reason, count) -> System.out.printf("  failure %s: %d%n", reason, count.sum()));
    }
  }

  /** CPU of the probe event loop threads ("health-check-*"), user and system. */
  private static long eventLoopCpuNanos() {
    var threads = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith("health-check")) {
        total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return total;
  }

  /** utime + stime of a process in clock ticks (100 per second on Linux). */
  private static long cpuTicks(long pid) throws Exception {
    long[] t = userSysTicks(String.valueOf(pid));
    return t[0] + t[1];
  }

  private static long[] userSysTicks(String pid) throws Exception {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
  }

  private static long rssKb(String pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }
}
