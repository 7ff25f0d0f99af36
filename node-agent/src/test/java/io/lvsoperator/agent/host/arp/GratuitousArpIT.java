package io.lvsoperator.agent.host.arp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lvsoperator.testing.HostCommands;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Gratuitous ARPs sent on one end of a veth pair are captured by tcpdump on the other end, inside a
 * network namespace of the test's own, and decoded by tcpdump (the oracle).
 */
class GratuitousArpIT {

  private String veth;
  private String namespace;

  @BeforeEach
  void setUp() {
    assumeTrue(HostCommands.isRoot(), "needs root for namespaces and AF_PACKET");
    assumeTrue(HostCommands.hasTool("tcpdump"), "needs tcpdump (apt: tcpdump)");
    veth = HostCommands.uniqueName("kcga");
    namespace = veth + "ns";
    HostCommands.check("ip", "netns", "add", namespace);
    HostCommands.check("ip", "link", "add", veth, "type", "veth", "peer", "name", veth + "p");
    HostCommands.check("ip", "link", "set", veth + "p", "netns", namespace);
    HostCommands.check("ip", "link", "set", veth, "up");
    HostCommands.check("ip", "-n", namespace, "link", "set", veth + "p", "up");
  }

  @AfterEach
  void tearDown() {
    if (veth != null) {
      HostCommands.quietly("ip", "link", "del", veth);
    }
    if (namespace != null) {
      HostCommands.quietly("ip", "netns", "del", namespace);
    }
  }

  /**
   * Sends {@code count} rounds for {@code address}, {@code interval} apart, through our sender on
   * the veth, and returns what tcpdump (started first, with {@code tcpdumpFlags}, on the peer end
   * in the namespace) printed for them, one line per frame.
   */
  private List<String> announceAndCapture(
      String address, int count, Duration interval, String... tcpdumpFlags) throws Exception {
    List<String> command =
        new ArrayList<>(List.of("ip", "netns", "exec", namespace, "tcpdump", "-n", "-l"));
    command.addAll(List.of(tcpdumpFlags));
    command.addAll(List.of("-i", veth + "p", "-c", String.valueOf(count), "arp"));
    Process tcpdump = new ProcessBuilder(command).start();
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      BufferedReader err =
          new BufferedReader(
              new InputStreamReader(tcpdump.getErrorStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = err.readLine()) != null && !line.contains("listening on")) {
        // wait until tcpdump captures
      }
      int sent =
          new GratuitousArpSender(scheduler)
              .announce(
                  veth, List.of((Inet4Address) InetAddress.getByName(address)), count, interval)
              .get(10, TimeUnit.SECONDS);
      assertThat(sent).isEqualTo(count);
      assertThat(tcpdump.waitFor(10, TimeUnit.SECONDS))
          .as("tcpdump saw %d ARP frames", count)
          .isTrue();
      return new String(tcpdump.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .toList();
    } finally {
      scheduler.shutdownNow();
      tcpdump.destroy();
      tcpdump.waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void peerSeesThreeAnnouncementsFromOurMac() throws Exception {
    String mac = HostCommands.check("cat", "/sys/class/net/" + veth + "/address").strip();

    List<String> lines = announceAndCapture("172.31.252.100", 3, Duration.ofMillis(100), "-e");

    assertThat(lines).hasSize(3);
    assertThat(lines)
        .allSatisfy(
            l ->
                assertThat(l)
                    .contains(mac + " > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42")
                    .containsPattern(
                        "Request who-has 172\\.31\\.252\\.100 (\\(00:00:00:00:00:00\\) )?tell 172\\.31\\.252\\.100"));
  }

  /**
   * Rounds go {@code interval} apart: 4 rounds 200 ms apart, timestamped by tcpdump ({@code -tt},
   * seconds since the epoch) as they arrive at the peer. Each gap must be at least 150 ms (so
   * rounds sent back to back fail) and the burst at most 4 s (a loose bound: the point is the
   * spacing, not the scheduler's punctuality).
   */
  @Test
  void roundsAreSpacedByTheInterval() throws Exception {
    List<String> lines = announceAndCapture("172.31.252.101", 4, Duration.ofMillis(200), "-tt");

    assertThat(lines).hasSize(4).allSatisfy(l -> assertThat(l).contains("172.31.252.101"));
    List<Long> micros = new ArrayList<>();
    for (String l : lines) {
      // "1712345678.123456 ARP, Request who-has ..."
      micros.add(new BigDecimal(l.substring(0, l.indexOf(' '))).movePointRight(6).longValue());
    }
    List<Long> gapsMillis = new ArrayList<>();
    for (int i = 1; i < micros.size(); i++) {
      gapsMillis.add((micros.get(i) - micros.get(i - 1)) / 1000);
    }
    assertThat(gapsMillis)
        .as("ms between consecutive GARPs (interval 200 ms), from %s", lines)
        .allSatisfy(gap -> assertThat(gap).isGreaterThanOrEqualTo(150));
    assertThat((micros.getLast() - micros.getFirst()) / 1000)
        .as("ms from the first GARP to the last")
        .isLessThanOrEqualTo(4000);
  }
}
