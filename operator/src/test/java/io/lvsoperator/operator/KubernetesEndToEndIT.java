package io.lvsoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.lvsoperator.api.v1alpha1.LvsNode;
import io.lvsoperator.api.v1alpha1.LvsNodeStatus;
import io.lvsoperator.api.v1alpha1.VirtualServerStatus;
import io.lvsoperator.testing.NetnsLab;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on this host: Fabric8's CRUD mock API server and the operator in this JVM, two real
 * agent processes (the packaged jar, {@code kubernetes} command) in network namespaces lvs1
 * (172.20.1.1) and lvs2 (172.20.1.2) on a bridge, reaching the API server through a veth from the
 * root namespace. A VIP-only VirtualServer needs no IPVS. Who holds the VIP is read with {@code
 * ip}, not from the agents. The scenario: election, a TenantPolicy that refuses the VIP (the
 * directors release it) and then allows it, kill -9 of the master's agent, an API outage.
 */
class KubernetesEndToEndIT {
  private static final Path AGENT_JAR = Path.of("..", "node-agent", "target", "lvs-node-agent.jar");
  private static final String API_ADDRESS = "172.20.255.254";
  private static final String VIP = "172.20.1.100";
  private static final String VIRTUAL_SERVER =
      """
      apiVersion: lvsoperator.io/v1alpha1
      kind: VirtualServer
      metadata:
        name: vip
        namespace: default
      spec:
        vip: 172.20.1.100
        vrrp:
          interface: eth0
          advertIntervalMs: 1000
          vipPrefixLength: 16
          vipLabel: "eth0:1"
        directors:
          nodes:
            - name: lvs1
            - name: lvs2
      """;

  private static final Duration STARTUP = Duration.ofSeconds(120);
  private static final Duration CHANGE = Duration.ofSeconds(60);

  @Test
  void electsReportsFailsOverAndRidesOutAnApiOutageFromTheCache(@TempDir Path dir)
      throws Exception {
    String unusable = NetnsLab.unusableBecause();
    assumeTrue(unusable == null, unusable);
    if (!"true".equals(System.getenv("CI"))) {
      assumeTrue(
          Files.exists(AGENT_JAR),
          "needs the packaged agent jar " + AGENT_JAR + " (./mvnw -pl node-agent -am package)");
    }
    assertThat(AGENT_JAR).as("the agent jar (built before this module)").exists();

    NetnsLab lab = new NetnsLab("e2", dir);
    try (lab) {
      scenario(lab, dir);
    } catch (Throwable t) {
      for (String log : List.of("lvs1.log", "lvs2.log", "lvs1-restart.log")) {
        // The agents' own events, without the client's retry stack traces.
        List<String> lines = lab.log(log).lines().filter(l -> l.startsWith("20")).toList();
        System.out.println("----- " + log + " (last 60 log lines)");
        lines.subList(Math.max(0, lines.size() - 60), lines.size()).forEach(System.out::println);
      }
      throw t;
    }
  }

