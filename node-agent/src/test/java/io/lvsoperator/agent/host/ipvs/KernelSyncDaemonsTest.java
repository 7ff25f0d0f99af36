package io.lvsoperator.agent.host.ipvs;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvsoperator.agent.node.SyncDaemons.ConnectionOrigins;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connection table's origins, from the kernel's /proc/net/ip_vs_conn_sync format. */
class KernelSyncDaemonsTest {

  // As ip_vs_conn_sync_seq_show prints it (kernel 6.1): "%-3s %08X %04X %08X %04X %08X %04X %-11s
  // %-6s %7u", the origin from ip_vs_origin_name.
  private static final String TABLE =
      """
      Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Origin Expires
      TCP AC140201 A1B2 AC140164 2328 AC14010A 2328 ESTABLISHED SYNC       897
      TCP AC140201 A1B4 AC140164 2328 AC14010B 2328 ESTABLISHED SYNC       899
      TCP AC140201 A1B6 AC140164 0050 AC14010A 0050 FIN_WAIT    LOCAL       58
      """;

  @Test
  void countsEntriesByOrigin() throws Exception {
    assertThat(KernelSyncDaemons.count(new BufferedReader(new StringReader(TABLE))))
        .isEqualTo(new ConnectionOrigins(1, 2));
  }

  @Test
  void theRecordOfStartedDaemonsSurvivesTheProcessAndSkipsBadLines(@TempDir Path dir)
      throws Exception {
    Path record = dir.resolve("ipvs-sync-daemons");
    try (KernelSyncDaemons daemons = new KernelSyncDaemons(dir.resolve("none"), record)) {
      assertThat(daemons.recorded()).isEmpty();
      daemons.record(java.util.Set.of("eth0 51", "bond0.100 7"));
    }
    assertThat(Files.readAllLines(record)).containsExactly("bond0.100 7", "eth0 51");
    Files.writeString(
        record, "eth0 51\nnonsense\neth1 300\n", java.nio.file.StandardOpenOption.APPEND);
    try (KernelSyncDaemons daemons = new KernelSyncDaemons(dir.resolve("none"), record)) {
      assertThat(daemons.recorded()).containsExactlyInAnyOrder("eth0 51", "bond0.100 7");
    }
  }

  @Test
  void noFileMeansUnknownAndACountIsReusedForAFewSeconds(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("ip_vs_conn_sync");
    try (KernelSyncDaemons none = new KernelSyncDaemons(file, dir.resolve("record"))) {
      assertThat(none.connections()).isEmpty();
    }
    Files.writeString(file, TABLE);
    try (KernelSyncDaemons daemons = new KernelSyncDaemons(file, dir.resolve("record"))) {
      assertThat(daemons.connections()).contains(new ConnectionOrigins(1, 2));
      Files.writeString(file, TABLE.lines().limit(2).map(l -> l + "\n").reduce("", String::concat));
      assertThat(daemons.connections()).as("cached").contains(new ConnectionOrigins(1, 2));
    }
  }
}
