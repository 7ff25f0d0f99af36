package io.lvsoperator.agent.vrrp;

import static io.lvsoperator.agent.vrrp.TestingVrrp.cfg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvsoperator.agent.scheduling.ManualScheduler;
import io.lvsoperator.agent.vrrp.TestingVrrp.Host;
import io.lvsoperator.agent.vrrp.codec.ReceiveVerdict;
import io.lvsoperator.agent.vrrp.codec.VrrpAdvertisement;
import io.lvsoperator.agent.vrrp.codec.VrrpCodec;
import io.lvsoperator.agent.vrrp.codec.VrrpVersion;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every RFC transition and timer, driven with a fake clock over an in-memory L2 segment. */
class VrrpEngineTest {
  private static final long MS = 1_000_000L;

  /** Master_Down_Interval, priority 100, 1 s: 3 s + (156/256) s. */
  private static final long DOWN_100 = 3_609_375_000L;

  /** Master_Down_Interval, priority 50, 1 s: 3 s + (206/256) s. */
  private static final long DOWN_50 = 3_804_687_500L;

  /** Skew_Time, priority 50, 1 s. */
  private static final long SKEW_50 = 804_687_500L;

  private ManualScheduler loop;
  private InMemoryVrrpNetwork net;
  private List<String> effects;
  private Host a;
  private Host b;

  @BeforeEach
  void setUp() {
    loop = new ManualScheduler();
    net = new InMemoryVrrpNetwork();
    effects = new ArrayList<>();
    a = new Host("lvs1", "172.20.1.1", loop, net, effects);
    b = new Host("lvs2", "172.20.1.2", loop, net, effects);
  }

  private void advance(long nanos) {
    loop.advance(Duration.ofNanos(nanos));
  }

  /** Starts lvs1 (priority 100) and lvs2 (50) together and lets lvs1 win; returns its win time. */
  private long elect(TestingVrrp.Cfg ca, TestingVrrp.Cfg cb) {
    long t0 = loop.nanoTime();
    a.run(ca.build());
    b.run(cb.build());
    assertThat(a.state()).isEqualTo(VrrpState.BACKUP);
    assertThat(b.state()).isEqualTo(VrrpState.BACKUP);
    advance(DOWN_100 - 1);
    assertThat(a.state()).isEqualTo(VrrpState.BACKUP);
    advance(1);
    assertThat(a.state()).isEqualTo(VrrpState.MASTER);
    assertThat(a.lastTransitionTo(VrrpState.MASTER) - t0).isEqualTo(DOWN_100);
    return loop.nanoTime();
  }

  /**
   * A v3 advert for VRID 51 (1 s, the usual VIP) from 172.20.1.9 at {@code priority}, to {@code h}.
   */
  private static void advertFromAThirdRouter(Host h, int priority) {
    advertFromAThirdRouter(h, priority, 100);
  }

  /** As above with an advert interval of {@code centis}. */
  private static void advertFromAThirdRouter(Host h, int priority, int centis) {
    byte[] src = InetAddress.ofLiteral("172.20.1.9").getAddress();
    byte[] group = {(byte) 224, 0, 0, 18};
    VrrpAdvertisement advert =
        new VrrpAdvertisement(
            VrrpVersion.V3,
            51,
            priority,
            centis,
            null,
            null,
            List.of(InetAddress.ofLiteral("172.20.1.100")));
    byte[] m = VrrpCodec.encode(advert, src, group);
    h.endpoint.inject(InMemoryVrrpNetwork.ipv4(src, group, m, m.length));
  }

  /**
   * The forged advert: priority 254 and a 40.95 s interval from a host that is not a
   * director, once. The master steps down (in multicast mode any source counts), but the interval
   * it learns is capped at its own 1 s, so it takes the VIP back one Master_Down_Interval (3.609 s
   * at priority 100) after the forged advert, not 3 x 40.95 s later; the backup never moves.
   */
  @Test
  void aForgedLongIntervalAdvertKeepsTheVipAwayForOneMasterDownIntervalOnly() {
    elect();
    long forged = loop.nanoTime();
    advertFromAThirdRouter(a, 254, 4095);
    advertFromAThirdRouter(b, 254, 4095);
    advance(0);
    assertThat(a.state()).isEqualTo(VrrpState.BACKUP);
    assertThat(a.holds()).isFalse();

    advance(DOWN_100 - 1);
    assertThat(a.holds()).isFalse();
    advance(1);
    assertThat(a.state()).isEqualTo(VrrpState.MASTER);
    assertThat(a.holds()).isTrue();
    assertThat(a.lastTransitionTo(VrrpState.MASTER) - forged).isEqualTo(DOWN_100);
    loop.advance(Duration.ofMinutes(5));
    assertThat(b.transitions).extracting(VrrpTransition::to).containsOnly(VrrpState.BACKUP);
  }

