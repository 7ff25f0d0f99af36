package io.lvsoperator.agent.host.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lvsoperator.testing.HostCommands;
import io.lvsoperator.testing.NetnsLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real agent jar in standalone mode, three hosts in network namespaces on a bridge: two
 * directors share a VIP-only VirtualServer, a real server gets DR preparation. Checked with `ip`.
 */
class StandaloneAgentProcessIT {
  private static final Path JAR = Path.of("target", "lvs-node-agent.jar");
  private static final String VIP = "172.20.1.100";

  @Test
  void electsFailsOverCleansStaleVipPreemptsAndHandsOver(@TempDir Path dir) throws Exception {
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

      a1.destroyForcibly().waitFor();
      await("lvs2 takes over after kill -9")
          .atMost(Duration.ofSeconds(20))
          .until(() -> lab.holds(lvs2, VIP));
      assertThat(lab.holds(lvs1, VIP)).as("kill -9 leaves the VIP behind, as keepalived").isTrue();

      var a1again = agent(lab, lvs1, "lvs1-restart", manifests, dir);
      await("the restarted lvs1 removes its stale VIP, then preempts")
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
    }
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
