package io.lvsoperator.agent.node;

import static io.lvsoperator.agent.ipvs.IpvsConstants.IP_VS_STATE_BACKUP;
import static io.lvsoperator.agent.ipvs.IpvsConstants.IP_VS_STATE_MASTER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lvsoperator.agent.ipvs.SyncDaemon;
import io.lvsoperator.agent.vrrp.VrrpState;
import io.lvsoperator.agent.vrrp.VrrpTransition;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sync daemon follows the instance's VRRP state the way keepalived's lvs_sync_daemon does,
 * against a fake that behaves like the kernel (one daemon per state, EEXIST, defaults filled in).
 */
class ConnectionSyncFollowerTest {

  /** One master and one backup daemon at most, the kernel's defaults in what it reports. */
  static final class KernelLikeDaemons implements SyncDaemons {
    final List<SyncDaemon> running = new CopyOnWriteArrayList<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    final Set<String> missingInterfaces = ConcurrentHashMap.newKeySet();
    volatile Set<String> record = Set.of();

    @Override
    public Set<String> recorded() {
      return record;
    }

    @Override
    public void record(Set<String> keys) {
      calls.add("record " + new java.util.TreeSet<>(keys));
      record = Set.copyOf(keys);
    }

    @Override
    public List<SyncDaemon> running() {
      calls.add("list");
      return List.copyOf(running);
    }

    @Override
    public void start(SyncDaemon d) throws IOException {
      calls.add("start " + d.role());
      if (running.stream().anyMatch(r -> r.state() == d.state())) {
        throw new IOException("IPVS_CMD_NEW_DAEMON: EEXIST (File exists)");
      }
      if (missingInterfaces.contains(d.interfaceName())) {
        throw new IOException("IPVS_CMD_NEW_DAEMON: ENODEV (No such device)");
      }
      running.add(
          new SyncDaemon(
              d.state(),
              d.interfaceName(),
              d.syncId(),
              d.maxLength() == 0 ? 1472 : d.maxLength(),
              d.port() == 0 ? 8848 : d.port(),
              d.ttl() == 0 ? 1 : d.ttl(),
              d.group() == null ? InetAddress.ofLiteral("224.0.0.81") : d.group()));
    }

    @Override
    public void stop(int state) {
      calls.add("stop " + (state == IP_VS_STATE_MASTER ? "master" : "backup"));
      running.removeIf(r -> r.state() == state);
    }

    @Override
    public Optional<ConnectionOrigins> connections() {
      return Optional.of(new ConnectionOrigins(3, 7));
    }

    List<String> roles() {
      List<String> out = new ArrayList<>();
      for (SyncDaemon d : running) {
        out.add(d.role() + " " + d.interfaceName() + " " + d.syncId());
      }
      return out;
    }
  }

  private final KernelLikeDaemons kernel = new KernelLikeDaemons();
  private final Map<String, VrrpState> states = new ConcurrentHashMap<>();
  private final ConnectionSyncFollower follower =
      new ConnectionSyncFollower(kernel, () -> Map.copyOf(states), 200);

  private static final ConnectionSyncFollower.Wanted ETH0_51 = wanted("eth0", 51, 0, 0, 0, null);

  private static ConnectionSyncFollower.Wanted wanted(
      String nif, int syncId, int maxLength, int port, int ttl, InetAddress group) {
    return new ConnectionSyncFollower.Wanted(
        "eth0-51", new SyncDaemon(IP_VS_STATE_BACKUP, nif, syncId, maxLength, port, ttl, group));
  }

  @AfterEach
  void tearDown() {
    follower.close();
  }

  private void become(VrrpState from, VrrpState to) {
    states.put("eth0-51", to);
    follower.onTransition(new VrrpTransition("eth0-51", from, to, "test", 0));
  }

