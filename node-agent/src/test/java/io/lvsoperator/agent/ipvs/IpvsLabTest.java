package io.lvsoperator.agent.ipvs;

import static io.lvsoperator.agent.ipvs.IpvsFixtures.dr;
import static io.lvsoperator.agent.ipvs.IpvsFixtures.ip;
import static io.lvsoperator.agent.ipvs.IpvsFixtures.rr;
import static io.lvsoperator.agent.ipvs.IpvsFixtures.state;
import static io.lvsoperator.agent.ipvs.IpvsFixtures.table;
import static io.lvsoperator.agent.ipvs.IpvsFixtures.tcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lvsoperator.agent.ffm.HostCommands;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a kernel with IPVS (the QEMU lab), root, with {@code ipvsadm -Ln} as the oracle. Skipped
 * where the generic netlink family "IPVS" is missing (most build hosts). Every service it creates
 * is in 10.250.0.0/16 and removed one by one afterwards (never a flush).
 */
class IpvsLabTest {

  private static final String MARK = " 10.250.";

  @TempDir Path stateDir;
  private GenlIpvsClient client;

  @BeforeAll
  static void requireIpvs() {
    assumeTrue(HostCommands.isRoot(), "IPVS lab tests need root");
    assumeTrue(
        GenlIpvsClient.isAvailable(),
        "no generic netlink family IPVS in this kernel (run in the lab)");
    assumeTrue(HostCommands.hasTool("ipvsadm"), "needs ipvsadm (apt: ipvsadm) as the oracle");
  }

  @BeforeEach
  void open() throws Exception {
    client = GenlIpvsClient.open();
  }

  @AfterEach
  void removeTestServices() throws Exception {
    try (GenlIpvsClient c = GenlIpvsClient.open()) {
      for (IpvsService s : c.services()) {
        if (!s.key().isFwmark() && s.key().address().getHostAddress().startsWith("10.250.")) {
          c.deleteService(s.key());
        }
      }
    }
    client.close();
    HostCommands.quietly("ip", "addr", "del", "10.250.9.1/32", "dev", "lo");
  }

  private static Map<String, TreeSet<String>> kernelTable() {
    return IpvsadmTable.only(IpvsadmTable.parse(HostCommands.check("ipvsadm", "-Ln")), MARK);
  }

  private IpvsSync newSync() throws Exception {
    return new IpvsSync(client, OwnedServices.load(stateDir.resolve("ipvs-owned")));
  }

  @Test
  void syncProgramsExactlyTheDesiredTableAndEditsInPlace() throws Exception {
    List<IpvsServiceState> desired =
        table(
            rr(tcp("10.250.0.1", 80), dr("10.250.1.1", 80, 1), dr("10.250.1.2", 80, 1)),
            state(
                IpvsService.of(tcp("10.250.0.1", 443), "wlc").withPersistence(300, 24),
                dr("10.250.1.1", 443, 3)));

    IpvsSync.SyncResult first = newSync().sync(1, desired);

    assertThat(first.failed()).isEmpty();
    assertThat(kernelTable()).isEqualTo(IpvsadmTable.expected(desired));
    assertThat(newSync().sync(1, desired).planned()).isZero();

    List<IpvsServiceState> edited =
        table(
            state(
                IpvsService.of(tcp("10.250.0.1", 80), "wrr"),
                dr("10.250.1.1", 80, 5),
                dr("10.250.1.3", 80, 1)),
            rr(IpvsServiceKey.of(IpvsProtocol.UDP, ip("10.250.0.2"), 53), dr("10.250.1.4", 53, 1)));
    IpvsSync.SyncResult second = newSync().sync(2, edited);

    assertThat(second.failed()).isEmpty();
    assertThat(kernelTable()).isEqualTo(IpvsadmTable.expected(edited));
    assertThat(second.applied())
        .contains(new IpvsOperation.EditService(IpvsService.of(tcp("10.250.0.1", 80), "wrr")));
  }

  @Test
  void restartedAgentAdoptsAndOnlyRemovesWhatItOwned() throws Exception {
    List<IpvsServiceState> desired =
        table(rr(tcp("10.250.0.1", 80), dr("10.250.1.1", 80, 1)), rr(tcp("10.250.0.3", 80)));
    newSync().sync(1, desired);
    client.close();

    client = GenlIpvsClient.open(); // a new process: new socket, ownership from the state file
    IpvsSync.SyncResult afterRestart = newSync().sync(2, table(desired.getFirst()));

    assertThat(afterRestart.applied())
        .containsExactly(new IpvsOperation.DeleteService(tcp("10.250.0.3", 80)));
    assertThat(kernelTable()).isEqualTo(IpvsadmTable.expected(table(desired.getFirst())));
  }

