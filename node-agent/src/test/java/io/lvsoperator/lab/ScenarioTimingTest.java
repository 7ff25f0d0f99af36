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
 * compare.sh and mixed.sh share), run with bash on fixed inputs: the seconds a check line prints,
 * its limits, and what the address monitors say about two directors holding the VIP at once.
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
