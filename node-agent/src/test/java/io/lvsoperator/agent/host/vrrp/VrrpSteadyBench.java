package io.lvsoperator.agent.host.vrrp;

import io.lvsoperator.testing.NetnsLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * No spurious failovers under load (issue 14, item 3): two agent jars ({@code standalone}, the
 * image's JVM flags) as master lvs1 (priority 100) and backup lvs2 (50) of one VIP, VRRP v3 at
 * INTERVAL_MS, in network namespaces on this host, for MINUTES while the CPU is saturated by {@code
 * stress-ng --cpu 0} (a worker per core) and a GC-heavy JVM neighbour ({@link GcNeighbour}). Prints
 * transitions after the pair settled (any is unintended), the gaps between the master's adverts as
 * captured by tcpdump in the backup's namespace (kernel time stamps: the independent view), and
 * each agent's longest safepoint and GC pause from its {@code -Xlog:safepoint,gc} file. A
 * benchmark: run by {@code bench/steady-vrrp}, nothing in the build runs it. Needs root, stress-ng
 * and tcpdump.
 */
public final class VrrpSteadyBench {
  private static final String VIP = "172.20.1.100";
  private static final Pattern TRANSITION = Pattern.compile(".*event=vrrp_transition .*");
  private static final Pattern SAFEPOINT_TOTAL = Pattern.compile("Total: (\\d+) ns");
  private static final Pattern GC_PAUSE = Pattern.compile("Pause .* (\\d+\\.\\d+)ms$");

  private VrrpSteadyBench() {}

  public static void main(String[] args) throws Exception {
    double minutes = Double.parseDouble(args.length > 0 ? args[0] : "5");
    int intervalMs = Integer.parseInt(args.length > 1 ? args[1] : "100");
    Path jar = Path.of(args.length > 2 ? args[2] : "target/lvs-node-agent.jar");
    Path dir = Files.createTempDirectory("vrrp-steady");
    System.out.printf(
        "steady-vrrp interval_ms %d minutes %s cores %d agent_prefix \"%s\" agent_args \"%s\" logs %s%n",
        intervalMs,
        minutes,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("bench.agentPrefix", "").strip(),
        System.getProperty("bench.agentArgs", "").strip(),
        dir);
    try (NetnsLab lab = new NetnsLab("sv", dir)) {
      String n1 = lab.host("a", "172.20.1.1/16");
      String n2 = lab.host("b", "172.20.1.2/16");
      agent(lab, jar, n1, "lvs1", intervalMs);
      agent(lab, jar, n2, "lvs2", intervalMs);
      waitFor(() -> lab.holds(n1, VIP) && lab.log("lvs2.log").contains("to=BACKUP"), 60);
      Thread.sleep(3_000);
      int settled1 = transitions(lab.log("lvs1.log")).size();
      int settled2 = transitions(lab.log("lvs2.log")).size();
      Process capture =
          lab.start(
              n2,
              "adverts.txt",
              "tcpdump",
              "-i",
              "eth0",
              "-n",
              "-l",
              "-tt",
              "--immediate-mode",
              "-B",
              "8192",
              "ip proto 112");
      Thread.sleep(1_000);

      long[] cpuBefore = cpuTimes();
      List<Process> load = new ArrayList<>();
      load.add(
          new ProcessBuilder("stress-ng", "--cpu", "0", "--cpu-method", "all", "--quiet")
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("stress-ng.log").toFile())
              .start());
      load.add(
          new ProcessBuilder(
                  NetnsLab.java(),
                  "-Xmx384m",
                  "-XX:+UseParallelGC",
                  "-Xlog:gc:file=" + dir.resolve("neighbour-gc.log"),
                  "-cp",
                  System.getProperty("java.class.path"),
                  GcNeighbour.class.getName())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("neighbour.log").toFile())
              .start());
      long end = System.nanoTime() + (long) (minutes * 60e9);
      while (System.nanoTime() < end) {
        Thread.sleep(1_000);
        for (Process p : load) {
          if (!p.isAlive()) {
            throw new IllegalStateException("load process ended early: " + p.info());
          }
        }
      }
      long[] cpuAfter = cpuTimes();
      for (Process p : load) {
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        p.waitFor();
      }
      Thread.sleep(1_000);
      capture.destroy(); // SIGTERM: tcpdump prints its capture and drop counts
      capture.waitFor();

      List<String> after1 = transitions(lab.log("lvs1.log"));
      List<String> after2 = transitions(lab.log("lvs2.log"));
      List<String> unintended = new ArrayList<>(after1.subList(settled1, after1.size()));
      unintended.addAll(after2.subList(settled2, after2.size()));
      System.out.printf(
          "steady-vrrp cpu_busy %.1f%% (all cores, during the load)%n",
          100.0 * busyShare(cpuBefore, cpuAfter));
      System.out.printf("steady-vrrp unintended_transitions %d%n", unintended.size());
      unintended.forEach(l -> System.out.println("steady-vrrp   " + l.strip()));
      adverts(lab.log("adverts.txt"), intervalMs);
      pauses("lvs1", dir.resolve("lvs1-jvm.log"));
      pauses("lvs2", dir.resolve("lvs2-jvm.log"));
      pauses("neighbour", dir.resolve("neighbour-gc.log"));
      System.out.printf(
          "steady-vrrp holds_vip lvs1 %b lvs2 %b%n", lab.holds(n1, VIP), lab.holds(n2, VIP));
    }
  }

  /**
   * The agent jar with SerialGC and a 288 MB heap (the image's flags before {@code
   * images/agent/jvm.options}; not yet those), plus safepoint and GC logging.
   */
  private static void agent(NetnsLab lab, Path jar, String ns, String node, int intervalMs)
      throws Exception {
    Path nodeDir = lab.dir().resolve(node);
    Path manifests =
        AgentProcesses.vipManifests(
            nodeDir,
            """
              vrrp: {interface: eth0, virtualRouterId: 51, version: 3, advertIntervalMs: %d, vipPrefixLength: 16}
              directors: {nodes: [{name: lvs1, priority: 100}, {name: lvs2, priority: 50}]}
            """
                .formatted(intervalMs));
    List<String> cmd = new ArrayList<>();
    for (String w : System.getProperty("bench.agentPrefix", "").trim().split("\\s+")) {
      if (!w.isEmpty()) {
        cmd.add(w); // e.g. chrt -r 10
      }
    }
    cmd.addAll(
        AgentProcesses.standaloneCommand(
            jar,
            List.of(
                "-XX:+UseSerialGC",
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx288m",
                "-Xlog:safepoint=info,gc=info:file="
                    + lab.dir().resolve(node + "-jvm.log")
                    + ":uptime"),
            manifests,
            node,
            nodeDir.resolve("state")));
    for (String w : System.getProperty("bench.agentArgs", "").trim().split("\\s+")) {
      if (!w.isEmpty()) {
        cmd.add(w); // e.g. --vrrp-rt-priority 0
      }
    }
    lab.start(ns, node + ".log", cmd.toArray(String[]::new));
  }

  private static List<String> transitions(String log) {
    return log.lines().filter(l -> TRANSITION.matcher(l).matches()).toList();
  }

  /** Gaps between the master's adverts as the backup's interface received them. */
  private static void adverts(String capture, int intervalMs) {
    List<Long> fromMaster = new ArrayList<>();
    long fromOthers = 0;
    String counts = "";
    for (String line : capture.lines().toList()) {
      if (line.contains("packets captured")
          || line.contains("received by filter")
          || line.contains("dropped by kernel")) {
        counts += (counts.isEmpty() ? "" : ", ") + line.strip();
        continue;
      }
      String[] w = line.split(" ");
      if (w.length < 4 || !w[1].equals("IP") || !w[0].contains(".")) {
        continue;
      }
      if (w[2].equals("172.20.1.1")) {
        String[] t = w[0].split("\\.");
        fromMaster.add(Long.parseLong(t[0]) * 1_000_000 + Long.parseLong(t[1]));
      } else {
        fromOthers++;
      }
    }
    long[] gaps = new long[Math.max(0, fromMaster.size() - 1)];
    for (int i = 1; i < fromMaster.size(); i++) {
      gaps[i - 1] = fromMaster.get(i) - fromMaster.get(i - 1);
    }
    Arrays.sort(gaps);
    // Master_Down_Interval of the priority-50 backup: 3 intervals + (256 - 50) / 256 of one.
    double downMs = 3 * intervalMs + (256 - 50) * intervalMs / 256.0;
    long over15 = Arrays.stream(gaps).filter(g -> g > intervalMs * 1500L).count();
    long overDown = Arrays.stream(gaps).filter(g -> g > downMs * 1000).count();
    System.out.printf(
        "steady-vrrp adverts_from_master %d from_others %d (%s)%n",
        fromMaster.size(), fromOthers, counts);
    if (gaps.length > 0) {
      System.out.printf(
          "steady-vrrp advert_gap_ms p50 %.1f p99 %.1f p99.9 %.1f max %.1f; over 1.5 intervals %d;"
              + " over Master_Down_Interval (%.0f ms) %d%n",
          gaps[gaps.length / 2] / 1e3,
          gaps[(int) (gaps.length * 0.99)] / 1e3,
          gaps[(int) (gaps.length * 0.999)] / 1e3,
          gaps[gaps.length - 1] / 1e3,
          over15,
          downMs,
          overDown);
    }
  }

  /** The longest safepoint (its Total: reaching it and time at it) and GC pause in a JVM log. */
  private static void pauses(String who, Path log) throws Exception {
    long maxSafepointNs = 0;
    long safepoints = 0;
    long over10ms = 0;
    double maxGcMs = 0;
    long gcs = 0;
    for (String line : Files.readAllLines(log)) {
      Matcher s = SAFEPOINT_TOTAL.matcher(line);
      if (s.find()) {
        long ns = Long.parseLong(s.group(1));
        safepoints++;
        maxSafepointNs = Math.max(maxSafepointNs, ns);
        if (ns > 10_000_000) {
          over10ms++;
        }
      }
      Matcher g = GC_PAUSE.matcher(line);
      if (g.find()) {
        gcs++;
        maxGcMs = Math.max(maxGcMs, Double.parseDouble(g.group(1)));
      }
    }
    System.out.printf(
        "steady-vrrp pause %s safepoints %d longest_safepoint_ms %.2f over_10ms %d gcs %d"
            + " longest_gc_ms %.2f%n",
        who, safepoints, maxSafepointNs / 1e6, over10ms, gcs, maxGcMs);
  }

  /** user+nice+system+irq+softirq+steal and idle+iowait jiffies of all cores, from /proc/stat. */
  private static long[] cpuTimes() throws Exception {
    String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
    long busy = 0;
    for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
      busy += Long.parseLong(f[i]);
    }
    return new long[] {busy, Long.parseLong(f[4]) + Long.parseLong(f[5])};
  }

  private static double busyShare(long[] before, long[] after) {
    double busy = after[0] - before[0];
    return busy / (busy + after[1] - before[1]);
  }

  private static void waitFor(java.util.concurrent.Callable<Boolean> c, int seconds)
      throws Exception {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    while (!c.call()) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException("the pair did not settle within " + seconds + " s");
      }
      Thread.sleep(50);
    }
  }

  /**
   * A GC-heavy neighbour: on every core, a thread replaces random entries of a 150 MB table of 1-8
   * KB arrays (old-generation churn, so full collections) and allocates short-lived garbage.
   */
  public static final class GcNeighbour {
    private GcNeighbour() {}

    public static void main(String[] args) throws Exception {
      byte[][] table = new byte[33_000][];
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < Runtime.getRuntime().availableProcessors(); t++) {
        Thread th =
            new Thread(
                () -> {
                  ThreadLocalRandom r = ThreadLocalRandom.current();
                  long sink = 0;
                  while (true) {
                    table[r.nextInt(table.length)] = new byte[1024 + r.nextInt(7 * 1024)];
                    for (int i = 0; i < 16; i++) {
                      sink += new long[r.nextInt(64) + 1].length;
                    }
                    if (sink == 42) {
                      System.out.println(sink);
                    }
                  }
                });
        th.setDaemon(true);
        th.start();
        threads.add(th);
      }
      for (Thread th : threads) {
        th.join();
      }
    }
  }
}
