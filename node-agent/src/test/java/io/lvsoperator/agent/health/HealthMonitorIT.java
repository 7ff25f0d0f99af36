package io.lvsoperator.agent.health;

import static io.lvsoperator.agent.health.TestingServices.destination;
import static io.lvsoperator.agent.health.TestingServices.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The whole monitor (Netty probes, event loop timers) against a real server on loopback. */
class HealthMonitorIT {

  private HttpServer server;
  private volatile IntSupplier status = () -> 200;
  private final List<HealthEvent> events = new CopyOnWriteArrayList<>();

  private int startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.createContext(
        "/",
        ex -> {
          byte[] body = "ok".getBytes();
          ex.sendResponseHeaders(status.getAsInt(), body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    return server.getAddress().getPort();
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static CheckedService serviceFor(int port, int intervalMs, int rise, int fall) {
    HealthCheck check =
        TestingServices.check(CheckType.HTTP_GET)
            .path("/")
            .expectedStatus("200")
            .intervalMs(intervalMs)
            .timeoutMs(2000)
            .rise(rise)
            .fall(fall)
            .build();
    return service(
        "10.0.0.100", 80, check, FailureAction.REMOVE, destination("127.0.0.1", port, 4));
  }

  @Test
  void goesDownAfterFallFailuresAndRecoversAfterRiseSuccesses() throws IOException {
    int port = startServer();
    CheckedService service = serviceFor(port, 50, 3, 2);
    HealthCheckKey key =
        HealthCheckKey.of(service, service.destinations().getFirst()).orElseThrow();
    try (HealthMonitor monitor = HealthMonitor.withNetty(events::add)) {
      monitor.update(List.of(service));
      await().atMost(Duration.ofSeconds(10)).until(() -> !events.isEmpty());
      assertThat(monitor.effectiveServices(List.of(service)).getFirst().service().destinations())
          .hasSize(1);

      status = () -> 500;
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> monitor.state(key).orElseThrow().health() == ServerHealth.DOWN);
      HealthEvent down = events.stream().filter(HealthEvent::transition).findFirst().orElseThrow();
      assertThat(down.health()).isEqualTo(ServerHealth.DOWN);
      assertThat(down.reason()).isEqualTo("HTTP status 500");
      assertThat(down.consecutive()).isEqualTo(2);
      assertThat(down.key()).isEqualTo(key);
      EffectiveService effective = monitor.effectiveServices(List.of(service)).getFirst();
      assertThat(effective.service().destinations()).isEmpty();
      assertThat(effective.allDown()).isTrue();

      events.clear();
      status = () -> 200;
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> monitor.state(key).orElseThrow().health() == ServerHealth.UP);
      // exactly rise (3) successes: two still DOWN, the third brings it UP
      List<HealthEvent> successes = events.stream().filter(e -> e.reason() == null).toList();
      assertThat(successes).hasSizeGreaterThanOrEqualTo(3);
      assertThat(successes.subList(0, 3))
          .extracting(HealthEvent::health, HealthEvent::consecutive, HealthEvent::transition)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(ServerHealth.DOWN, 1, false),
              org.assertj.core.groups.Tuple.tuple(ServerHealth.DOWN, 2, false),
              org.assertj.core.groups.Tuple.tuple(ServerHealth.UP, 3, true));
      assertThat(successes.get(2).latency()).isNotNull();
      assertThat(monitor.effectiveServices(List.of(service)).getFirst().service().destinations())
          .singleElement()
          .satisfies(d -> assertThat(d.weight()).isEqualTo(4));
    }
  }

  /**
   * A server flapping every 100 ms, checked every 50 ms. Oracle: the results, in order, replayed
   * through a plain count of runs (not CheckStateMachine): the monitor must change state exactly
   * where that count says, at most once per three results with rise = fall = 3, and on every flip
   * with rise = fall = 1.
   */
  @Test
  void flappingServerChangesStateOnlyAsRiseAndFallAllow() throws Exception {
    int port = startServer();
    long t0 = System.nanoTime();
    status = () -> ((System.nanoTime() - t0) / 100_000_000L) % 2 == 0 ? 200 : 500;

    List<HealthEvent> damped = run(serviceFor(port, 50, 3, 3), 30);
    List<Boolean> results = damped.stream().map(e -> e.reason() == null).toList();

    int serverFlips = 0;
    for (int i = 1; i < results.size(); i++) {
      serverFlips += results.get(i).equals(results.get(i - 1)) ? 0 : 1;
    }
    long transitions = damped.stream().filter(HealthEvent::transition).count();
    assertThat(serverFlips).as("the server flapped").isGreaterThanOrEqualTo(5);
    assertThat(transitions).isEqualTo(expectedTransitions(results, 3, 3));
    assertThat(transitions).isLessThanOrEqualTo(results.size() / 3);

    List<HealthEvent> raw = run(serviceFor(port, 50, 1, 1), 30);
    List<Boolean> rawResults = raw.stream().map(e -> e.reason() == null).toList();
    assertThat(raw.stream().filter(HealthEvent::transition).count())
        .as("rise = fall = 1 follows every flip")
        .isEqualTo(expectedTransitions(rawResults, 1, 1))
        .isGreaterThanOrEqualTo(5);
  }

  /** Independent of CheckStateMachine: start up, flip after `fall`/`rise` agreeing results. */
  private static long expectedTransitions(List<Boolean> results, int rise, int fall) {
    boolean up = true;
    int run = 0;
    Boolean last = null;
    long transitions = 0;
    for (Boolean ok : results) {
      run = ok.equals(last) ? run + 1 : 1;
      last = ok;
      if (up && !ok && run >= fall) {
        up = false;
        transitions++;
      } else if (!up && ok && run >= rise) {
        up = true;
        transitions++;
      }
    }
    return transitions;
  }

  /** Runs a monitor on the service until it has produced {@code results} results. */
  private List<HealthEvent> run(CheckedService service, int results) {
    List<HealthEvent> seen = new CopyOnWriteArrayList<>();
    try (HealthMonitor monitor = HealthMonitor.withNetty(seen::add)) {
      monitor.update(List.of(service));
      await().atMost(Duration.ofSeconds(60)).until(() -> seen.size() >= results);
    }
    return List.copyOf(seen);
  }
}
