package io.lvsoperator.agent.host.vrrp;

import io.lvsoperator.testing.HostCommands;
import io.lvsoperator.testing.NetnsLab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark, not a test: the compiler's {@code vips10k} scenario (CompileBenchmark: VIP-only
 * VirtualServers vs-N on 10.x.y.z joining VrrpInstance vi-(N mod INSTANCES)) run by the agent jar
 * ({@code standalone}) as master lvs1 (priority 100) in one namespace, with lvs2 (priority 50) as
 * backup in a second one on the same bridge, and tcpdump on the bridge. Prints {@code vips10k
 * <figure> <value>} lines: start to first advert and to every address on eth0, what the adverts
 * list, the gratuitous ARPs, the agent's RSS and CPU at steady state, then kill -9 of the master:
 * until the backup holds every address, and whether the dead master's addresses go away. Ends with
 * {@code vips10k verdict ok} (exit 0) or {@code vips10k verdict FAIL <why>} (exit 1): every address
 * held, at least 90 % of the adverts due in the steady window sent, no split brain, no FAULT.
 *
 * <pre>
 * args: JAR [VIPS=10000] [INSTANCES=5]
 * -Dbench.intervalMs=1000  advert interval   -Dbench.steadySeconds=30  wait before RSS and CPU
 * -Dbench.lingerSeconds=30 how long to watch the dead master's addresses
 * -Dbench.jvmFlags="..."   the agents' JVM flags (default none, as a user starts the jar)
 * </pre>
 *
 * Needs root and tcpdump; the kernel needs no IPVS (VIP-only services program none).
 */
public final class Vips10kBench {
  private static final String MASTER_IP = "172.20.1.1";
  private static final String BACKUP_IP = "172.20.1.2";
  private static final int FIRST_VRID = 51;
  private static final Pattern TIMESTAMP = Pattern.compile("^(\\d+\\.\\d+) ");
  private static final Pattern ADVERT =
      Pattern.compile(
          "(\\S+) > 224\\.0\\.0\\.18: VRRPv(\\d), Advertisement, vrid (\\d+),"
              + " prio (\\d+), .*?length (\\d+), addrs\\((\\d+)\\): (\\S+)");
  private static final Pattern GARP =
      Pattern.compile("^(\\d+\\.\\d+) .*Request who-has (\\S+) tell (\\S+),");