  /**
   * With unicast peers, adverts from any other source are dropped and counted, whatever they say,
   * and the instance is not a member of 224.0.0.18: the forged advert changes nothing.
   */
  @Test
  void aUnicastInstanceIgnoresEveryoneButItsPeersAndJoinsNoGroup() {
    elect(cfg().priority(100).unicast("172.20.1.2"), cfg().priority(50).unicast("172.20.1.1"));
    assertThat(a.endpoint.multicastMember()).isFalse();
    assertThat(b.endpoint.multicastMember()).isFalse();

    advertFromAThirdRouter(a, 254, 4095);
    advertFromAThirdRouter(b, 254, 4095);
    loop.advance(Duration.ofMinutes(5));

    assertThat(a.state()).isEqualTo(VrrpState.MASTER);
    assertThat(a.engine.verdictCount(ReceiveVerdict.UNKNOWN_SOURCE)).isEqualTo(1);
    assertThat(b.engine.verdictCount(ReceiveVerdict.UNKNOWN_SOURCE)).isEqualTo(1);
    assertThat(b.state()).isEqualTo(VrrpState.BACKUP);

    // A multicast instance on the same interface joins the group; its removal leaves it again.
    a.run(
        cfg().priority(100).unicast("172.20.1.2").build(),
        cfg().name("vi52").vrid(52).vip("172.20.1.101").build());
    assertThat(a.endpoint.multicastMember()).isTrue();
    a.run(cfg().priority(100).unicast("172.20.1.2").build());
    loop.advance(Duration.ofSeconds(5)); // the removed instance hands over first
    assertThat(a.endpoint.multicastMember()).isFalse();
  }

  private long elect() {
    return elect(cfg().priority(100), cfg().priority(50));
  }

  @Test
  void electsTheConfiguredMasterAndStaysStableForHours() {
    long won = elect();
    assertThat(a.holds()).isTrue();
    loop.advance(Duration.ofHours(1));
    assertThat(a.state()).isEqualTo(VrrpState.MASTER);
    assertThat(b.state()).isEqualTo(VrrpState.BACKUP);
    assertThat(b.transitions).hasSize(1);
    assertThat(b.holds()).isFalse();
    // One advert on taking over, then one per second.
    assertThat(a.endpoint.sent).hasSize(3601);
    assertThat(b.endpoint.sent).isEmpty();
    assertThat(b.engine.verdictCount(ReceiveVerdict.ACCEPTED)).isEqualTo(3601);
    assertThat(effects).containsExactly("lvs1 stale vi51", "lvs2 stale vi51", "lvs1 add vi51");
    assertThat(loop.nanoTime() - won).isEqualTo(Duration.ofHours(1).toNanos());
  }

  @Test
  void gratuitousArpsFollowTheFirstAdvertAndRefreshOnlyWhileMaster() {
    TestingVrrp.Cfg refreshing = cfg().priority(100).garpRefresh(Duration.ofSeconds(10));
    elect(refreshing, cfg().priority(50).garpRefresh(Duration.ofSeconds(10)));
    assertThat(a.effects.announces("vi51")).isEqualTo(1);
    assertThat(a.effects.refreshes("vi51")).isZero();
    advance(10_000 * MS - 1);
    assertThat(a.effects.refreshes("vi51")).isZero();
    advance(1);
    assertThat(a.effects.refreshes("vi51")).isEqualTo(1);
    advance(35_000 * MS);
    assertThat(a.effects.refreshes("vi51")).isEqualTo(4);
    // A backup never refreshes; a master that loses its link stops refreshing.
    assertThat(b.effects.refreshes("vi51")).isZero();
    assertThat(b.effects.announces("vi51")).isZero();
    a.linkDown();
    advance(60_000 * MS);
    assertThat(a.effects.refreshes("vi51")).isEqualTo(4);
    assertThat(b.state()).isEqualTo(VrrpState.MASTER);
    assertThat(b.effects.announces("vi51")).isEqualTo(1);
    assertThat(b.effects.refreshes("vi51")).isGreaterThanOrEqualTo(5);
  }

  @Test
  void aMasterRenewsItsVipsLifetimeWhileItHoldsThemHandoverIncludedAndNotOnceKilled() {
    a.effects.renewEvery(Duration.ofMillis(250));
    b.effects.renewEvery(Duration.ofMillis(250));
    elect();
    assertThat(a.effects.renewals("vi51")).isZero();
    advance(250 * MS - 1);
    assertThat(a.effects.renewals("vi51")).isZero();
    advance(1);
    assertThat(a.effects.renewals("vi51")).isEqualTo(1);
    advance(9_750 * MS);
    assertThat(a.effects.renewals("vi51")).isEqualTo(40);
    assertThat(b.effects.renewals("vi51")).as("a backup holds nothing to renew").isZero();

    // Handing over, the old master keeps renewing until it hears the new one (skew 0.80 s).
    a.engine.handover();
    advance(SKEW_50);
    assertThat(b.state()).isEqualTo(VrrpState.MASTER);
    assertThat(a.holds()).isFalse();
    assertThat(a.effects.renewals("vi51")).isEqualTo(43);
    advance(10_000 * MS);
    assertThat(a.effects.renewals("vi51")).as("released: no more renewals").isEqualTo(43);
    assertThat(b.effects.renewals("vi51")).isEqualTo(40);

    // kill -9: nothing renews the VIPs any more, so the kernel's lifetime removes them.
    b.kill();
    advance(10_000 * MS);
    assertThat(b.effects.renewals("vi51")).isEqualTo(40);
    assertThat(effects).noneMatch(e -> e.contains("renew-without-vips"));
  }

  @Test
  void withoutARefreshPeriodNoRefreshIsSent() {
    elect();
    loop.advance(Duration.ofHours(1));
    assertThat(a.effects.announces("vi51")).isEqualTo(1);
    assertThat(a.effects.refreshes("vi51")).isZero();
  }