  private static void scenario(NetnsLab lab, Path dir) throws Exception {
    String lvs1 = lab.host("l1", "172.20.1.1/16");
    String lvs2 = lab.host("l2", "172.20.1.2/16");
    lab.rootPort(API_ADDRESS, "172.20.1.1", "172.20.1.2");
    // A literal host name: MockWebServer would otherwise resolve the address back to a name.
    InetAddress api = InetAddress.getByAddress(API_ADDRESS, new byte[] {(byte) 172, 20, -1, -2});
    try (TestingCluster cluster = new TestingCluster(api)) {
      Path kubeconfig = dir.resolve("kubeconfig");
      Files.writeString(kubeconfig, cluster.kubeconfig(API_ADDRESS, TestingCluster.AGENT_TOKEN));
      cluster.node("lvs1", "172.20.1.1", true);
      cluster.node("lvs2", "172.20.1.2", true);
      cluster.virtualServer(VIRTUAL_SERVER);

      long t0 = System.nanoTime();
      Process agent1 = agent(lab, lvs1, "lvs1", "lvs1.log", dir, kubeconfig);
      Process agent2 = agent(lab, lvs2, "lvs2", "lvs2.log", dir, kubeconfig);
      cluster.startOperator();

      // 1. Applied: the operator writes both LvsNodes, the agents elect lvs1 (priority 150 > 100).
      await("lvs1 holds the VIP, lvs2 does not")
          .atMost(STARTUP)
          .pollInterval(Duration.ofMillis(250))
          .until(() -> lab.holds(lvs1, VIP) && !lab.holds(lvs2, VIP));
      eventually(
          "status: master lvs1 and Ready",
          STARTUP,
          () -> {
            VirtualServerStatus s = cluster.getVirtualServer("vip").getStatus();
            assertThat(s.master()).isEqualTo("lvs1");
            assertThat(s.directors())
                .extracting(
                    VirtualServerStatus.DirectorStatus::node,
                    VirtualServerStatus.DirectorStatus::vrrpState)
                .containsExactly(
                    org.assertj.core.groups.Tuple.tuple("lvs1", "MASTER"),
                    org.assertj.core.groups.Tuple.tuple("lvs2", "BACKUP"));
            assertThat(condition(s, "Ready").getStatus()).isEqualTo("True");
            assertThat(condition(s, "Programmed").getStatus()).isEqualTo("True");
          });
      LvsNode node1 = cluster.lvsNode("lvs1");
      assertThat(node1.getStatus().observedGeneration())
          .isEqualTo(node1.getMetadata().getGeneration());
      LvsNodeStatus.VrrpInstanceStatus instance1 = node1.getStatus().vrrp().getFirst();
      assertThat(instance1.state()).isEqualTo("MASTER");
      assertThat(instance1.since()).isNotBlank();
      assertThat(lab.holds(lvs1, VIP) && !lab.holds(lvs2, VIP)).as("still lvs1 only").isTrue();
      phase("elected and reported", t0);

      // 1b. A TenantPolicy whose VIP ranges leave the VIP out: the directors let it go and the
      // status says why; the policy loosened, lvs1 takes it back.
      long refused = System.nanoTime();
      cluster.client.resource(tenantPolicy("10.0.10.0/24")).create();
      await("no director holds the refused VIP")
          .atMost(CHANGE)
          .pollInterval(Duration.ofMillis(250))
          .until(() -> !lab.holds(lvs1, VIP) && !lab.holds(lvs2, VIP));
      eventually(
          "status: PolicyViolation",
          CHANGE,
          () -> {
            Condition programmed =
                condition(cluster.getVirtualServer("vip").getStatus(), "Programmed");
            assertThat(programmed.getReason()).isEqualTo("PolicyViolation");
            assertThat(programmed.getMessage())
                .startsWith(
                    "spec.vip: 172.20.1.100 is outside the VIP ranges of TenantPolicy e2e"
                        + " (10.0.10.0/24)");
          });
      phase("VIP released under a TenantPolicy", refused);
      cluster
          .client
          .resources(io.lvsoperator.api.v1alpha1.TenantPolicy.class)
          .withName("e2e")
          .edit(p -> tenantPolicy("172.20.1.0/24"));
      await("lvs1 holds the VIP again")
          .atMost(CHANGE)
          .pollInterval(Duration.ofMillis(250))
          .until(() -> lab.holds(lvs1, VIP) && !lab.holds(lvs2, VIP));
      eventually(
          "status: master lvs1 and Ready again",
          CHANGE,
          () -> {
            VirtualServerStatus s = cluster.getVirtualServer("vip").getStatus();
            assertThat(s.master()).isEqualTo("lvs1");
            assertThat(condition(s, "Ready").getStatus()).isEqualTo("True");
          });
      phase("VIP back when the policy allows it", refused);

      // 2. kill -9 the master's agent: lvs2 takes over, the status and an Event say so.
      agent1.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      long killed = System.nanoTime();
      // The master's VIPs carry a 1 s kernel lifetime it renews: they die with the agent, without
      // any restart (docs/vrrp.md, "VIPs that die with the agent").
      await("lvs1's VIP gone within 2 s of the kill, without a restart")
          .atMost(Duration.ofSeconds(2))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> !lab.holds(lvs1, VIP));
      phase("lvs1's VIP expired after kill -9", killed);
      await("lvs2 takes the VIP")
          .atMost(CHANGE)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> lab.holds(lvs2, VIP));
      phase("lvs2 holds the VIP after kill -9", killed);
      eventually(
          "status: master lvs2, no split brain, MasterMoved lvs1 -> lvs2",
          CHANGE,
          () -> {
            VirtualServerStatus s = cluster.getVirtualServer("vip").getStatus();
            assertThat(s.master()).isEqualTo("lvs2");
            // lvs1's MASTER claim is older than lvs2's takeover: a failover, not a split brain.
            assertThat(condition(s, "SplitBrain").getStatus()).isEqualTo("False");
            assertThat(cluster.events("vip"))
                .filteredOn(e -> "MasterMoved".equals(e.getReason()))
                .extracting(Event::getMessage)
                .contains("master moved from lvs1 to lvs2");
          });
      phase("status and event after kill -9", killed);
      long cachedGeneration = cluster.lvsNode("lvs1").getMetadata().getGeneration();