  private Vips10kBench() {}

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args.length > 0 ? args[0] : "target/lvs-node-agent.jar");
    int vips = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int instances = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    int intervalMs = Integer.getInteger("bench.intervalMs", 1000);
    int steadySeconds = Integer.getInteger("bench.steadySeconds", 30);
    int lingerSeconds = Integer.getInteger("bench.lingerSeconds", 30);
    String flags = System.getProperty("bench.jvmFlags", "").strip();
    List<String> jvmFlags = flags.isEmpty() ? List.of() : List.of(flags.split("\\s+"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException(jar + ": no agent jar (build it first)");
    }
    String unusable = NetnsLab.unusableBecause();
    if (unusable != null || !HostCommands.hasTool("tcpdump")) {
      throw new IllegalStateException(
          "cannot run: " + (unusable != null ? unusable : "no tcpdump"));
    }
    Path dir = Files.createTempDirectory("vips10k");
    Path manifests = manifests(dir, vips, instances, intervalMs);
    System.out.printf(
        "vips10k setup vips=%d instances=%d interval_ms=%d jvm_flags=\"%s\" loadavg=%s dir=%s%n",
        vips, instances, intervalMs, flags, loadAverage(), dir);

    List<String> failures = new ArrayList<>();
    try (NetnsLab lab = new NetnsLab("vk", dir)) {
      String a = lab.host("a", MASTER_IP + "/16");
      String b = lab.host("b", BACKUP_IP + "/16");
      Process vrrpDump =
          lab.start(
              lab.switchNamespace(),
              "vrrp.txt",
              "tcpdump",
              "-i",
              "br0",
              "-n",
              "-tt",
              "-vv",
              "-l",
              "-B",
              "8192",
              "vrrp");
      Process arpDump =
          lab.start(
              lab.switchNamespace(),
              "arp.txt",
              "tcpdump",
              "-i",
              "br0",
              "-n",
              "-tt",
              "-l",
              "-B",
              "65536",
              "arp");
      until(
          60,
          () ->
              lab.log("vrrp.txt").contains("listening on")
                  && lab.log("arp.txt").contains("listening on"));

      // The master alone: start → first advert, start → every address on eth0.
      long startMs = System.currentTimeMillis();
      Process master = agent(lab, a, "lvs1", jar, jvmFlags, manifests, dir);
      Filling masterFill = fill(a, vips, startMs, 600, master, dir.resolve("lvs1.log"));
      long firstAddressMs = masterFill.firstMs();
      long allAddressesMs = masterFill.allMs();
      int polls = masterFill.polls();
      until(30, () -> countAdverts(lab.log("vrrp.txt"), MASTER_IP) >= instances);
      List<Advert> masterAdverts = adverts(lab.log("vrrp.txt"), MASTER_IP);
      long firstAdvertMs = masterAdverts.getFirst().epochMs();
      long lastInstanceFirstAdvertMs =
          firstAdvertPerVrid(masterAdverts).values().stream()
              .mapToLong(Long::longValue)
              .max()
              .orElseThrow();
      String masterLog = lab.log("lvs1.log");
      print("start_to_agent_started_s", seconds(startMs, logged(masterLog, "event=agent_started")));
      print(
          "start_to_reload_applied_s", seconds(startMs, logged(masterLog, "event=reload_applied")));
      print("start_to_first_master_transition_s", seconds(startMs, logged(masterLog, "to=MASTER")));
      print("start_to_first_advert_s", seconds(startMs, firstAdvertMs));
      print("start_to_every_instance_advertising_s", seconds(startMs, lastInstanceFirstAdvertMs));
      print("start_to_first_address_s", seconds(startMs, firstAddressMs));
      print("start_to_all_addresses_s", seconds(startMs, allAddressesMs));
      int held = vipCount(a);
      print("addresses_on_eth0", held);
      if (held < vips) {
        failures.add("master_holds_" + held + "_of_" + vips);
      }
      print("address_polls", polls);
      printLogged("agent_reload_applied", masterLog, "event=reload_applied");

      // The backup joins; the segment settles; RSS and CPU of both.
      Process backup = agent(lab, b, "lvs2", jar, jvmFlags, manifests, dir);
      until(120, () -> lab.log("lvs2.log").contains("event=agent_started"));
      long cpuStart = cpuTicks(master.pid());
      long cpuStartNs = System.nanoTime();
      long steadyStartMs = System.currentTimeMillis();
      TimeUnit.SECONDS.sleep(steadySeconds);
      double cpuSeconds = (cpuTicks(master.pid()) - cpuStart) / 100.0;
      double wall = (System.nanoTime() - cpuStartNs) / 1e9;
      long steadyEndMs = System.currentTimeMillis();
      TimeUnit.SECONDS.sleep(1); // tcpdump's last lines
      long steadyAdverts =
          adverts(lab.log("vrrp.txt"), MASTER_IP).stream()
              .filter(adv -> adv.epochMs() >= steadyStartMs && adv.epochMs() < steadyEndMs)
              .count();
      print(
          "master_adverts_in_steady_window",
          steadyAdverts
              + " of "
              + (steadyEndMs - steadyStartMs) / intervalMs * instances
              + " expected over "
              + seconds(steadyStartMs, steadyEndMs)
              + " s");
      long advertsDue = (steadyEndMs - steadyStartMs) / intervalMs * instances;
      if (steadyAdverts * 10 < advertsDue * 9) {
        failures.add("adverts_" + steadyAdverts + "_of_" + advertsDue + "_due");
      }
      print("master_rss_steady", NetnsLab.rss(master.pid()).replace(' ', '_'));
      print("backup_rss_steady", NetnsLab.rss(backup.pid()).replace(' ', '_'));
      print("master_cpu_steady_percent", String.format("%.1f", 100 * cpuSeconds / wall));
      int backupHeld = vipCount(b);
      print("backup_addresses_before_failover", backupHeld);
      print("split_brain_before_failover", backupHeld > 0 ? "YES (both hold addresses)" : "no");
      if (backupHeld > 0) {
        failures.add("split_brain");
      }

      // What the adverts say (a sample of the master's, taken at steady state).
      List<Advert> sample = adverts(lab.log("vrrp.txt"), MASTER_IP);
      Map<Integer, Integer> addrsPerVrid = new TreeMap<>();
      Map<Integer, Integer> lengthPerVrid = new TreeMap<>();
      TreeSet<String> advertised = new TreeSet<>();
      for (Advert adv : sample) {
        addrsPerVrid.merge(adv.vrid(), adv.addresses().size(), Math::max);
        lengthPerVrid.put(adv.vrid(), adv.length());
        advertised.addAll(adv.addresses());
      }
      print("adverts_sampled", sample.size());
      addrsPerVrid.forEach(
          (vrid, n) ->
              print("advert_addrs_vrid" + vrid, n + " (length " + lengthPerVrid.get(vrid) + " B)"));
      print("advertised_distinct", advertised.size());
      print("held_not_advertised", vipCount(a) - advertised.size());
      print("adverts_from_backup_before_failover", countAdverts(lab.log("vrrp.txt"), BACKUP_IP));
      Garps masterGarps = garps(lab.log("arp.txt"), 0, Long.MAX_VALUE);
      print(
          "garps_as_master",
          masterGarps.frames()
              + " frames for "
              + masterGarps.addresses()
              + " addresses over "
              + String.format("%.3f", masterGarps.spanMs() / 1000.0)
              + " s");

      // kill -9 of the master: until the backup holds every address.
      long killMs = System.currentTimeMillis();
      master.descendants().forEach(ProcessHandle::destroyForcibly);
      master.destroyForcibly();
      Filling backupFill = fill(b, vips, killMs, 120, backup, dir.resolve("lvs2.log"));
      long backupFirstMs = backupFill.firstMs();
      long backupAllMs = backupFill.allMs();
      until(30, () -> countAdverts(lab.log("vrrp.txt"), BACKUP_IP) >= instances);
      List<Advert> backupAdverts = adverts(lab.log("vrrp.txt"), BACKUP_IP);
      print("failover_kill9_to_backup_first_address_s", seconds(killMs, backupFirstMs));
      print("failover_kill9_to_backup_all_addresses_s", seconds(killMs, backupAllMs));
      print(
          "failover_kill9_to_backup_first_advert_s",
          seconds(killMs, backupAdverts.getFirst().epochMs()));

      // The dead master's addresses: does anything take them away?
      long goneMs = -1;
      int left = vipCount(a);
      while (System.currentTimeMillis() - killMs < lingerSeconds * 1000L) {
        left = vipCount(a);
        if (left == 0) {
          goneMs = System.currentTimeMillis();
          break;
        }
        Thread.sleep(200);
      }
      print(
          "killed_master_addresses_gone_s",
          goneMs < 0
              ? "never within " + lingerSeconds + " s (" + left + " still on eth0)"
              : seconds(killMs, goneMs));
      TimeUnit.SECONDS.sleep(2);
      Garps backupGarps = garps(lab.log("arp.txt"), killMs, Long.MAX_VALUE);
      print(
          "garps_as_new_master",
          backupGarps.frames()
              + " frames for "
              + backupGarps.addresses()
              + " addresses over "
              + String.format("%.3f", backupGarps.spanMs() / 1000.0)
              + " s");

      backup.destroy(); // graceful: hand over, nobody to hand to
      backup.waitFor(30, TimeUnit.SECONDS);
      vrrpDump.destroy();
      arpDump.destroy();
      vrrpDump.waitFor(10, TimeUnit.SECONDS);
      arpDump.waitFor(10, TimeUnit.SECONDS);
      print("tcpdump_vrrp", dropped(lab.log("vrrp.txt")));
      print("tcpdump_arp", dropped(lab.log("arp.txt")));
      logSummary("master_log", lab.log("lvs1.log"));
      logSummary("backup_log", lab.log("lvs2.log"));
      // The host kernel has no IPVS: a VIP-only node must not need it.
      print("ipvs_errors_master", count(lab.log("lvs1.log"), "ipvs:"));
      print("ipvs_errors_backup", count(lab.log("lvs2.log"), "ipvs:"));
      int faults = count(lab.log("lvs1.log") + lab.log("lvs2.log"), "to=fault");
      print("fault_transitions", faults);
      if (faults > 0) {
        failures.add(faults + "_fault_transitions");
      }
      print("loadavg", loadAverage());
    }
    print("verdict", failures.isEmpty() ? "ok" : "FAIL " + String.join(" ", failures));
    System.exit(failures.isEmpty() ? 0 : 1);
  }

  /** One VrrpInstance per file, with the VIP-only VirtualServers that join it. */
  static Path manifests(Path dir, int vips, int instances, int intervalMs) throws IOException {
    Path manifests = Files.createDirectories(dir.resolve("manifests"));
    List<StringBuilder> files = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      StringBuilder y = new StringBuilder();
      y.append(
          """
          apiVersion: lvsoperator.io/v1alpha1
          kind: VrrpInstance
          metadata: {name: vi-%d, namespace: default}
          spec:
            vrrp: {interface: eth0, virtualRouterId: %d, version: 3, advertIntervalMs: %d}
            directors: {nodes: [{name: lvs1, priority: 100}, {name: lvs2, priority: 50}]}
          """
              .formatted(i, FIRST_VRID + i, intervalMs));
      files.add(y);
    }
    for (int v = 0; v < vips; v++) {
      String vip = "10." + (v >> 16 & 255) + "." + (v >> 8 & 255) + "." + (v & 255);
      files
          .get(v % instances)
          .append("---\napiVersion: lvsoperator.io/v1alpha1\nkind: VirtualServer\n")
          .append("metadata: {name: vs-")
          .append(v)
          .append(", namespace: default}\n")
          .append("spec: {vip: ")
          .append(vip)
          .append(", vrrpInstance: vi-")
          .append(v % instances)
          .append("}\n");
    }
    for (int i = 0; i < instances; i++) {
      Files.writeString(manifests.resolve("vi-" + i + ".yaml"), files.get(i));
    }
    return manifests;
  }

  private static Process agent(
      NetnsLab lab,
      String ns,
      String node,
      Path jar,
      List<String> jvmFlags,
      Path manifests,
      Path dir)
      throws IOException {
    return AgentProcesses.standalone(
        lab,
        ns,
        node + ".log",
        jar,
        jvmFlags,
        manifests,
        node,
        dir.resolve("state-" + node),
        "--http-port",
        "9102");
  }

  record Filling(long firstMs, long allMs, int polls) {}

  /** Polls {@code ns} from {@code fromMs} until it holds {@code vips} addresses. */
  private static Filling fill(
      String ns, int vips, long fromMs, int limitSeconds, Process agent, Path log)
      throws InterruptedException {
    long firstMs = -1;
    int polls = 0;
    while (true) {
      int held = vipCount(ns);
      polls++;
      long now = System.currentTimeMillis();
      if (held > 0 && firstMs < 0) {
        firstMs = now;
      }
      if (held >= vips) {
        return new Filling(firstMs, now, polls);
      }
      if (now - fromMs > limitSeconds * 1000L || !agent.isAlive()) {
        throw new IllegalStateException(
            ns
                + " holds "
                + held
                + " of "
                + vips
                + " addresses after "
                + (now - fromMs)
                + " ms (agent alive "
                + agent.isAlive()
                + "); see "
                + log);
      }
      Thread.sleep(20);
    }
  }

  /** The 10.x.y.z addresses on eth0 of {@code ns} (the VIPs), from {@code ip -o addr}. */
  private static int vipCount(String ns) {
    String out = HostCommands.output("ip", "-n", ns, "-4", "-o", "addr", "show", "dev", "eth0");
    int n = 0;
    for (String line : out.split("\n")) {
      if (line.contains(" inet 10.")) {
        n++;
      }
    }
    return n;
  }

  record Advert(long epochMs, String source, int vrid, int length, List<String> addresses) {}

  /** The adverts from {@code source} in a {@code tcpdump -tt -vv} log, in order. */
  static List<Advert> adverts(String log, String source) {
    List<Advert> out = new ArrayList<>();
    long stamp = 0;
    for (String line : log.split("\n")) {
      Matcher t = TIMESTAMP.matcher(line);
      if (t.find()) {
        stamp = (long) (Double.parseDouble(t.group(1)) * 1000);
      }
      Matcher m = ADVERT.matcher(line);
      if (m.find() && m.group(1).equals(source)) {
        out.add(
            new Advert(
                stamp,
                source,
                Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(5)),
                List.of(m.group(7).split(","))));
      }
    }
    return out;
  }

  private static int countAdverts(String log, String source) {
    return adverts(log, source).size();
  }

  private static Map<Integer, Long> firstAdvertPerVrid(List<Advert> adverts) {
    Map<Integer, Long> first = new TreeMap<>();
    adverts.forEach(a -> first.putIfAbsent(a.vrid(), a.epochMs()));
    return first;
  }

  record Garps(int frames, int addresses, long spanMs) {}

  /** Gratuitous ARPs (who-has X tell X) captured in [fromMs, toMs). */
  static Garps garps(String log, long fromMs, long toMs) {
    int frames = 0;
    TreeSet<String> addresses = new TreeSet<>();
    long first = Long.MAX_VALUE;
    long last = 0;
    for (String line : log.split("\n")) {
      Matcher m = GARP.matcher(line);
      if (m.find() && m.group(2).equals(m.group(3))) {
        long ms = (long) (Double.parseDouble(m.group(1)) * 1000);
        if (ms >= fromMs && ms < toMs) {
          frames++;
          addresses.add(m.group(2));
          first = Math.min(first, ms);
          last = Math.max(last, ms);
        }
      }
    }
    return new Garps(frames, addresses.size(), frames == 0 ? 0 : last - first);
  }

  private static String dropped(String log) {
    return log.lines()
        .filter(l -> l.contains("packets captured") || l.contains("dropped by kernel"))
        .map(String::strip)
        .reduce((x, y) -> x + ", " + y)
        .orElse("no summary")
        .replace(' ', '_');
  }

  /** Lines and the three most frequent events of an agent's log (log floods show here). */
  private static void logSummary(String label, String log) {
    Map<String, Integer> events = new TreeMap<>();
    Pattern event = Pattern.compile("event=(\\S+)");
    long lines =
        log.lines()
            .peek(
                l -> {
                  Matcher m = event.matcher(l);
                  if (m.find()) {
                    events.merge(m.group(1), 1, Integer::sum);
                  }
                })
            .count();
    String top =
        events.entrySet().stream()
            .sorted((x, y) -> Integer.compare(y.getValue(), x.getValue()))
            .limit(4)
            .map(e -> e.getKey() + "=" + e.getValue())
            .reduce((x, y) -> x + "," + y)
            .orElse("none");
    print(label, lines + " lines, " + log.length() + " bytes, top events " + top);
  }

  private static void printLogged(String figure, String log, String marker) {
    log.lines()
        .filter(l -> l.contains(marker))
        .findFirst()
        .ifPresent(l -> print(figure, l.substring(l.indexOf(marker)).replace(' ', '_')));
  }

  private static int count(String log, String needle) {
    return (int) log.lines().filter(l -> l.toLowerCase().contains(needle)).count();
  }

  /** The time stamp of the first line of an agent's log that contains {@code marker}. */
  private static long logged(String log, String marker) {
    String line =
        log.lines()
            .filter(l -> l.contains(marker))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no " + marker + " in the log"));
    return OffsetDateTime.parse(line.substring(0, line.indexOf(' '))).toInstant().toEpochMilli();
  }

  /** User plus system CPU of {@code pid} in clock ticks (100 per second). */
  private static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  private static void until(int seconds, java.util.concurrent.Callable<Boolean> c)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      try {
        if (c.call()) {
          return;
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not within " + seconds + " s");
      }
      Thread.sleep(50);
    }
  }

  private static String seconds(long fromMs, long toMs) {
    return String.format("%.3f", (toMs - fromMs) / 1000.0);
  }

  private static void print(String figure, Object value) {
    System.out.println("vips10k " + figure + " " + value);
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip().replace(' ', '_');
    } catch (IOException e) {
      return "unknown";
    }
  }
}