  @Test
  void aVipThatCannotBeAddedIsAFaultWithoutAdvertsAndIsRetriedWithBackoff() {
    a.effects.failAdds(true);
    a.run(cfg().priority(100).build());
    b.run(cfg().priority(50).build());
    advance(DOWN_100);
    // lvs1 could not add its VIP: no advert, FAULT, nothing left on the host.
    assertThat(a.state()).isEqualTo(VrrpState.FAULT);
    assertThat(a.holds()).isFalse();
    assertThat(a.endpoint.sent).isEmpty();
    assertThat(a.transitions.getLast().reason()).isEqualTo("vip-add-failed");
    // lvs2 hears nobody and takes the VIP.
    advance(DOWN_50 - DOWN_100);
    assertThat(b.state()).isEqualTo(VrrpState.MASTER);
    assertThat(b.holds()).isTrue();
    // Retried after 1 s: lvs1 is backup again, hears lvs2 (lower priority) and preempts, fails
    // again, and waits 2 s, then 4 s ... lvs2 keeps serving throughout.
    advance(1_000 * MS);
    assertThat(a.state()).isEqualTo(VrrpState.BACKUP);
    advance(60_000 * MS);
    assertThat(b.state()).isEqualTo(VrrpState.MASTER);
    assertThat(b.holds()).isTrue();
    long attempts = effects.stream().filter(e -> e.equals("lvs1 add-failed vi51")).count();
    // 1 + 1 s + DOWN, 2 s + DOWN, 4 s + DOWN, 8 s + DOWN, 16 s + DOWN ... within ~64 s.
    assertThat(attempts).isBetween(4L, 6L);
    // Once the address can be added, lvs1 takes over at its next attempt.
    a.effects.failAdds(false);
    advance(40_000 * MS);
    assertThat(a.state()).isEqualTo(VrrpState.MASTER);
    assertThat(a.holds()).isTrue();
    assertThat(b.state()).isEqualTo(VrrpState.BACKUP);
    assertThat(b.holds()).isFalse();
  }

  @Test
  void excludedAddressesAreHeldButNeverAdvertisedNorCheckedInAPeersAdvert() {
    // lvs1 excludes two more addresses than lvs2 knows of: lvs2 still accepts its adverts, since
    // only the advertised list is compared (keepalived's virtual_ipaddress_excluded).
    elect(
        cfg()
            .priority(100)
            .vips("172.20.1.110", "172.20.1.111")
            .excluded("172.20.1.120", "10.1.2.3"),
        cfg().priority(50).vips("172.20.1.111", "172.20.1.110"));
    advance(10_000 * MS);
    assertThat(b.state()).isEqualTo(VrrpState.BACKUP);
    assertThat(b.engine.verdictCount(ReceiveVerdict.ADDRESS_LIST_MISMATCH)).isZero();
    assertThat(b.engine.verdictCount(ReceiveVerdict.ACCEPTED)).isGreaterThanOrEqualTo(10);
    byte[] packet = a.endpoint.sent.getLast();
    VrrpAdvertisement advert =
        VrrpCodec.decode(
            packet,
            20,
            packet.length - 20,
            java.util.Arrays.copyOfRange(packet, 12, 16),
            java.util.Arrays.copyOfRange(packet, 16, 20));
    assertThat(advert.addresses())
        .as("advert order, excluded ones left out")
        .containsExactly(
            InetAddress.ofLiteral("172.20.1.110"), InetAddress.ofLiteral("172.20.1.111"));
    assertThat(a.engine.states()).containsEntry("vi51", VrrpState.MASTER);
    assertThat(a.holds()).isTrue();
  }

  @Test
  void v2WithPassAuthElectsTheSameWay() {
    elect(cfg().priority(100).v2("1111"), cfg().priority(50).v2("1111"));
    loop.advance(Duration.ofMinutes(10));
    assertThat(b.state()).isEqualTo(VrrpState.BACKUP);
    byte[] advert = a.endpoint.sent.getLast();
    assertThat(advert[20]).isEqualTo((byte) 0x21);
    assertThat(b.engine.verdictCount(ReceiveVerdict.ACCEPTED)).isEqualTo(601);
  }

  @Test
  void addressOwnerBecomesMasterAtStartup() {
    a.run(cfg().priority(255).build());
    assertThat(a.state()).isEqualTo(VrrpState.MASTER);
    assertThat(a.endpoint.sent).hasSize(1);
    assertThat(a.endpoint.sent.getFirst()[22] & 0xff).isEqualTo(255);
  }