  @Test
  void handMadeServiceSurvivesSyncsAndCleanup() throws Exception {
    HostCommands.check("ipvsadm", "-A", "-t", "10.250.8.1:8080", "-s", "wlc");
    HostCommands.check(
        "ipvsadm", "-a", "-t", "10.250.8.1:8080", "-r", "10.250.8.2:8080", "-g", "-w", "3");
    IpvsSync sync = newSync();

    sync.sync(1, table(rr(tcp("10.250.0.1", 80), dr("10.250.1.1", 80, 1))));
    sync.sync(2, table());
    sync.cleanup();

    assertThat(kernelTable())
        .isEqualTo(
            Map.of("TCP 10.250.8.1:8080 wlc", new TreeSet<>(List.of("10.250.8.2:8080 Route 3"))));
  }

  @Test
  @Disabled(
      "counted 0 packets in the lab runs of 2026-11-26 15:50 and 15:57 (passed in an earlier run"
          + " by its author); the locally sent UDP to the lo VIP is not seen by IPVS in some runs."
          + " Under investigation: see the closing note of issue 3")
  void untouchedServiceKeepsCountingAcrossSyncs() throws Exception {
    HostCommands.check("ip", "addr", "add", "10.250.9.1/32", "dev", "lo");
    IpvsServiceState counted =
        rr(IpvsServiceKey.of(IpvsProtocol.UDP, ip("10.250.9.1"), 9999), dr("10.250.9.2", 9999, 1));
    IpvsSync sync = newSync();
    sync.sync(1, table(counted));
    sendUdp(5);
    long before = inPackets("UDP  10.250.9.1:9999");

    sync.sync(2, table(counted, rr(tcp("10.250.0.1", 80), dr("10.250.1.1", 80, 1))));
    sync.sync(3, table(counted, rr(tcp("10.250.0.1", 80), dr("10.250.1.1", 80, 7))));
    sendUdp(5);
    long after = inPackets("UDP  10.250.9.1:9999");

    assertThat(before).isGreaterThanOrEqualTo(5);
    assertThat(after).isGreaterThanOrEqualTo(before + 5);
  }

  @Test
  void timeoutsAndSyncDaemon() throws Exception {
    IpvsTimeouts original = client.timeouts();
    String nif = HostCommands.uniqueName("kclab");
    try {
      client.setTimeouts(new IpvsTimeouts(901, 121, 301));
      assertThat(client.timeouts()).isEqualTo(new IpvsTimeouts(901, 121, 301));
      assertThat(HostCommands.check("ipvsadm", "-L", "--timeout")).contains("901 121 301");

      HostCommands.check("ip", "link", "add", nif, "type", "veth", "peer", "name", nif + "p");
      HostCommands.check("ip", "addr", "add", "10.250.10.1/24", "dev", nif);
      HostCommands.check("ip", "link", "set", nif, "up");
      HostCommands.check("ip", "link", "set", nif + "p", "up");
      client.startSyncDaemon(new SyncDaemon(IpvsConstants.IP_VS_STATE_MASTER, nif, 7));
      assertThat(client.syncDaemons())
          .contains(new SyncDaemon(IpvsConstants.IP_VS_STATE_MASTER, nif, 7));
      assertThat(HostCommands.check("ipvsadm", "-L", "--daemon"))
          .contains("master sync daemon (mcast=" + nif + ", syncid=7");
      client.stopSyncDaemon(IpvsConstants.IP_VS_STATE_MASTER);
      assertThat(client.syncDaemons()).isEmpty();
    } finally {
      client.setTimeouts(original);
      HostCommands.quietly("ip", "link", "del", nif);
    }
  }

  private static void sendUdp(int count) throws Exception {
    try (DatagramSocket socket = new DatagramSocket()) {
      byte[] data = "lab".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      for (int i = 0; i < count; i++) {
        socket.send(new DatagramPacket(data, data.length, ip("10.250.9.1"), 9999));
      }
    }
    Thread.sleep(200);
  }

  // ipvsadm -Ln --stats: "UDP  10.250.9.1:9999   Conns InPkts OutPkts InBytes OutBytes"
  private static long inPackets(String servicePrefix) {
    for (String line :
        HostCommands.check("ipvsadm", "-Ln", "--stats", "--exact").lines().toList()) {
      if (line.startsWith(servicePrefix)) {
        return Long.parseLong(line.trim().split("\\s+")[3]);
      }
    }
    throw new AssertionError("service " + servicePrefix + " not in ipvsadm --stats");
  }
}
