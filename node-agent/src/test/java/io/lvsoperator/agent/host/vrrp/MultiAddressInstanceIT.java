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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A VrrpInstance with several addresses (one on a second interface, one excluded) run by the agent
 * jar beside keepalived 2.2 in one VRID, keepalived checking every advert's address list (no
 * vrrp_skip_check_adv_addr). The oracles: {@code ip addr} for who holds what where, tcpdump for
 * what the adverts list and where the gratuitous ARPs go, keepalived's log for complaints.
 */
class MultiAddressInstanceIT {
  private static final Path JAR = Path.of("target", "lvs-node-agent.jar");

  /** Advertised, in this order; 10.9.0.1 lives on eth1. */
  private static final List<String> ADVERTISED =
      List.of("172.20.1.110", "172.20.1.111", "10.9.0.1");

  private static final String EXCLUDED = "172.20.1.120";

  private static final String MANIFEST =
      """
      apiVersion: lvsoperator.io/v1alpha1
      kind: VrrpInstance
      metadata: {name: web, namespace: default}
      spec:
        vrrp:
          interface: eth0
          virtualRouterId: 52
          version: 2
          advertIntervalMs: 1000
          authPassSecretRef: {name: vrrp-auth, key: password}
          vipPrefixLength: 16
          vipLabel: eth0:2
        directors:
          nodes: [{name: lvs1, priority: 150}, {name: lvs2, priority: 100}]
        addresses:
          - address: 172.20.1.110
          - address: 172.20.1.111
          - {address: 10.9.0.1, prefixLength: 24, interface: eth1, label: "eth1:9"}
        excludedAddresses:
          - {address: 172.20.1.120, label: "eth0:3"}
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: vrrp-auth, namespace: default}
      stringData: {password: "1111"}
      """;

  private static final String KEEPALIVED =
      """
      global_defs {
        router_id lvs2
        vrrp_garp_interval 0
      }
      vrrp_instance VI_WEB {
        state BACKUP
        interface eth0
        virtual_router_id 52
        priority 100
        advert_int 1
        authentication {
          auth_type PASS
          auth_pass 1111
        }
        virtual_ipaddress {
          172.20.1.110/16 dev eth0 label eth0:2
          172.20.1.111/16 dev eth0 label eth0:2
          10.9.0.1/24 dev eth1 label eth1:9
        }
        virtual_ipaddress_excluded {
          172.20.1.120/16 dev eth0 label eth0:3
        }
      }
      """;

  /** What keepalived 2.2 logs when it drops an advert (keepalived/vrrp/vrrp.c). */
  private static final String COMPLAINTS =
      "(?s).*(not present in MASTER advert|received an invalid passwd|advertisement interval"
          + " mismatch|unexpected ip number count|Invalid VRRPv2 checksum|wrong version).*";