  @Test
  void masterLinkDownFailsOverAfterMasterDownIntervalAndPreemptsBackOnLinkUp() {
    long won = elect();
    advance(10_500 * MS);
    a.linkDown();
    assertThat(a.state()).isEqualTo(VrrpState.FAULT);
    assertThat(a.transitions.getLast().reason()).isEqualTo("link-down");
    assertThat(a.holds()).isFalse();
    long lastAdvert = won + 10_000 * MS;
    advance(lastAdvert + DOWN_50 - 1 - loop.nanoTime());
    assertThat(b.state()).isEqualTo(VrrpState.BACKUP);
    advance(1);
    assertThat(b.state()).isEqualTo(VrrpState.MASTER);
    assertThat(b.holds()).isTrue();
    assertThat(b.transitions.getLast().reason()).isEqualTo("master-down-timer");
    assertThat(b.transitions.getLast().failoverNanos())
        .as("the last advert heard to the VIPs added: Master_Down_Interval")
        .isEqualTo(DOWN_50);
    VrrpStatistics.Histogram h = b.engine.statistics().failovers().get("vi51");
    assertThat(h.count()).isEqualTo(1);
    assertThat(h.sumSeconds()).isEqualTo(DOWN_50 / 1e9);
    // 3.80 s: above the 3 s bucket, within 4 s and every larger one.
    int fourSeconds = VrrpStatistics.FAILOVER_BUCKETS.indexOf(4.0);
    assertThat(h.buckets()[fourSeconds - 1]).isZero();
    assertThat(h.buckets()[fourSeconds]).isEqualTo(1);
    assertThat(b.engine.statistics().transitions())
        .containsEntry(
            new VrrpStatistics.TransitionKey(
                "vi51", VrrpState.BACKUP, VrrpState.MASTER, "master-down-timer"),
            1L)
        .containsEntry(
            new VrrpStatistics.TransitionKey(
                "vi51", VrrpState.INITIALIZE, VrrpState.BACKUP, "startup"),
            1L);
    assertThat(a.engine.statistics().failovers())
        .as("winning the first election replaces no master")
        .isEmpty();

    advance(5_250 * MS);
    long up = loop.nanoTime();
    a.linkUp();
    assertThat(a.state()).isEqualTo(VrrpState.BACKUP);
    // lvs1 ignores the lower-priority master and takes over when its own timer fires.
    advance(DOWN_100);
    assertThat(a.state()).isEqualTo(VrrpState.MASTER);
    assertThat(a.lastTransitionTo(VrrpState.MASTER) - up).isEqualTo(DOWN_100);
    assertThat(b.state()).isEqualTo(VrrpState.BACKUP);
    assertThat(b.holds()).isFalse();
    assertThat(b.transitions.getLast().reason()).isEqualTo("higher-priority-advert");
    assertThat(effects.subList(effects.size() - 2, effects.size()))
        .containsExactly("lvs1 add vi51", "lvs2 remove vi51");
  }

  @Test
  void withoutPreemptTheReturningHigherPriorityRouterStaysBackup() {
    elect(cfg().priority(100).noPreempt(), cfg().priority(50).noPreempt());
    a.linkDown();
    advance(10_000 * MS);
    assertThat(b.state()).isEqualTo(VrrpState.MASTER);
    a.linkUp();
    loop.advance(Duration.ofHours(2));
    assertThat(a.state()).isEqualTo(VrrpState.BACKUP);
    assertThat(b.state()).isEqualTo(VrrpState.MASTER);
  }

  @Test
  void preemptDelayPostponesPreemptionAfterEnteringBackup() {
    elect(cfg().priority(100).preemptDelay(Duration.ofSeconds(10)), cfg().priority(50));
    a.linkDown();
    advance(10_000 * MS);
    long up = loop.nanoTime();
    a.linkUp();
    advance(10_000 * MS - 1);
    assertThat(a.state()).as("still delaying").isEqualTo(VrrpState.BACKUP);
    advance(5_000 * MS);
    assertThat(a.state()).isEqualTo(VrrpState.MASTER);
    long took = a.lastTransitionTo(VrrpState.MASTER) - up;
    // The last advert accepted within the delay re-arms Master_Down_Timer once more.
    assertThat(took).isBetween(9_000 * MS + DOWN_100, 10_000 * MS + DOWN_100);
  }

  @Test
  void gracefulShutdownHandsOverAfterSkewTimeMakeBeforeBreak() {
    elect();
    advance(2_300 * MS);
    long stop = loop.nanoTime();
    CompletableFuture<Void> done = a.engine.handover();
    assertThat(a.endpoint.sent.getLast()[22]).as("priority 0").isEqualTo((byte) 0);
    assertThat(done).isNotDone();
    assertThat(a.holds()).as("keeps the VIP until the new master speaks").isTrue();
    advance(SKEW_50 - 1);
    assertThat(b.state()).isEqualTo(VrrpState.BACKUP);
    advance(1);
    assertThat(b.state()).isEqualTo(VrrpState.MASTER);
    assertThat(b.lastTransitionTo(VrrpState.MASTER) - stop).isEqualTo(SKEW_50);
    VrrpTransition takeover = b.transitions.getLast();
    assertThat(takeover.reason()).as("told by priority 0").isEqualTo("master-stopped");
    assertThat(takeover.failoverNanos()).as("priority-0 advert to VIPs added").isEqualTo(SKEW_50);
    assertThat(done).isDone();
    assertThat(a.holds()).isFalse();
    assertThat(a.state()).isEqualTo(VrrpState.INITIALIZE);
    assertThat(a.transitions.getLast().reason()).isEqualTo("new-master-heard");
    assertThat(effects.subList(effects.size() - 2, effects.size()))
        .containsExactly("lvs2 add vi51", "lvs1 remove vi51");
  }

  @Test
  void aBackupShutsDownSilentlyAndTheMasterCarriesOn() {
    elect();
    advance(500 * MS);
    int sentByB = b.endpoint.sent.size();
    CompletableFuture<Void> done = b.engine.handover();
    assertThat(done).as("a backup has nothing to hand over").isDone();
    assertThat(b.state()).isEqualTo(VrrpState.INITIALIZE);
    assertThat(b.transitions.getLast().reason()).isEqualTo("shutdown");
    assertThat(b.endpoint.sent).as("no advert, not even priority 0").hasSize(sentByB);
    assertThat(b.holds()).isFalse();
    loop.advance(Duration.ofMinutes(1));
    assertThat(b.state()).as("its timers are gone").isEqualTo(VrrpState.INITIALIZE);
    assertThat(a.state()).isEqualTo(VrrpState.MASTER);
    assertThat(a.holds()).isTrue();
  }

