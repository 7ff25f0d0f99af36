package io.lvsoperator.agent.host.vrrp;

import static io.lvsoperator.agent.host.ffm.ThreadScheduling.SCHED_OTHER;
import static io.lvsoperator.agent.host.ffm.ThreadScheduling.SCHED_RR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lvsoperator.testing.HostCommands;
import io.lvsoperator.testing.NetnsLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real agent jar in standalone mode, hosts in network namespaces on a bridge: two directors
 * share a VIP-only VirtualServer, a real server gets DR preparation, a client asks who has the VIP.
 * Checked with `ip` and busybox `arping`.
 */
class StandaloneAgentProcessIT {
  private static final Path JAR = Path.of("target", "lvs-node-agent.jar");
  private static final String VIP = "172.20.1.100";

  @Test
  void electsFailsOverTheKilledMastersVipExpiresStaleVipCleanedPreemptsAndHandsOver(
      @TempDir Path dir) throws Exception {
    assumeTrue(NetnsLab.usable(), "needs root and ip netns");
    assumeTrue(Files.exists(JAR), "needs the packaged agent jar (mvn package)");
    Path manifests =
        AgentProcesses.vipManifests(
            dir,
            """
          vrrp: {interface: eth0, virtualRouterId: 51, advertIntervalMs: 100, vipPrefixLength: 16, vipLabel: "eth0:1"}
          directors:
            nodes: [{name: lvs1, priority: 100}, {name: lvs2, priority: 50}]
        ---
        apiVersion: lvsoperator.io/v1alpha1
        kind: VirtualServer
        metadata: {name: web, namespace: default}
        spec:
          vip: 172.20.1.200
          port: 80
          directors: {nodes: [{name: elsewhere}]}
          realServers: [{address: 172.20.1.10, node: rs1}]
            """);
    try (NetnsLab lab = new NetnsLab("vr", dir)) {
      String lvs1 = lab.host("l1", "172.20.1.1/16");
      String lvs2 = lab.host("l2", "172.20.1.2/16");
      String rs1 = lab.host("r1", "172.20.1.10/16");
      String client = lab.host("c1", "172.20.2.1/16");
      var a1 = agent(lab, lvs1, "lvs1", manifests, dir);
      agent(lab, lvs2, "lvs2", manifests, dir);
      agent(lab, rs1, "rs1", manifests, dir);

      await("lvs1 master")
          .atMost(Duration.ofSeconds(60))
          .until(() -> lab.holds(lvs1, VIP) && !lab.holds(lvs2, VIP));
      assertThat(HostCommands.output("ip", "-n", lvs1, "addr", "show", "dev", "eth0"))
          .contains("inet " + VIP + "/16")
          .contains("eth0:1");
      assertThat(
              HostCommands.output(
                  "ip", "netns", "exec", lvs1, "curl", "-s", "http://127.0.0.1:9101/metrics"))
          .contains("lvs_vrrp_state{instance=\"eth0-51\",state=\"MASTER\"} 1")
          .contains("lvs_agent_ready 1");
      // The VRRP threads (loop and receiver) run under SCHED_RR (--vrrp-rt-priority, default
      // 10), every other thread time-shared.
      Map<String, Integer> policies = schedulingPolicies(a1.toHandle());
      assertThat(policies)
          .containsEntry("vrrp", SCHED_RR)
          .containsEntry("vrrp-rx-eth0", SCHED_RR)
          .containsEntry("agent-timers", SCHED_OTHER);
      assertThat(policies.entrySet().stream().filter(e -> e.getValue() != SCHED_OTHER))
          .extracting(Map.Entry::getKey)
          .containsExactlyInAnyOrder("vrrp", "vrrp-rx-eth0");
      // lvs2's JVM may still be starting when lvs1 wins (nothing makes it wait for lvs2).
      await("lvs2 ready")
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  HostCommands.output(
                          "ip",
                          "netns",
                          "exec",
                          lvs2,
                          "curl",
                          "-s",
                          "-o",
                          "/dev/null",
                          "-w",
                          "%{http_code}",
                          "http://127.0.0.1:9101/readyz")
                      .equals("200"));

      await("rs1 prepared for DR")
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  HostCommands.output("ip", "-n", rs1, "addr", "show", "dev", "lo")
                      .contains("172.20.1.200/32"));
      assertThat(sysctl(rs1, "net.ipv4.conf.all.arp_ignore")).isEqualTo("1");
      assertThat(sysctl(rs1, "net.ipv4.conf.all.arp_announce")).isEqualTo("2");
      assertThat(sysctl(rs1, "net.ipv4.conf.eth0.arp_ignore")).isEqualTo("1");

