package io.lvsoperator.agent.health;

import static io.lvsoperator.agent.health.TestingServices.defaults;
import static io.lvsoperator.agent.health.TestingServices.destination;
import static io.lvsoperator.agent.health.TestingServices.keepalivedReference;
import static io.lvsoperator.agent.health.TestingServices.service;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvsoperator.agent.health.TestingProber.Answer;
import io.lvsoperator.agent.scheduling.ManualScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HealthMonitorTest {

  private final ManualScheduler clock = new ManualScheduler();
  private final List<HealthEvent> events = new ArrayList<>();
  private final List<Long> eventTimes = new ArrayList<>();

  private HealthMonitor monitor(TestingProber prober) {
    return new HealthMonitor(
        prober,
        clock,
        e -> {
          events.add(e);
          eventTimes.add(clock.time());
        });
  }

  private static CheckedService reference() {
    return service(
        "172.20.1.100",
        80,
        keepalivedReference(),
        FailureAction.REMOVE,
        destination("172.20.1.10", 80, 1),
        destination("172.20.1.11", 80, 1));
  }

  private static HealthCheckKey key(CheckedService s, int index) {
    return HealthCheckKey.of(s, s.destinations().get(index)).orElseThrow();
  }

  private List<Long> transitionTimes() {
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).transition()) {
        times.add(eventTimes.get(i));
      }
    }
    return times;
  }

  /**
   * keepalived (check_http.c epilog): a failure of an up server is retried `retry` times,
   * delay_before_retry apart; the 4th failure in a row (retry 3) takes it down; a down server is
   * checked every delay_loop and comes back on its first success. A refused connection fails at
   * once, so after the last good check at t0 the checks are t0+6 (fail), +9, +12, +15 (down), then
   * +21, +27 ... every 6 s.
   */
  @Test
  void referenceScenarioWithRefusedConnectionsMatchesKeepalived() {
    CheckedService service = reference();
    HealthCheckKey web1 = key(service, 0);
    AtomicLong stoppedAt = new AtomicLong(Long.MAX_VALUE);
    AtomicLong restartedAt = new AtomicLong(Long.MAX_VALUE);
    TestingProber prober =
        new TestingProber(
            clock,
            (k, now) ->
                k.equals(web1) && now >= stoppedAt.get() && now < restartedAt.get()
                    ? Answer.refused()
                    : Answer.up());
    try (HealthMonitor monitor = monitor(prober)) {
      monitor.update(List.of(service));
      long t0 = HealthMonitor.initialDelayMs(web1, 6000);
      clock.advanceTo(t0);
      assertThat(prober.probeTimes(web1)).containsExactly(t0);
      assertThat(monitor.state(web1).orElseThrow().up()).isTrue();

      stoppedAt.set(t0 + 1);
      clock.advanceTo(t0 + 15_000);
      assertThat(prober.probeTimes(web1))
          .containsExactly(t0, t0 + 6_000, t0 + 9_000, t0 + 12_000, t0 + 15_000);
      HealthState down = monitor.state(web1).orElseThrow();
      assertThat(down.health()).isEqualTo(ServerHealth.DOWN);
      assertThat(down.reason()).isEqualTo("connection refused");
      assertThat(down.consecutive()).isEqualTo(4);
      assertThat(down.since()).isEqualTo(ManualScheduler.EPOCH.plusMillis(t0 + 15_000));
      assertThat(transitionTimes()).containsExactly(t0 + 15_000);

      // Down: checked every delay_loop; back on the first success (rise 1, as keepalived).
      restartedAt.set(t0 + 22_000);
      clock.advanceTo(t0 + 33_000);
      assertThat(prober.probeTimes(web1))
          .containsSubsequence(t0 + 15_000, t0 + 21_000, t0 + 27_000, t0 + 33_000);
      assertThat(transitionTimes()).containsExactly(t0 + 15_000, t0 + 27_000);
      assertThat(monitor.state(web1).orElseThrow().up()).isTrue();

      assertThat(monitor.sortedStates())
          .extracting(
              h ->
                  h.key().address()
                      + " "
                      + h.up()
                      + " "
                      + (h.up() ? null : h.reason())
                      + " "
                      + h.since())
          .containsExactly(
              "172.20.1.10 true null " + ManualScheduler.EPOCH.plusMillis(t0 + 27_000),
              "172.20.1.11 true null " + ManualScheduler.EPOCH);

      // The other server was never disturbed.
      HealthCheckKey web2 = key(service, 1);
      assertThat(monitor.state(web2).orElseThrow().up()).isTrue();
      assertThat(prober.overlaps()).isEmpty();
    }
  }

  /**
   * A server that stops answering (host gone): every try waits connect_timeout (3 s). Tries start
   * at t0+6, +12, +18, +24 and the 4th ends in DOWN at t0+27.
   */
  @Test
  void referenceScenarioWithTimeoutsMatchesKeepalived() {
    CheckedService service = reference();
    HealthCheckKey web1 = key(service, 0);
    AtomicLong hungAt = new AtomicLong(Long.MAX_VALUE);
    TestingProber prober =
        new TestingProber(
            clock,
            (k, now) -> k.equals(web1) && now >= hungAt.get() ? Answer.timeout(3000) : Answer.up());
    try (HealthMonitor monitor = monitor(prober)) {
      monitor.update(List.of(service));
      long t0 = HealthMonitor.initialDelayMs(web1, 6000);
      clock.advanceTo(t0);
      hungAt.set(t0 + 1);
      clock.advanceTo(t0 + 27_000 - 1);
      assertThat(monitor.state(web1).orElseThrow().up()).isTrue();
      clock.advanceTo(t0 + 27_000);
      assertThat(prober.probeTimes(web1))
          .containsExactly(t0, t0 + 6_000, t0 + 12_000, t0 + 18_000, t0 + 24_000);
      assertThat(monitor.state(web1).orElseThrow().health()).isEqualTo(ServerHealth.DOWN);
      assertThat(monitor.state(web1).orElseThrow().reason()).isEqualTo("timeout after 3000ms");
      assertThat(monitor.state(web1).orElseThrow().latency()).hasMillis(3000);
      assertThat(transitionTimes()).containsExactly(t0 + 27_000);
      assertThat(prober.overlaps()).isEmpty();
    }
  }

  @Test
  void defaultsFindARefusedServerWithinOneSecond() {
    CheckedService service =
        service(
            "10.0.0.100",
            80,
            defaults(CheckType.TCP),
            FailureAction.REMOVE,
            destination("10.0.0.1", 80, 1));
    HealthCheckKey k = key(service, 0);
    AtomicLong failFrom = new AtomicLong(Long.MAX_VALUE);
    TestingProber prober =
        new TestingProber(
            clock, (x, now) -> now >= failFrom.get() ? Answer.refused() : Answer.up());
    try (HealthMonitor monitor = monitor(prober)) {
      monitor.update(List.of(service));
      long t0 = HealthMonitor.initialDelayMs(k, 500);
      clock.advanceTo(t0);
      failFrom.set(t0 + 1);
      clock.advanceTo(t0 + 1000);
      assertThat(transitionTimes()).containsExactly(t0 + 1000);
      assertThat(prober.probeTimes(k)).containsExactly(t0, t0 + 500, t0 + 1000);
      // rise 2: back after two successes, interval 500 apart
      failFrom.set(Long.MAX_VALUE);
      clock.advanceTo(t0 + 2000);
      assertThat(transitionTimes()).containsExactly(t0 + 1000, t0 + 2000);
    }
  }

  @Test
  void upUntilProvenDownBeforeTheFirstResult() {
    CheckedService service = reference();
    TestingProber prober = new TestingProber(clock, (k, now) -> Answer.refused());
    try (HealthMonitor monitor = monitor(prober)) {
      monitor.update(List.of(service));
      HealthState initial = monitor.state(key(service, 0)).orElseThrow();
      assertThat(initial.up()).isTrue();
      assertThat(initial.checked()).isFalse();
      assertThat(monitor.effectiveServices(List.of(service)).getFirst().service().destinations())
          .hasSize(2);
    }
  }

  @Test
  void sameServerAndCheckUsedByTwoServicesIsCheckedOnce() {
    var check = defaults(CheckType.HTTP_GET);
    CheckedService a =
        service("10.0.0.100", 80, check, FailureAction.REMOVE, destination("10.0.0.1", 80, 1));
    CheckedService b =
        service("10.0.0.101", 80, check, FailureAction.WEIGHT_ZERO, destination("10.0.0.1", 80, 5));
    CheckedService otherPort =
        service("10.0.0.102", 80, check, FailureAction.REMOVE, destination("10.0.0.1", 8080, 1));
    TestingProber prober = new TestingProber(clock, (k, now) -> Answer.refused());
    try (HealthMonitor monitor = monitor(prober)) {
      monitor.update(List.of(a, b, otherPort));
      assertThat(monitor.checkCount()).isEqualTo(2);
      clock.advanceTo(10_000);
      HealthCheckKey shared = key(a, 0);
      // one probe per 500 ms interval, not two
      assertThat(prober.probeTimes(shared)).hasSizeBetween(20, 21);
      List<EffectiveService> effective = monitor.effectiveServices(List.of(a, b, otherPort));
      assertThat(effective.get(0).service().destinations()).isEmpty();
      assertThat(effective.get(1).service().destinations())
          .singleElement()
          .satisfies(d -> assertThat(d.weight()).isZero());
      assertThat(effective.get(0).allDown()).isTrue();
    }
  }

  @Test
  void updateKeepsStateAndScheduleOfUnchangedChecksAndStopsRemovedOnes() {
    CheckedService service = reference();
    HealthCheckKey web1 = key(service, 0);
    HealthCheckKey web2 = key(service, 1);
    TestingProber prober =
        new TestingProber(clock, (k, now) -> k.equals(web1) ? Answer.refused() : Answer.up());
    try (HealthMonitor monitor = monitor(prober)) {
      monitor.update(List.of(service));
      clock.advanceTo(60_000);
      HealthState before = monitor.state(web1).orElseThrow();
      assertThat(before.health()).isEqualTo(ServerHealth.DOWN);
      List<Long> web1Probes = prober.probeTimes(web1);

      // Same services plus a new one, then the same again: web1 keeps its state and schedule.
      CheckedService extra =
          service(
              "172.20.1.101",
              443,
              defaults(CheckType.TCP),
              FailureAction.REMOVE,
              destination("172.20.1.12", 443, 1));
      monitor.update(List.of(service, extra));
      monitor.update(List.of(service, extra));
      assertThat(monitor.state(web1).orElseThrow()).isEqualTo(before);
      clock.advanceTo(72_000);
      List<Long> after = prober.probeTimes(web1);
      long last = web1Probes.getLast();
      assertThat(after.subList(web1Probes.size(), after.size()))
          .containsExactly(last + 6_000, last + 12_000)
          .allMatch(t -> t <= 72_000);

      // Drop web2 (the service now has web1 only): web2 is no longer probed.
      CheckedService onlyWeb1 =
          service(
              "172.20.1.100",
              80,
              keepalivedReference(),
              FailureAction.REMOVE,
              destination("172.20.1.10", 80, 1));
      monitor.update(List.of(onlyWeb1));
      int web2Probes = prober.probeTimes(web2).size();
      clock.advanceTo(200_000);
      assertThat(prober.probeTimes(web2)).hasSize(web2Probes);
      assertThat(monitor.state(web2)).isEmpty();
      assertThat(monitor.checkCount()).isEqualTo(1);
      assertThat(prober.overlaps()).isEmpty();
    }
  }

  @Test
  void changeStartsAndStopsOnlyWhatTheChangedServicesUseAndKeepsSharedChecks() {
    CheckedService web = reference(); // 172.20.1.10 and .11 on port 80
    CheckedService other =
        service(
            "172.20.1.101",
            80,
            keepalivedReference(),
            FailureAction.REMOVE,
            destination("172.20.1.10", 80, 1)); // shares the check of web's first server
    CheckedService otherEdited =
        service(
            "172.20.1.101",
            80,
            keepalivedReference(),
            FailureAction.REMOVE,
            destination("172.20.1.12", 80, 1));
    HealthCheckKey web1 = key(web, 0);
    HealthCheckKey rs12 = key(otherEdited, 0);
    TestingProber prober = new TestingProber(clock, (k, now) -> Answer.up());
    try (HealthMonitor monitor = monitor(prober)) {
      monitor.change(List.of(), List.of(web, other));
      assertThat(monitor.checkCount()).as("172.20.1.10 is checked once for both").isEqualTo(2);
      clock.advanceTo(20_000);
      HealthState web1Before = monitor.state(web1).orElseThrow();
      int web1Probes = prober.probeTimes(web1).size();

      monitor.change(List.of(other), List.of(otherEdited));

      assertThat(monitor.checkCount()).isEqualTo(3);
      assertThat(monitor.state(web1))
          .as("still used by web: kept, state and all")
          .contains(web1Before);
      assertThat(monitor.state(rs12)).isPresent();
      clock.advanceTo(40_000);
      assertThat(prober.probeTimes(web1).size())
          .as("its schedule went on, not restarted")
          .isBetween(web1Probes + 3, web1Probes + 4);

      monitor.change(List.of(web), List.of());
      assertThat(monitor.state(web1)).as("no service uses it any more").isEmpty();
      assertThat(monitor.state(key(web, 1))).isEmpty();
      assertThat(monitor.checkCount()).isEqualTo(1);
      assertThat(prober.overlaps()).isEmpty();
    }
  }

  @Test
  void probesOfOneServerNeverOverlapEvenWhenSlowerThanTheInterval() {
    var check = TestingServices.http("/", 100, 1000, 2, 2);
    CheckedService service =
        service("10.0.0.100", 80, check, FailureAction.REMOVE, destination("10.0.0.1", 80, 1));
    TestingProber prober = new TestingProber(clock, (k, now) -> new Answer(ProbeResult.ok(), 450));
    try (HealthMonitor monitor = monitor(prober)) {
      monitor.update(List.of(service));
      clock.advanceTo(10_000);
      List<Long> times = prober.probeTimes(key(service, 0));
      assertThat(prober.overlaps()).isEmpty();
      for (int i = 1; i < times.size(); i++) {
        assertThat(times.get(i) - times.get(i - 1)).isEqualTo(550);
      }
    }
  }

  @Test
  void firstProbesOfManyServersAreSpreadOverTheInterval() {
    List<CheckedService> services = new ArrayList<>();
    var check = TestingServices.http("/", 1000, 500, 2, 2);
    for (int i = 0; i < 2000; i++) {
      services.add(
          service(
              "10.1.0.1",
              80 + i % 2,
              check,
              FailureAction.REMOVE,
              destination("10.2." + (i / 250) + "." + (i % 250), 80, 1)));
    }
    TestingProber prober = new TestingProber(clock, (k, now) -> Answer.up());
    try (HealthMonitor monitor = monitor(prober)) {
      monitor.update(services);
      clock.advanceTo(999);
      List<Long> first = prober.probes().stream().map(TestingProber.Probe::startedAt).toList();
      assertThat(first).hasSize(2000);
      int[] buckets = new int[10];
      first.forEach(t -> buckets[(int) (t / 100)]++);
      // uniform would be 200 per 100 ms; no bucket holds more than twice that
      for (int count : buckets) {
        assertThat(count).isBetween(100, 400);
      }
    }
  }

  @Test
  void noneChecksRunNothingAndAreUp() {
    CheckedService service =
        service(
            "10.0.0.100",
            80,
            defaults(CheckType.NONE),
            FailureAction.REMOVE,
            destination("10.0.0.1", 80, 3));
    TestingProber prober = new TestingProber(clock, (k, now) -> Answer.refused());
    try (HealthMonitor monitor = monitor(prober)) {
      monitor.update(List.of(service));
      clock.advanceTo(10_000);
      assertThat(monitor.checkCount()).isZero();
      assertThat(prober.probes()).isEmpty();
      assertThat(monitor.effectiveServices(List.of(service)).getFirst().service().destinations())
          .singleElement()
          .satisfies(d -> assertThat(d.weight()).isEqualTo(3));
    }
  }

  @Test
  void invalidCheckIsRejectedNamingItAndNothingRunningChanges() {
    TestingProber prober = new TestingProber(clock, (k, now) -> Answer.up());
    try (HealthMonitor monitor = monitor(prober)) {
      monitor.update(List.of(reference()));
      var badStatus =
          TestingServices.check(CheckType.HTTP_GET).path("/").expectedStatus("2xx").build();
      CheckedService bad =
          service(
              "10.0.0.100", 8080, badStatus, FailureAction.REMOVE, destination("10.0.0.1", 80, 1));
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> monitor.update(List.of(bad)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "ipvsServices[0] 10.0.0.100:8080 real server 10.0.0.1:80:"
                  + " healthCheck.expectedStatus[0]: '2xx' is not a status code 100-599");
      assertThat(monitor.checkCount()).isEqualTo(2);
      CheckedService badAddress =
          service(
              "10.0.0.100",
              80,
              defaults(CheckType.TCP),
              FailureAction.REMOVE,
              destination("web-1", 80, 1));
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> monitor.update(List.of(reference(), badAddress)))
          .hasMessageEndingWith("address: web-1 is not an IP address");
      assertThat(monitor.checkCount()).isEqualTo(2);
    }
  }

  @Test
  void closeStopsEveryCheck() {
    TestingProber prober = new TestingProber(clock, (k, now) -> Answer.up());
    HealthMonitor monitor = monitor(prober);
    monitor.update(List.of(reference()));
    clock.advanceTo(20_000);
    monitor.close();
    int probes = prober.probes().size();
    clock.advanceTo(100_000);
    assertThat(prober.probes()).hasSize(probes);
  }
}