  @Test
  void aMasterAnswersALowerPriorityMasterWithAnAdvertAndGratuitousArpsOnceASecond() {
    elect();
    advance(300 * MS);
    int before = a.endpoint.sent.size();
    int announces = a.effects.announces("vi51");
    advertFromAThirdRouter(a, 99);
    assertThat(a.state()).isEqualTo(VrrpState.MASTER);
    assertThat(a.holds()).isTrue();
    assertThat(a.endpoint.sent).as("answered at once, as keepalived does").hasSize(before + 1);
    assertThat(a.endpoint.sent.getLast()[22]).as("our priority").isEqualTo((byte) 100);
    assertThat(a.effects.announces("vi51")).as("GARPs again").isEqualTo(announces + 1);
    // A second one within the second (a flood): nothing more.
    advance(100 * MS);
    advertFromAThirdRouter(a, 99);
    assertThat(a.endpoint.sent).hasSize(before + 1);
    assertThat(a.effects.announces("vi51")).isEqualTo(announces + 1);
    // The advert timer restarted from the answer: the next advert one interval after it.
    advance(900 * MS - 1);
    assertThat(a.endpoint.sent).hasSize(before + 1);
    advance(1);
    assertThat(a.endpoint.sent).hasSize(before + 2);
    advertFromAThirdRouter(a, 99);
    assertThat(a.effects.announces("vi51"))
        .as("a second later: answered again")
        .isEqualTo(announces + 2);
    assertThat(a.state()).isEqualTo(VrrpState.MASTER);
  }

  @Test
  void gracefulShutdownWithNobodyToTakeOverReleasesAfterTheBound() {
    a.run(cfg().priority(100).build());
    advance(DOWN_100);
    assertThat(a.state()).isEqualTo(VrrpState.MASTER);
    CompletableFuture<Void> done = a.engine.handover();
    advance(VrrpEngine.DEFAULT_HANDOVER_BOUND.toNanos() - 1);
    assertThat(a.holds()).isTrue();
    advance(1);
    assertThat(done).isDone();
    assertThat(a.holds()).isFalse();
    assertThat(a.transitions.getLast().reason()).isEqualTo("handover-bound");
  }

  @Test
  void killedMasterIsReplacedAndOnRestartRemovesItsStaleVipAndPreempts() {
    long won = elect();
    advance(20_400 * MS);
    a.kill();
    long lastAdvert = won + 20_000 * MS;
    advance(lastAdvert + DOWN_50 - loop.nanoTime());
    assertThat(b.state()).isEqualTo(VrrpState.MASTER);
    assertThat(a.holds()).as("kill -9 left the VIP behind").isTrue();

    advance(7_000 * MS);
    a.boot();
    long restart = loop.nanoTime();
    a.run(cfg().priority(100).build());
    assertThat(a.holds()).as("stale VIP removed before anything else").isFalse();
    assertThat(effects.get(effects.size() - 1)).isEqualTo("lvs1 stale vi51");
    advance(DOWN_100);
    assertThat(a.state()).isEqualTo(VrrpState.MASTER);
    assertThat(a.lastTransitionTo(VrrpState.MASTER) - restart).isEqualTo(DOWN_100);
    assertThat(b.state()).isEqualTo(VrrpState.BACKUP);
    assertThat(b.holds()).isFalse();
  }

  @Test
  void equalPrioritiesStartingTogetherElectTheHigherPrimaryAddress() {
    a.run(cfg().priority(100).build());
    b.run(cfg().priority(100).build());
    advance(DOWN_100 + 10 * MS);
    assertThat(b.state()).as("172.20.1.2 > 172.20.1.1").isEqualTo(VrrpState.MASTER);
    assertThat(a.state()).isEqualTo(VrrpState.BACKUP);
    assertThat(a.transitions.getLast().reason()).isEqualTo("higher-address-advert");
    loop.advance(Duration.ofMinutes(30));
    assertThat(b.state()).isEqualTo(VrrpState.MASTER);
    assertThat(a.state()).isEqualTo(VrrpState.BACKUP);
  }

  @Test
  void anEqualPriorityBackupDoesNotPreemptARunningMaster() {
    a.run(cfg().priority(100).build());
    advance(DOWN_100);
    b.run(cfg().priority(100).build());
    loop.advance(Duration.ofMinutes(30));
    assertThat(a.state()).isEqualTo(VrrpState.MASTER);
    assertThat(b.state())
        .as("RFC: a backup accepts priority >= its own")
        .isEqualTo(VrrpState.BACKUP);
  }

  @Test
  void v3BackupLearnsTheMastersAdvertInterval() {
    a.run(cfg().priority(100).centis(50).build());
    b.run(cfg().priority(50).centis(100).build());
    // lvs1 takes over at 3 * 0.5 s + (156 * 50 / 256) cs = 1.8046875 s.
    advance(1_804_687_500L);
    assertThat(a.state()).isEqualTo(VrrpState.MASTER);
    advance(1_700 * MS);
    // lvs1 advertises every 500 ms: taking over, then +500 ms, ... the last at +1500 ms.
    a.kill();
    long lastAdvert = loop.nanoTime() - 200 * MS;
    // Master_Down_Interval from the learned 50 cs: 3 * 0.5 s + (206 * 50 / 256) cs.
    long learned = 1_500_000_000L + 402_343_750L;
    advance(lastAdvert + learned - 1 - loop.nanoTime());
    assertThat(b.state()).isEqualTo(VrrpState.BACKUP);
    advance(1);
    assertThat(b.state()).isEqualTo(VrrpState.MASTER);
  }