  @Test
  void allAddressesMoveTogetherExcludedOnesAreNotAdvertisedAndKeepalivedAgrees(@TempDir Path dir)
      throws Exception {
    assumeTrue(NetnsLab.usable(), "needs root and ip netns");
    assumeTrue(Files.exists(JAR), "needs the packaged agent jar (mvn package)");
    assumeTrue(HostCommands.hasTool("keepalived"), "needs keepalived (apt: keepalived)");
    assumeTrue(HostCommands.hasTool("tcpdump"), "needs tcpdump (apt: tcpdump)");
    Path manifests = Files.createDirectories(dir.resolve("manifests"));
    Files.writeString(manifests.resolve("web.yaml"), MANIFEST);
    Path conf = dir.resolve("keepalived.conf");
    Files.writeString(conf, KEEPALIVED);
    try (NetnsLab lab = new NetnsLab("ma", dir)) {
      String ours = lab.host("l1", "172.20.1.1/16");
      String theirs = lab.host("l2", "172.20.1.2/16");
      for (String ns : List.of(ours, theirs)) {
        // A second interface (a veth pair inside the namespace; this host has no dummy module).
        HostCommands.check(
            "ip", "-n", ns, "link", "add", "eth1", "type", "veth", "peer", "name", "eth1p");
        HostCommands.check("ip", "-n", ns, "link", "set", "eth1p", "up");
        HostCommands.check("ip", "-n", ns, "link", "set", "eth1", "up");
      }
      lab.start(
          lab.switchNamespace(), "vrrp.txt", "tcpdump", "-i", "br0", "-n", "-vv", "-l", "vrrp");
      lab.start(ours, "arp-eth1.txt", "tcpdump", "-i", "eth1", "-n", "-l", "arp");
      await("tcpdump listening")
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  lab.log("vrrp.txt").contains("listening on")
                      && lab.log("arp-eth1.txt").contains("listening on"));

      // keepalived alone: master of every address.
      Process keepalived =
          lab.start(
              theirs,
              "keepalived.log",
              "keepalived",
              "-n",
              "-l",
              "-D",
              "--vrrp",
              "-f",
              conf.toString(),
              "-p",
              dir.resolve("k.pid").toString(),
              "-r",
              dir.resolve("k-vrrp.pid").toString());
      await("keepalived master")
          .atMost(Duration.ofSeconds(30))
          .until(() -> holdsAll(theirs) && holdsExcluded(theirs));

      // Ours (150) preempts: every address moves to lvs1, each on its interface.
      Process agent =
          AgentProcesses.standalone(
              lab,
              ours,
              "lvs1.log",
              JAR,
              List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
              manifests,
              "lvs1",
              dir.resolve("state-lvs1"),
              "--handover-timeout",
              "2s",
              "--http-port",
              "9102");
      await("ours preempts with every address")
          .atMost(Duration.ofSeconds(90))
          .until(() -> holdsAll(ours) && holdsExcluded(ours) && holdsNone(theirs));
      String eth0 =
          HostCommands.output("ip", "-n", ours, "-4", "-o", "addr", "show", "dev", "eth0");
      assertThat(eth0)
          .containsPattern("inet 172\\.20\\.1\\.110/16 .*eth0:2")
          .containsPattern("inet 172\\.20\\.1\\.111/16 .*eth0:2")
          .containsPattern("inet 172\\.20\\.1\\.120/16 .*eth0:3")
          .doesNotContain("10.9.0.1");
      assertThat(HostCommands.output("ip", "-n", ours, "-4", "-o", "addr", "show", "dev", "eth1"))
          .containsPattern("inet 10\\.9\\.0\\.1/24 .*eth1:9");
      await("a gratuitous ARP for 10.9.0.1 on eth1")
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  lab.log("arp-eth1.txt")
                      .matches("(?s).*Request who-has 10\\.9\\.0\\.1 tell 10\\.9\\.0\\.1.*"));
      Thread.sleep(3_000); // a few adverts of ours for keepalived to judge
      // Each address ours holds dies with the agent (a 1 s kernel lifetime, renewed): still there
      // after those 3 s, and none of them permanent, the excluded one and eth1's included.
      String held = addresses(ours);
      for (String address : List.of("172.20.1.110", "172.20.1.111", "10.9.0.1", EXCLUDED)) {
        assertThat(held)
            .as("%s carries a kernel lifetime", address)
            .containsPattern("inet " + address.replace(".", "\\.") + "/.*valid_lft [0-9]+sec");
      }
      String metrics =
          HostCommands.output(
              "ip", "netns", "exec", ours, "curl", "-sS", "http://127.0.0.1:9102/metrics");

      // SIGTERM (priority 0): keepalived takes every address back.
      agent.destroy();
      await("keepalived takes over every address")
          .atMost(Duration.ofSeconds(30))
          .until(() -> holdsAll(theirs) && holdsExcluded(theirs));
      assertThat(agent.waitFor(15, TimeUnit.SECONDS)).isTrue();
      assertThat(holdsNone(ours)).as("ours released every address").isTrue();
      keepalived.destroy();
      keepalived.waitFor(15, TimeUnit.SECONDS);

      assertThat(lab.log("keepalived.log")).doesNotMatch(COMPLAINTS).contains("Entering BACKUP");
      assertThat(metrics)
          .containsPattern("lvs_vrrp_received_packets_total\\{verdict=\"ACCEPTED\"} [1-9]")
          .contains("lvs_vrrp_received_packets_total{verdict=\"ADDRESS_LIST_MISMATCH\"} 0");
      List<String> adverts = lab.log("vrrp.txt").lines().filter(l -> l.contains("addrs(")).toList();
      String listed = "addrs(3): " + String.join(",", ADVERTISED);
      assertThat(adverts.stream().filter(l -> l.contains("172.20.1.1 > 224.0.0.18")))
          .as("our adverts list the advertised addresses in order, never the excluded one")
          .isNotEmpty()
          .allMatch(l -> l.contains(listed), listed);
      assertThat(adverts.stream().filter(l -> l.contains("172.20.1.2 > 224.0.0.18")))
          .as("keepalived's list the same")
          .isNotEmpty()
          .allMatch(l -> l.contains(listed), listed);
    }
  }

  private static String addresses(String ns) {
    return HostCommands.output("ip", "-n", ns, "-4", "-o", "addr", "show");
  }

  private static boolean holdsAll(String ns) {
    String a = addresses(ns);
    return ADVERTISED.stream().allMatch(v -> a.contains("inet " + v + "/"));
  }

  private static boolean holdsExcluded(String ns) {
    return addresses(ns).contains("inet " + EXCLUDED + "/");
  }

  private static boolean holdsNone(String ns) {
    String a = addresses(ns);
    return ADVERTISED.stream().noneMatch(v -> a.contains("inet " + v + "/"))
        && !a.contains("inet " + EXCLUDED + "/");
  }
}