      // 3. The API server goes away: the data plane stays exactly as it is.
      cluster.stopServer();
      long outage = System.nanoTime();
      await("the data plane is unchanged during the outage")
          .during(Duration.ofSeconds(5))
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> agent2.isAlive() && lab.holds(lvs2, VIP));

      // 4. lvs1's agent restarts during the outage: it serves its cached spec and, having the
      // higher priority, takes the VIP back from lvs2.
      long restarted = System.nanoTime();
      Process agent1again = agent(lab, lvs1, "lvs1", "lvs1-restart.log", dir, kubeconfig);
      await("lvs1 holds the VIP again, lvs2 has let it go")
          .atMost(CHANGE)
          .pollInterval(Duration.ofMillis(250))
          .until(() -> lab.holds(lvs1, VIP) && !lab.holds(lvs2, VIP));
      phase("lvs1 master again from its cache", restarted);
      assertThat(lab.log("lvs1-restart.log"))
          .contains("event=serving_cached_spec node=lvs1 generation=" + cachedGeneration)
          // its old VIP had expired with the killed agent: nothing stale was left to remove
          .doesNotContain("stale_vip_removed");
      assertThat(agent1again.isAlive()).as("restarted lvs1 agent runs").isTrue();
      assertThat(agent2.isAlive()).as("lvs2 agent runs through the outage").isTrue();
      // The agents did meet the outage: lvs2 could not report its step down, and the restarted lvs1
      // could not reach the API server at all.
      // (ApiOutageLog's lines: the request that failed, with its path.)
      await("lvs2 fails to report during the outage")
          .atMost(Duration.ofSeconds(90))
          .until(
              () ->
                  lab.log("lvs2.log")
                      .lines()
                      .anyMatch(
                          l ->
                              l.contains("event=api_unreachable") && l.contains("/lvsnodes/lvs2")));
      await("the restarted lvs1 finds no API server")
          .atMost(Duration.ofSeconds(90))
          .until(() -> lab.log("lvs1-restart.log").contains("event=api_unreachable"));
      assertThat(lab.holds(lvs1, VIP) && !lab.holds(lvs2, VIP)).as("still lvs1 only").isTrue();
      assertThat(agent1again.isAlive() && agent2.isAlive()).as("both agents run").isTrue();
      phase("outage total", outage);
      phase("scenario total", t0);
    }
  }

  /** A policy for namespace default: VIPs in {@code vips}, directors lvs1 and lvs2. */
  private static io.lvsoperator.api.v1alpha1.TenantPolicy tenantPolicy(String vips) {
    var p = new io.lvsoperator.api.v1alpha1.TenantPolicy();
    p.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("e2e").build());
    p.setSpec(
        new io.lvsoperator.api.v1alpha1.TenantPolicySpec(
            List.of("default"),
            List.of(vips),
            List.of(),
            new io.lvsoperator.api.v1alpha1.TenantPolicySpec.AllowedNodes(
                List.of("lvs1", "lvs2"), Map.of()),
            null,
            List.of()));
    return p;
  }

  private static void eventually(String what, Duration limit, Runnable assertion) {
    await(what)
        .atMost(limit)
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .untilAsserted(assertion::run);
  }

  private static Condition condition(VirtualServerStatus s, String type) {
    return Conditions.find(s.conditions(), type).orElseThrow();
  }

  private static void phase(String what, long sinceNanos) {
    System.out.printf(
        "e2e phase=\"%s\" elapsed_ms=%d%n",
        what, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos));
  }

  private static Process agent(
      NetnsLab lab, String ns, String node, String log, Path dir, Path kubeconfig)
      throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(
        List.of(
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Xmx256m",
            "-jar",
            AGENT_JAR.toAbsolutePath().normalize().toString(),
            "kubernetes",
            "--node-name",
            node,
            "--cache-dir",
            dir.resolve("cache-" + node).toString(),
            "--state-dir",
            dir.resolve("state-" + node).toString(),
            "--handover-timeout",
            "2s",
            "--http-port",
            "9101"));
    return lab.start(ns, log, Map.of("KUBECONFIG", kubeconfig.toString()), cmd);
  }
}