  @Test
  void v2DropsAdvertsWithAnotherIntervalOrPassword() {
    a.run(cfg().priority(100).v2("1111").build());
    b.run(cfg().priority(50).v2("1111").centis(200).build());
    loop.advance(Duration.ofSeconds(20));
    assertThat(b.engine.verdictCount(ReceiveVerdict.INTERVAL_MISMATCH)).isGreaterThan(10);
    assertThat(b.state()).as("it never heard a valid master").isEqualTo(VrrpState.MASTER);

    Host c = new Host("lvs3", "172.20.1.3", loop, net, effects);
    c.run(cfg().name("other").priority(10).v2("2222").build());
    loop.advance(Duration.ofSeconds(5));
    assertThat(c.engine.verdictCount(ReceiveVerdict.AUTH_FAILED)).isGreaterThan(5);
  }

  @Test
  void aMasterAnswersAnotherRoutersPriorityZeroAtOnce() {
    elect();
    advance(300 * MS);
    int before = a.endpoint.sent.size();
    advertFromAThirdRouter(a, 0);
    assertThat(a.endpoint.sent).hasSize(before + 1);
    assertThat(a.state()).isEqualTo(VrrpState.MASTER);
  }

  @Test
  void dataPlaneNotReadyIsAFaultThatHandsOverWithPriorityZero() {
    elect();
    advance(400 * MS);
    long fault = loop.nanoTime();
    a.engine.setDataPlaneUnready(java.util.Set.of("vi51"));
    assertThat(a.state()).isEqualTo(VrrpState.FAULT);
    assertThat(a.transitions.getLast().reason()).isEqualTo("data-plane-unready");
    assertThat(a.holds()).isFalse();
    assertThat(a.endpoint.sent.getLast()[22]).isEqualTo((byte) 0);
    advance(SKEW_50);
    assertThat(b.state()).isEqualTo(VrrpState.MASTER);
    assertThat(b.lastTransitionTo(VrrpState.MASTER) - fault).isEqualTo(SKEW_50);
    a.engine.setDataPlaneUnready(java.util.Set.of());
    assertThat(a.state()).isEqualTo(VrrpState.BACKUP);
    advance(DOWN_100);
    assertThat(a.state()).isEqualTo(VrrpState.MASTER);
    assertThat(a.transitions.getLast().reason()).isEqualTo("master-down-timer");
    assertThat(a.transitions.getLast().failoverNanos())
        .as("preempting a live lower-priority master is no failover")
        .isEqualTo(-1);
  }

  @Test
  void hostilePacketsAreCountedAndNeverDisturbTheMaster() {
    elect();
    byte[] good = a.endpoint.sent.getLast().clone();
    byte[] badTtl = good.clone();
    badTtl[8] = 64;
    byte[] huge = good.clone();
    huge[23] = (byte) 255;
    byte[] wrongVrid =
        InMemoryVrrpNetwork.ipv4(
            new byte[] {10, 0, 0, 9},
            new byte[] {(byte) 224, 0, 0, 18},
            VrrpCodec.encode(
                new VrrpAdvertisement(VrrpVersion.V3, 52, 254, 100, null, null, List.of()),
                new byte[] {10, 0, 0, 9},
                new byte[] {(byte) 224, 0, 0, 18}),
            8);
    byte[] badSum = good.clone();
    badSum[29] ^= 1;
    b.endpoint.inject(badTtl);
    b.endpoint.inject(huge);
    b.endpoint.inject(wrongVrid);
    b.endpoint.inject(badSum);
    Random random = new Random(3768);
    for (int i = 0; i < 20_000; i++) {
      byte[] p = good.clone();
      p[20 + random.nextInt(p.length - 20)] = (byte) random.nextInt(256);
      b.endpoint.inject(p);
      byte[] junk = new byte[random.nextInt(80)];
      random.nextBytes(junk);
      b.endpoint.inject(junk);
    }
    assertThat(b.engine.verdictCount(ReceiveVerdict.BAD_TTL)).isEqualTo(1);
    assertThat(b.engine.verdictCount(ReceiveVerdict.BAD_ADDRESS_COUNT)).isGreaterThanOrEqualTo(1);
    assertThat(b.engine.verdictCount(ReceiveVerdict.WRONG_VRID)).isGreaterThanOrEqualTo(1);
    assertThat(b.engine.verdictCount(ReceiveVerdict.BAD_CHECKSUM)).isGreaterThanOrEqualTo(1);
    loop.advance(Duration.ofMinutes(1));
    assertThat(a.state()).isEqualTo(VrrpState.MASTER);
    assertThat(b.state()).isEqualTo(VrrpState.BACKUP);
  }

