package io.lvsoperator.agent.host.ipvs;

import static io.lvsoperator.agent.ipvs.IpvsFixtures.dr;
import static io.lvsoperator.agent.ipvs.IpvsFixtures.ip;
import static io.lvsoperator.agent.ipvs.IpvsFixtures.rr;
import static io.lvsoperator.agent.ipvs.IpvsFixtures.state;
import static io.lvsoperator.agent.ipvs.IpvsFixtures.table;
import static io.lvsoperator.agent.ipvs.IpvsFixtures.tcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lvsoperator.agent.ipvs.IpvsConstants;
import io.lvsoperator.agent.ipvs.IpvsOperation;
import io.lvsoperator.agent.ipvs.IpvsProtocol;
import io.lvsoperator.agent.ipvs.IpvsService;
import io.lvsoperator.agent.ipvs.IpvsServiceKey;
import io.lvsoperator.agent.ipvs.IpvsServiceState;
import io.lvsoperator.agent.ipvs.IpvsSync;
import io.lvsoperator.agent.ipvs.IpvsTimeouts;
import io.lvsoperator.agent.ipvs.OwnedServices;
import io.lvsoperator.agent.ipvs.SyncDaemon;
import io.lvsoperator.testing.HostCommands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a kernel with IPVS (the QEMU lab), root, with {@code ipvsadm -Ln} as the oracle. Skipped
 * where the generic netlink family "IPVS" is missing (most build hosts). Every service it creates
 * is in 10.250.0.0/16 and removed one by one afterwards (never a flush).
 */
class IpvsLabTest {

  private static final String MARK = " 10.250.";
  private static final String COUNTED = "UDP  10.250.9.1:9999";

  @TempDir Path stateDir;
  private GenlIpvsClient client;
  private final List<String> namespaces = new ArrayList<>();

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
    for (String ns : namespaces) {
      HostCommands.quietly("ip", "netns", "del", ns); // takes its veth pair with it
    }
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