  private void awaitDaemons(String... roles) {
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(kernel.roles()).containsExactlyInAnyOrder(roles));
  }

  @Test
  void backupWhileBackupMasterWhileMasterAndBackupAgainInFaultAndAfterAHandover() {
    follower.apply(ETH0_51);
    become(VrrpState.INITIALIZE, VrrpState.BACKUP);
    awaitDaemons("backup eth0 51");

    become(VrrpState.BACKUP, VrrpState.MASTER);
    awaitDaemons("master eth0 51");
    assertThat(kernel.calls).containsSubsequence("stop backup", "start master");

    become(VrrpState.MASTER, VrrpState.FAULT);
    awaitDaemons("backup eth0 51");
    assertThat(kernel.calls).containsSubsequence("stop master", "start backup");

    become(VrrpState.FAULT, VrrpState.MASTER);
    awaitDaemons("master eth0 51");
    // A graceful stop: the handover ends in INITIALIZE, the engine then forgets the instance.
    states.remove("eth0-51");
    follower.close();
    assertThat(kernel.roles()).as("left as a backup, as IPVS is").containsExactly("backup eth0 51");
    await()
        .untilAsserted(
            () ->
                assertThat(follower.snapshot().running())
                    .singleElement()
                    .satisfies(
                        d ->
                            assertThat(d.describe())
                                .isEqualTo(
                                    "backup syncid=51 mcast=eth0 maxlen=1472 group=224.0.0.81"
                                        + " port=8848 ttl=1")));
  }

  @Test
  void aMasterDaemonAKilledRunLeftIsStoppedAtTheNextStart() {
    kernel.running.add(new SyncDaemon(IP_VS_STATE_MASTER, "eth0", 51, 1472, 8848, 1, null));
    follower.apply(ETH0_51);
    become(VrrpState.INITIALIZE, VrrpState.BACKUP);
    awaitDaemons("backup eth0 51");
    assertThat(kernel.calls).containsSubsequence("stop master", "start backup");
  }

  @Test
  void whatItStartsIsRecordedFirstAndADaemonAnEarlierRunRecordedIsStoppedWhenNoneIsAsked() {
    follower.apply(ETH0_51);
    become(VrrpState.INITIALIZE, VrrpState.BACKUP);
    awaitDaemons("backup eth0 51");
    assertThat(kernel.calls).containsSubsequence("record [eth0 51]", "start backup");
    assertThat(kernel.record).containsExactly("eth0 51");
    follower.close();

    // The next run's spec has no connectionSync: the recorded daemon is still its own to stop.
    var next = new ConnectionSyncFollower(kernel, Map::of, 200);
    try {
      next.apply(null);
      awaitDaemons();
      await().untilAsserted(() -> assertThat(kernel.record).isEmpty());
    } finally {
      next.close();
    }
  }

  @Test
  void changedOptionsRestartTheDaemonAndNoneWantedStopsOurs() {
    follower.apply(ETH0_51);
    become(VrrpState.INITIALIZE, VrrpState.BACKUP);
    awaitDaemons("backup eth0 51");
    follower.apply(wanted("eth0", 51, 0, 8849, 2, InetAddress.ofLiteral("224.0.0.82")));
    await()
        .untilAsserted(
            () ->
                assertThat(kernel.running)
                    .singleElement()
                    .satisfies(
                        d -> {
                          assertThat(d.port()).isEqualTo(8849);
                          assertThat(d.ttl()).isEqualTo(2);
                          assertThat(d.group()).isEqualTo(InetAddress.ofLiteral("224.0.0.82"));
                        }));
    // Another sync id is another daemon: the one this process ran is still its own to stop.
    follower.apply(wanted("eth0", 52, 0, 0, 0, null));
    awaitDaemons("backup eth0 52");
    follower.apply(null);
    awaitDaemons();
  }

  @Test
  void aDaemonThisAgentDidNotStartIsLeftAloneAndReported() {
    SyncDaemon foreign = new SyncDaemon(IP_VS_STATE_BACKUP, "eth1", 9, 1472, 8848, 1, null);
    kernel.running.add(foreign);
    follower.apply(ETH0_51);
    become(VrrpState.INITIALIZE, VrrpState.BACKUP);
    await()
        .untilAsserted(
            () ->
                assertThat(follower.snapshot().error())
                    .isEqualTo(
                        "a backup syncid=9 mcast=eth1 maxlen=1472 port=8848 ttl=1 daemon this"
                            + " agent did not start runs; backup syncid=51 mcast=eth0 not started"));
    assertThat(kernel.running).containsExactly(foreign);
    // As master it can run beside it (one daemon per state).
    become(VrrpState.BACKUP, VrrpState.MASTER);
    awaitDaemons("backup eth1 9", "master eth0 51");
  }

  @Test
  void aDaemonThatCannotStartIsTriedAgainUntilItDoes() {
    kernel.missingInterfaces.add("eth0");
    follower.apply(ETH0_51);
    become(VrrpState.INITIALIZE, VrrpState.BACKUP);
    await()
        .untilAsserted(
            () -> {
              assertThat(follower.snapshot().error()).contains("ENODEV");
              assertThat(follower.snapshot().failures()).isGreaterThanOrEqualTo(2);
            });
    kernel.missingInterfaces.clear();
    awaitDaemons("backup eth0 51");
    await().untilAsserted(() -> assertThat(follower.snapshot().error()).isNull());
  }

  @Test
  void withoutConnectionSyncTheKernelIsNeverAsked() throws Exception {
    follower.apply(null);
    become(VrrpState.INITIALIZE, VrrpState.MASTER);
    Thread.sleep(300);
    follower.close();
    assertThat(kernel.calls).isEmpty();
    assertThat(ConnectionSyncFollower.none().connections()).isEmpty();
  }

  @Test
  void transitionsOfOtherInstancesChangeNothing() throws Exception {
    follower.apply(ETH0_51);
    become(VrrpState.INITIALIZE, VrrpState.BACKUP);
    awaitDaemons("backup eth0 51");
    int calls = kernel.calls.size();
    states.put("eth0-52", VrrpState.MASTER);
    follower.onTransition(
        new VrrpTransition("eth0-52", VrrpState.BACKUP, VrrpState.MASTER, "test", 0));
    Thread.sleep(300);
    assertThat(kernel.calls).hasSize(calls);
    assertThat(kernel.roles()).containsExactly("backup eth0 51");
    assertThat(follower.connections()).contains(new SyncDaemons.ConnectionOrigins(3, 7));
  }
}
