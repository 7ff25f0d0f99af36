package io.lvsoperator.agent.host.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lvsoperator.testing.HostCommands;
import io.lvsoperator.testing.NetnsLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spec.vrrp.garpRefresh} with the real agent jar: a master repeats its gratuitous ARP every
 * refresh period, and stops as soon as it is preempted. tcpdump on a third host (the oracle) counts
 * the frames by source MAC.
 */
class GarpRefreshIT {
  private static final String VIP = "172.20.1.100";

  @Test
  void masterRefreshesEverySecondAndStopsWhenPreempted(@TempDir Path dir) throws Exception {
    assumeTrue(NetnsLab.usable(), "needs root and ip netns");
    assumeTrue(HostCommands.hasTool("tcpdump"), "needs tcpdump (apt: tcpdump)");
    assumeTrue(Files.exists(Path.of("target", "lvs-node-agent.jar")), "needs the packaged jar");
    Path manifests =
        AgentProcesses.vipManifests(
            dir,
            """
              vrrp:
                interface: eth0
                virtualRouterId: 51
                advertIntervalMs: 100
                vipPrefixLength: 16
                garpRepeat: 2
                garpInterval: 100ms
                garpRefresh: 1s
              directors:
                nodes: [{name: lvs1, priority: 50}, {name: lvs2, priority: 100}]
            """);
    try (NetnsLab lab = new NetnsLab("vr", dir)) {
      String lvs1 = lab.host("g1", "172.20.1.1/16");
      String lvs2 = lab.host("g2", "172.20.1.2/16");
      String watch = lab.host("gw", "172.20.1.50/16");
      lab.start(watch, "arp.txt", "tcpdump", "-n", "-e", "-l", "-i", "eth0", "arp");
      await("tcpdump listening")
          .atMost(Duration.ofSeconds(20))
          .until(() -> lab.log("arp.txt").contains("listening on"));
      String mac1 = mac(lvs1);
      String mac2 = mac(lvs2);

      // lvs1 alone: master, 2 GARPs at once, then one per second.
      StandaloneAgentProcessIT.agent(lab, lvs1, "lvs1", manifests, dir);
      await("lvs1 master").atMost(Duration.ofSeconds(60)).until(() -> lab.holds(lvs1, VIP));
      await("lvs1's first burst").atMost(Duration.ofSeconds(5)).until(() -> garps(lab, mac1) >= 2);
      int afterBurst = garps(lab, mac1);
      Thread.sleep(4_500);
      int refreshes = garps(lab, mac1) - afterBurst;
      assertThat(refreshes).as("refreshes from lvs1 in 4.5 s at 1 s").isBetween(3, 6);

      // lvs2 (priority 100) preempts: lvs1 releases the VIP and sends no more GARPs.
      StandaloneAgentProcessIT.agent(lab, lvs2, "lvs2", manifests, dir);
      await("lvs2 preempts")
          .atMost(Duration.ofSeconds(60))
          .until(() -> lab.holds(lvs2, VIP) && !lab.holds(lvs1, VIP));
      await("lvs2's first burst").atMost(Duration.ofSeconds(5)).until(() -> garps(lab, mac2) >= 2);
      Thread.sleep(500);
      int lvs1Total = garps(lab, mac1);
      int lvs2Before = garps(lab, mac2);
      Thread.sleep(3_500);
      assertThat(garps(lab, mac1))
          .as("GARPs from lvs1 after it was preempted")
          .isEqualTo(lvs1Total);
      assertThat(garps(lab, mac2) - lvs2Before).as("refreshes from lvs2 in 3.5 s").isBetween(2, 5);
      System.out.printf(
          "GarpRefreshIT: lvs1 sent %d GARPs (%d refreshes in 4.5 s), lvs2 %d%n",
          lvs1Total, refreshes, garps(lab, mac2));
    }
  }

  private static String mac(String ns) throws Exception {
    return HostCommands.output("ip", "netns", "exec", ns, "cat", "/sys/class/net/eth0/address")
        .strip();
  }

  /** Gratuitous ARP requests for the VIP from {@code mac}, as tcpdump decoded them. */
  private static int garps(NetnsLab lab, String mac) {
    return (int)
        lab.log("arp.txt")
            .lines()
            .filter(l -> l.contains(mac + " > ff:ff:ff:ff:ff:ff"))
            .filter(
                l -> l.matches(".*Request who-has 172\\.20\\.1\\.100 .*tell 172\\.20\\.1\\.100.*"))
            .count();
  }
}