      // kill -9 and no restart: the VIP's kernel lifetime runs out (1 s, renewed every 250 ms
      // while the agent ran), so it is gone within 2 s and only the backup answers ARP for it.
      long killed = System.nanoTime();
      a1.destroyForcibly().waitFor();
      await("lvs2 takes over after kill -9")
          .atMost(Duration.ofSeconds(20))
          .until(() -> lab.holds(lvs2, VIP));
      await("the killed master's VIP expires")
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> !lab.holds(lvs1, VIP));
      double goneSeconds = (System.nanoTime() - killed) / 1e9;
      System.out.printf("kill -9: lvs1's VIP gone %.2f s after the kill%n", goneSeconds);
      assertThat(goneSeconds).as("VIP gone within 2 s of kill -9").isLessThanOrEqualTo(2.0);
      assertThat(macsAnsweringArp(client, VIP))
          .as("only the backup answers ARP for the VIP")
          .containsExactly(mac(lvs2));
      // Failover you can see: the transition with its cause, and how long the takeover took.
      // (lvs2 may have won the first election too, when its JVM started first: master-down-timer
      // then counts twice, but only this one replaced a master it had heard, a failover.)
      assertThat(metrics(lvs2))
          .containsPattern(
              "lvs_vrrp_transitions_total\\{instance=\"eth0-51\",from=\"BACKUP\",to=\"MASTER\","
                  + "reason=\"master-down-timer\"\\} [12]\n")
          .contains("lvs_vrrp_failover_seconds_count{instance=\"eth0-51\"} 1")
          .contains("lvs_vrrp_failover_seconds_bucket{instance=\"eth0-51\",le=\"+Inf\"} 1")
          .doesNotContain("lvs_ipvs_sync_daemon"); // no connectionSync asked for
      assertThat(lab.log("lvs2.log"))
          .containsPattern(
              "event=vrrp_transition instance=eth0-51 vrid=51 from=BACKUP to=MASTER"
                  + " reason=master-down-timer priority=50 failover_ms=\\d+\\.\\d");

      // A permanent VIP such as an older agent left behind is still removed at the next start.
      HostCommands.check(
          "ip", "-n", lvs1, "addr", "add", VIP + "/16", "dev", "eth0", "label", "eth0:1");
      var a1again = agent(lab, lvs1, "lvs1-restart", manifests, dir);
      await("the restarted lvs1 removes the stale VIP, then preempts")
          .atMost(Duration.ofSeconds(60))
          .until(() -> lab.log("lvs1-restart.log").contains("stale_vip_removed"));
      await("lvs1 master again")
          .atMost(Duration.ofSeconds(60))
          .until(() -> lab.holds(lvs1, VIP) && !lab.holds(lvs2, VIP));

      a1again.destroy(); // SIGTERM: graceful handover
      await("lvs2 takes over after SIGTERM")
          .atMost(Duration.ofSeconds(20))
          .until(() -> lab.holds(lvs2, VIP) && !lab.holds(lvs1, VIP));
      assertThat(a1again.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      // Make-before-break: priority 0 first, the VIP kept until lvs2's advert (sent after lvs2
      // added the VIP) was heard, and only then removed; not released by the bound.
      String log = lab.log("lvs1-restart.log");
      int handover = log.indexOf("event=vrrp_handover instance=eth0-51 sent=priority-0");
      int heard = log.indexOf("from=MASTER to=INITIALIZE reason=new-master-heard");
      int removed = log.indexOf("event=vip_removed", handover);
      assertThat(handover).as("priority-0 advert logged").isNotNegative();
      assertThat(heard).as("released on hearing the new master").isGreaterThan(handover);
      assertThat(removed).as("VIP removed after the handover began").isGreaterThan(handover);
      assertThat(metrics(lvs2))
          .contains(
              "lvs_vrrp_transitions_total{instance=\"eth0-51\",from=\"BACKUP\",to=\"MASTER\","
                  + "reason=\"master-stopped\"} 1")
          .contains("lvs_vrrp_failover_seconds_count{instance=\"eth0-51\"} 2");
    }
  }

  /** The distinct MACs answering ARP requests for {@code ip} from {@code ns} (busybox arping). */
  private static java.util.Set<String> macsAnsweringArp(String ns, String ip) throws Exception {
    // -b: broadcast every request, so every holder answers each one, not just the first.
    String out =
        HostCommands.output(
            "ip", "netns", "exec", ns, "busybox", "arping", "-b", "-c", "4", "-I", "eth0", ip);
    java.util.Set<String> macs = new java.util.TreeSet<>();
    var m = java.util.regex.Pattern.compile("reply from \\S+ \\[([0-9a-fA-F:]+)\\]").matcher(out);
    while (m.find()) {
      macs.add(m.group(1).toLowerCase(java.util.Locale.ROOT));
    }
    return macs;
  }

  private static String mac(String ns) throws Exception {
    return HostCommands.output("ip", "netns", "exec", ns, "cat", "/sys/class/net/eth0/address")
        .strip()
        .toLowerCase(java.util.Locale.ROOT);
  }

  private static String metrics(String ns) throws Exception {
    return HostCommands.output(
        "ip", "netns", "exec", ns, "curl", "-s", "http://127.0.0.1:9101/metrics");
  }

  /**
   * Each thread's scheduling policy by thread name, from /proc/PID/task/TID/stat (field 41) of the
   * JVM (the process itself or the java process under it).
   */
  private static Map<String, Integer> schedulingPolicies(ProcessHandle process) throws Exception {
    ProcessHandle java =
        Stream.concat(Stream.of(process), process.descendants())
            .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no java process under " + process.pid()));
    Map<String, Integer> policies = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(java.pid()), "task"))) {
      for (Path task : tasks.toList()) {
        String stat = Files.readString(task.resolve("stat"));
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        // Fields after "(comm) " start with field 3 (state); policy is field 41.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        policies.merge(name, Integer.parseInt(fields[41 - 3]), Math::max);
      }
    }
    return policies;
  }

  private static String sysctl(String ns, String key) throws Exception {
    return HostCommands.output("ip", "netns", "exec", ns, "sysctl", "-n", key).strip();
  }

  static Process agent(NetnsLab lab, String ns, String node, Path manifests, Path dir)
      throws Exception {
    String name = node.replace("-restart", "");
    return AgentProcesses.standalone(
        lab,
        ns,
        node + ".log",
        JAR,
        List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
        manifests,
        name,
        dir.resolve("state-" + name),
        "--handover-timeout",
        "2s",
        "--http-port",
        "9101");
  }
}
