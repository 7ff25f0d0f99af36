package io.lvsoperator.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The timing arithmetic of the lab's scenarios ({@code lab/guest/checks.sh}, which seed.sh,
 * compare.sh, mixed.sh, migrate.sh and features.sh share), run with bash on fixed inputs: the
 * seconds a check line prints, its limits, what the address monitors say about two directors
 * holding the VIP at once, and how the client loop, our agent's metrics and ipvsadm are read.
 */
class ScenarioTimingTest {
  private static final Path CHECKS = Path.of("../lab/guest/checks.sh").toAbsolutePath();

  // 2026-12-03T10:00:00Z, the T0 of the monitor fixtures below.
  private static final long T0 = 1_796_292_000L;

  @TempDir Path out;

  @Test
  void secondsAndLimits() throws Exception {
    assertThat(bash("seconds_between 100.00 103.46")).isEqualTo("3.5");
    assertThat(bash("seconds_between 1796292000.200000 1796292012.560000")).isEqualTo("12.4");
    // skew (256 - 50) / 256 of an advert plus one advert: the graceful_stop limits of README
    assertThat(bash("takeover_limit 1")).isEqualTo("1.80");
    assertThat(bash("takeover_limit 0.1")).isEqualTo("0.18");
    assertThat(bash("at_most 0.073 0.1 && echo yes || echo no")).isEqualTo("yes");
    assertThat(bash("at_most 0.1 0.1 && echo yes || echo no")).isEqualTo("yes");
    assertThat(bash("at_most 0.139 0.1 && echo yes || echo no")).isEqualTo("no");
    assertThat(bash("at_most 1.04 1.80 && echo yes || echo no")).isEqualTo("yes");
  }

  /**
   * A kill -9 and restart: at T0 both held the VIP (lvs1's stale one; the monitors, started just
   * before, report changes only); the new lvs1 removed it after 9.6 s, added it again at 30 s when
   * it preempted, and lvs2 dropped it 73 ms later.
   */
  @Test
  void overlapAndDelaysFromTheAddressMonitors() throws Exception {
    monitor(
        "stale",
        "lvs1",
        "[2026-12-03T10:00:09.600000] Deleted 2: eth0    inet 172.20.1.100/16 scope global eth0:1",
        "[2026-12-03T10:00:30.000000] 2: eth0    inet 172.20.1.100/16 scope global eth0:1");
    monitor(
        "stale",
        "lvs2",
        "[2026-12-03T10:00:30.073000] Deleted 2: eth0    inet 172.20.1.100/16 scope global");
    assertThat(bash("overlap_report stale " + T0 + " 1 1")).isEqualTo("0.073 9.600");
    assertThat(bash("mon_delay stale lvs1 del " + T0)).isEqualTo("9.60");
    assertThat(bash("mon_delay stale lvs1 add " + T0)).isEqualTo("30.00");
    assertThat(bash("mon_delay stale lvs2 del " + T0)).isEqualTo("30.07");
    assertThat(bash("mon_delay stale lvs2 add " + T0)).as("lvs2 never added it").isEmpty();
  }

  /** Only one held the VIP at T0: no interval was running then, the later overlap still counts. */
  @Test
  void anOverlapThatBeginsAfterT0() throws Exception {
    monitor(
        "graceful",
        "lvs1",
        "[2026-12-03T10:00:00.500000] Deleted 2: eth0    inet 172.20.1.100/16 scope global");
    monitor(
        "graceful",
        "lvs2",
        "[2026-12-03T10:00:00.170000] 2: eth0    inet 172.20.1.100/16 scope global eth0:1");
    assertThat(bash("overlap_report graceful " + T0 + " 1 0")).isEqualTo("0.330 0.000");
    assertThat(bash("mon_delay graceful lvs2 add " + T0)).isEqualTo("0.17");
  }