  @Test
  void anAdvertArrivingWhileTheTransportOpensIsNotCountedAsWrongVrid() {
    elect();
    byte[] advert = a.endpoint.sent.getLast().clone();
    InMemoryVrrpNetwork.Endpoint endpoint = net.attach("172.20.1.3");
    // The receive thread delivers a packet before the instance on it exists (a real race).
    VrrpTransport.Factory racing =
        (name, sink) -> {
          VrrpTransport t = endpoint.open(name, sink);
          sink.onPacket(advert, advert.length);
          return t;
        };
    VrrpEngine c = new VrrpEngine(loop, racing, new RecordingEffects("lvs3"));
    c.apply(List.of(cfg().priority(20).build()), List.of()).join();
    for (ReceiveVerdict v : ReceiveVerdict.values()) {
      assertThat(c.verdictCount(v)).as(v.name()).isEqualTo(v == ReceiveVerdict.NOT_STARTED ? 1 : 0);
    }
    advance(2_000 * MS);
    assertThat(c.verdictCount(ReceiveVerdict.ACCEPTED)).isGreaterThanOrEqualTo(1);
    assertThat(c.verdictCount(ReceiveVerdict.WRONG_VRID)).isZero();
    c.close();
  }

  @Test
  void tenHoursAtHundredMillisecondAdvertsRunsInMilliseconds() {
    a.run(cfg().priority(100).centis(10).build());
    b.run(cfg().priority(50).centis(10).build());
    loop.advance(Duration.ofHours(10));
    assertThat(a.state()).isEqualTo(VrrpState.MASTER);
    assertThat(b.transitions).hasSize(1);
    // Taken over at 360.9375 ms, then every 100 ms.
    assertThat(a.endpoint.sent).hasSize(1 + (int) ((36_000_000 - 360.9375) / 100));
    assertThat(loop.pendingTasks()).as("no timer pile-up").isLessThanOrEqualTo(4);
  }

  @Test
  void unicastPeersGetTheirOwnPseudoHeaderChecksum() {
    Host c = new Host("lvs3", "172.20.1.3", loop, net, effects);
    c.run(cfg().priority(10).build());
    elect(cfg().priority(100).unicast("172.20.1.2"), cfg().priority(50).unicast("172.20.1.1"));
    loop.advance(Duration.ofSeconds(30));
    assertThat(b.state()).isEqualTo(VrrpState.BACKUP);
    byte[] last = a.endpoint.sent.getLast();
    assertThat(java.util.Arrays.copyOfRange(last, 16, 20))
        .isEqualTo(InetAddress.ofLiteral("172.20.1.2").getAddress());
    assertThat(c.state()).as("multicast listener hears nothing").isEqualTo(VrrpState.MASTER);
  }

  @Test
  void syncGroupFaultsTogetherAndFollowsAMembersTakeover() {
    var a51 = cfg().name("vi51").vrid(51).priority(100);
    var a52 = cfg().name("vi52").vrid(52).priority(100).vip("172.20.1.101").track("eth1");
    var b51 = cfg().name("vi51").vrid(51).priority(50);
    var b52 = cfg().name("vi52").vrid(52).priority(50).vip("172.20.1.101");
    List<SyncGroupConfig> group = List.of(new SyncGroupConfig("g", List.of("vi51", "vi52")));
    a.engine.apply(List.of(a51.build(), a52.build()), group).join();
    b.engine.apply(List.of(b51.build(), b52.build()), group).join();
    advance(DOWN_100);
    assertThat(a.engine.states()).containsValues(VrrpState.MASTER, VrrpState.MASTER);

    advance(300 * MS);
    long fault = loop.nanoTime();
    a.engine.setLinkUp("eth1", false);
    assertThat(a.state("vi52")).isEqualTo(VrrpState.FAULT);
    assertThat(a.state("vi51")).as("pulled by its group").isEqualTo(VrrpState.FAULT);
    advance(SKEW_50);
    assertThat(b.state("vi51")).isEqualTo(VrrpState.MASTER);
    assertThat(b.state("vi52")).isEqualTo(VrrpState.MASTER);
    assertThat(b.lastTransitionTo(VrrpState.MASTER) - fault).isEqualTo(SKEW_50);

    a.engine.setLinkUp("eth1", true);
    assertThat(a.state("vi51")).isEqualTo(VrrpState.BACKUP);
    advance(DOWN_100);
    assertThat(a.engine.states()).containsValues(VrrpState.MASTER, VrrpState.MASTER);
    assertThat(b.engine.states()).containsValues(VrrpState.BACKUP, VrrpState.BACKUP);
  }

  @Test
  void syncGroupMemberTakingOverPullsTheOthersAtOnce() {
    List<SyncGroupConfig> group = List.of(new SyncGroupConfig("g", List.of("vi51", "vi52")));
    b.engine
        .apply(
            List.of(
                cfg().name("vi51").vrid(51).priority(50).build(),
                cfg().name("vi52").vrid(52).priority(50).vip("172.20.1.101").build()),
            group)
        .join();
    // Keep vi52 busy with a (fake) master, let vi51 time out alone.
    byte[] src = InetAddress.ofLiteral("172.20.1.9").getAddress();
    byte[] group224 = {(byte) 224, 0, 0, 18};
    byte[] m =
        VrrpCodec.encode(
            new VrrpAdvertisement(
                VrrpVersion.V3,
                52,
                200,
                100,
                null,
                null,
                List.of(InetAddress.ofLiteral("172.20.1.101"))),
            src,
            group224);
    b.endpoint.inject(InMemoryVrrpNetwork.ipv4(src, group224, m, m.length));
    advance(DOWN_50);
    assertThat(b.state("vi51")).isEqualTo(VrrpState.MASTER);
    assertThat(b.state("vi52")).isEqualTo(VrrpState.MASTER);
    assertThat(b.transitions.getLast().reason()).isEqualTo("sync-group");
  }