  /**
   * Proof of "no flush": the packet counters of a service the syncs do not touch keep counting
   * across syncs that change other services. A flush, or a delete and re-add, would start them from
   * zero.
   *
   * <p>The traffic comes as a real client's does: from a client namespace over a veth (PREROUTING,
   * then IPVS at LOCAL_IN), and is forwarded by DR over a second veth to a real-server namespace
   * that holds the VIP. The counters are polled: a kernel up to 6.1 publishes its per-CPU counters
   * to {@code ipvsadm} only when the rate estimator runs, every 2 s, so a read right after sending
   * sees the previous total (that, not lost traffic, is why the first version of this test read 0).
   */
  @Test
  void untouchedServiceKeepsCountingAcrossSyncs() throws Exception {
    String client = HostCommands.uniqueName("ipvc");
    String realServer = HostCommands.uniqueName("ipvr");
    namespaces.add(client);
    namespaces.add(realServer);
    // One shell for the whole topology: every process started in the guest costs seconds.
    HostCommands.check(
        "sh",
        "-ec",
        String.join(
            "\n",
            "ip addr add 10.250.9.1/32 dev lo",
            "ip netns add " + client,
            "ip link add " + client + " type veth peer name eth0 netns " + client,
            "ip addr add 10.250.20.1/24 dev " + client,
            "ip link set " + client + " up",
            "ip -n " + client + " addr add 10.250.20.2/24 dev eth0",
            "ip -n " + client + " link set eth0 up",
            "ip -n " + client + " route add 10.250.9.0/24 via 10.250.20.1",
            "ip netns add " + realServer,
            "ip link add " + realServer + " type veth peer name eth0 netns " + realServer,
            "ip addr add 10.250.21.1/24 dev " + realServer,
            "ip link set " + realServer + " up",
            "ip -n " + realServer + " addr add 10.250.21.2/24 dev eth0",
            "ip -n " + realServer + " addr add 10.250.9.1/32 dev lo",
            "ip -n " + realServer + " link set eth0 up",
            "ip -n " + realServer + " link set lo up",
            "ip -n " + realServer + " route add default via 10.250.21.1"));
    IpvsServiceState counted =
        rr(IpvsServiceKey.of(IpvsProtocol.UDP, ip("10.250.9.1"), 9999), dr("10.250.21.2", 9999, 1));
    IpvsSync sync = newSync();
    sync.sync(1, table(counted));

    sendUdpFrom(client, 5);
    long before = awaitInPackets(COUNTED, 5);

    sync.sync(2, table(counted, rr(tcp("10.250.0.1", 80), dr("10.250.1.1", 80, 1))));
    IpvsSync.SyncResult third =
        sync.sync(3, table(counted, rr(tcp("10.250.0.1", 80), dr("10.250.1.1", 80, 7))));
    assertThat(inPackets(COUNTED))
        .as("InPkts right after the syncs")
        .isGreaterThanOrEqualTo(before);

    sendUdpFrom(client, 5);
    assertThat(awaitInPackets(COUNTED, before + 5)).isGreaterThanOrEqualTo(before + 5);
    assertThat(third.applied()).noneMatch(op -> op.serviceKey().equals(counted.key()));
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
      // Every option set (ipvsadm --sync-maxlen --mcast-port --mcast-ttl --mcast-group) ...
      SyncDaemon master =
          new SyncDaemon(
              IpvsConstants.IP_VS_STATE_MASTER,
              nif,
              7,
              1400,
              8849,
              2,
              java.net.InetAddress.getByName("224.0.0.82"));
      client.startSyncDaemon(master);
      // ... and none: the kernel reports its defaults (port 8848, TTL 1, 224.0.0.81, maxlen from
      // the MTU), which satisfy a request that set nothing.
      SyncDaemon backup = new SyncDaemon(IpvsConstants.IP_VS_STATE_BACKUP, nif, 7);
      client.startSyncDaemon(backup);
      assertThat(client.syncDaemons())
          .hasSize(2)
          .anySatisfy(d -> assertThat(d).isEqualTo(master))
          .anySatisfy(
              d -> {
                assertThat(d.satisfies(backup)).isTrue();
                assertThat(d.port()).isEqualTo(8848);
                assertThat(d.ttl()).isEqualTo(1);
                assertThat(d.group()).isEqualTo(java.net.InetAddress.getByName("224.0.0.81"));
                assertThat(d.maxLength()).isPositive();
              });
      assertThat(HostCommands.check("ipvsadm", "-L", "--daemon"))
          .contains(
              "master sync daemon (mcast="
                  + nif
                  + ", syncid=7, maxlen=1400, group=224.0.0.82, port=8849, ttl=2)")
          .contains("backup sync daemon (mcast=" + nif + ", syncid=7");
      client.stopSyncDaemon(IpvsConstants.IP_VS_STATE_MASTER);
      client.stopSyncDaemon(IpvsConstants.IP_VS_STATE_BACKUP);
      assertThat(client.syncDaemons()).isEmpty();
    } finally {
      client.setTimeouts(original);
      HostCommands.quietly("ip", "link", "del", nif);
    }
  }

  // One process: bash's /dev/udp opens a socket per packet (a new IPVS connection each).
  private static void sendUdpFrom(String namespace, int count) {
    HostCommands.check(
        "ip",
        "netns",
        "exec",
        namespace,
        "bash",
        "-c",
        "for i in $(seq " + count + "); do echo lab >/dev/udp/10.250.9.1/9999; done");
  }

  // The estimator publishes the counters every 2 s (slower under emulation): poll.
  private static long awaitInPackets(String servicePrefix, long atLeast) {
    return await("InPkts of " + servicePrefix + " >= " + atLeast)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> inPackets(servicePrefix), n -> n >= atLeast);
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