  /** The windows of migrate.sh and features.sh: takeover limits at other priorities. */
  @Test
  void takeoverWindowsAtAnyPriority() throws Exception {
    assertThat(bash("skew_plus_interval 100 1")).isEqualTo("1.61");
    assertThat(bash("skew_plus_interval 50 1")).isEqualTo(bash("takeover_limit 1"));
    assertThat(bash("master_down 100 1")).isEqualTo("3.61");
    assertThat(bash("master_down 150 1")).isEqualTo("3.41");
    assertThat(bash("within 10.4 8 12.91 && echo yes || echo no")).isEqualTo("yes");
    assertThat(bash("within 7.9 8 12.91 && echo yes || echo no")).isEqualTo("no");
    assertThat(bash("within 13 8 12.91 && echo yes || echo no")).isEqualTo("no");
  }

  /**
   * What the client loop, our agent's /metrics and ipvsadm say, read as the scenarios read them.
   */
  @Test
  void clientLoopMetricsAndIpvsTables() throws Exception {
    Files.write(
        out.resolve("client-a.txt"),
        java.util.List.of(
            "1796292000.1 rc=0 http://172.20.1.110 from 172.20.1.10",
            "1796292001.3 rc=56 http://172.20.1.120 curl: (56) Recv failure: Connection reset by peer",
            "1796292001.6 retry rc=0 http://172.20.1.120 from 172.20.1.10",
            "1796292002.5 rc=28 http://172.20.1.112 curl: (28) Operation timed out",
            "1796292012.5 retry rc=28 http://172.20.1.112 curl: (28) Operation timed out",
            "1796292013.0 rc=0 http://172.20.1.120 sorry from 172.20.1.12"));
    Files.write(
        out.resolve("client-b.txt"),
        java.util.List.of("1796292019.1 rc=0 http://172.20.1.110 from 172.20.1.11"));
    assertThat(bash("client_failures \"$out/client-a.txt\" \"$out/client-b.txt\""))
        .as("a reset answered at the retry, a timeout twice, a sorry page whose retry never came")
        .isEqualTo("2 5 3");
    Files.write(
        out.resolve("metrics.txt"),
        java.util.List.of(
            "lvs_vrrp_received_packets_total{verdict=\"ACCEPTED\"} 42",
            "lvs_vrrp_received_packets_total{verdict=\"OWN_ADVERT\"} 3",
            "lvs_vrrp_received_packets_total{verdict=\"NOT_STARTED\"} 1",
            "lvs_vrrp_received_packets_total{verdict=\"ADDRESS_LIST_MISMATCH\"} 0",
            "lvs_vrrp_received_packets_total{verdict=\"AUTH_FAILED\"} 2"));
    assertThat(bash("bad_verdicts \"$out/metrics.txt\"")).isEqualTo("AUTH_FAILED=2");
    assertThat(bash("accepted_adverts \"$out/metrics.txt\" \"$out/metrics.txt\"")).isEqualTo("84");
    Files.write(
        out.resolve("ipvs.txt"),
        java.util.List.of(
            "IP Virtual Server version 1.2.1 (size=4096)",
            "Prot LocalAddress:Port Scheduler Flags",
            "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn",
            "TCP  172.20.1.130:80 rr",
            "  -> 172.20.1.11:80               Route   1      0          0",
            "  -> 172.20.1.10:80               Route   1      0          0",
            "TCP  172.20.1.13:80 rr",
            "FWM  7 rr",
            "  -> 172.20.1.12:80               Route   1      0          0"));
    assertThat(bash("ipvs_dests_of 'TCP  172.20.1.130:80' <\"$out/ipvs.txt\""))
        .isEqualTo("172.20.1.10:80 172.20.1.11:80");
    assertThat(bash("ipvs_dests_of 'TCP  172.20.1.13:80' <\"$out/ipvs.txt\"")).isEmpty();
    assertThat(bash("ipvs_dests_of 'FWM  7' <\"$out/ipvs.txt\"")).isEqualTo("172.20.1.12:80");
  }

  private void monitor(String name, String ns, String... lines) throws IOException {
    Files.write(out.resolve("monitor-" + name + "-" + ns + ".txt"), java.util.List.of(lines));
  }

  private String bash(String script) throws Exception {
    Process p =
        new ProcessBuilder(
                "bash", "-c", ". \"$0\"; out=\"$1\"; " + script, CHECKS.toString(), out.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return output.strip();
  }
}