  @Test
  void applyUpdatesInPlaceRemovesWithHandoverAndRejectsConflicts() {
    elect();
    advance(500 * MS);
    long raised = loop.nanoTime();
    b.run(cfg().priority(150).build());
    assertThat(b.state()).isEqualTo(VrrpState.BACKUP);
    // It now ignores lvs1's adverts; the timer armed by the last one accepted (500 ms ago) fires.
    advance(DOWN_50);
    assertThat(b.state()).as("now the higher priority, it preempts").isEqualTo(VrrpState.MASTER);
    assertThat(b.lastTransitionTo(VrrpState.MASTER) - raised).isEqualTo(DOWN_50 - 500 * MS);
    assertThat(a.state()).isEqualTo(VrrpState.BACKUP);

    long removed = loop.nanoTime();
    b.engine.apply(List.of(), List.of()).join();
    assertThat(b.engine.states()).isEmpty();
    advance(VrrpTimers.skewTimeNanos(VrrpVersion.V3, 100, 100));
    assertThat(a.state()).isEqualTo(VrrpState.MASTER);
    assertThat(a.lastTransitionTo(VrrpState.MASTER) - removed)
        .isEqualTo(VrrpTimers.skewTimeNanos(VrrpVersion.V3, 100, 100));
    assertThat(b.holds()).isFalse();

    assertThatThrownBy(
            () ->
                a.engine.apply(
                    List.of(cfg().name("x").build(), cfg().name("y").build()), List.of()))
        .isInstanceOf(VrrpConfigException.class)
        .hasMessage("vrrpInstances[y].virtualRouterId: 51 is already used on eth0 by x");
    assertThat(a.state()).isEqualTo(VrrpState.MASTER);
  }

  @Test
  void aTransportThatCannotOpenFailsTheApplyAndLeavesRunningInstancesAlone() {
    VrrpEngine engine =
        new VrrpEngine(
            loop,
            (iface, sink) -> {
              if (iface.equals("eth9")) {
                throw new java.io.IOException("if_nametoindex(eth9): ENODEV");
              }
              return a.endpoint.open(iface, sink);
            },
            a.effects);
    engine.apply(List.of(cfg().priority(100).build()), List.of()).join();
    VrrpInstanceConfig broken =
        new VrrpInstanceConfig(
            "vi9",
            "eth9",
            9,
            100,
            VrrpVersion.V3,
            100,
            true,
            null,
            false,
            null,
            null,
            null,
            null,
            null);
    CompletableFuture<Void> f = engine.apply(List.of(broken), List.of());
    assertThat(f).isCompletedExceptionally();
    assertThatThrownBy(f::join)
        .hasMessageContaining("interface=eth9")
        .hasMessageContaining("ENODEV");
    assertThat(engine.states()).containsOnlyKeys("vi51");
  }

  @Test
  void aChangedPrimaryAddressIsUsedWithAFreshV3Checksum() {
    elect();
    loop.advance(Duration.ofSeconds(5));
    long accepted = b.engine.verdictCount(ReceiveVerdict.ACCEPTED);
    a.endpoint.setPrimary("172.20.1.7");
    a.engine.addressesChanged("eth0");
    loop.advance(Duration.ofSeconds(10));
    byte[] last = a.endpoint.sent.getLast();
    assertThat(java.util.Arrays.copyOfRange(last, 12, 16))
        .isEqualTo(InetAddress.ofLiteral("172.20.1.7").getAddress());
    assertThat(b.engine.verdictCount(ReceiveVerdict.BAD_CHECKSUM)).isZero();
    assertThat(b.engine.verdictCount(ReceiveVerdict.ACCEPTED)).isEqualTo(accepted + 10);
    assertThat(b.state()).isEqualTo(VrrpState.BACKUP);
  }

  @Test
  void aBurstOfAddressEventsWhileTheLoopIsBusyLooksThePrimaryUpOnce() {
    java.util.concurrent.atomic.AtomicInteger lookups =
        new java.util.concurrent.atomic.AtomicInteger();
    VrrpEngine engine =
        new VrrpEngine(
            loop,
            (iface, sink) -> {
              VrrpTransport t = a.endpoint.open(iface, sink);
              return new VrrpTransport() {
                @Override
                public byte[] primaryAddress() {
                  return t.primaryAddress();
                }

                @Override
                public void refreshPrimaryAddress() {
                  lookups.incrementAndGet();
                }

                @Override
                public void send(byte[] destination, byte[] message, int length)
                    throws java.io.IOException {
                  t.send(destination, message, length);
                }

                @Override
                public void close() {
                  t.close();
                }
              };
            },
            new RecordingEffects("lvs9"));
    engine.apply(List.of(cfg().priority(100).build()), List.of()).join();
    // As when a master adds 10,000 VIPs on the loop: one event per address meanwhile.
    loop.execute(
        () -> {
          for (int i = 0; i < 10_000; i++) {
            engine.addressesChanged("eth0");
          }
        });
    assertThat(lookups).hasValue(1);
    engine.addressesChanged("eth0"); // after that look-up: a change it may have missed
    assertThat(lookups).hasValue(2);
  }
}
