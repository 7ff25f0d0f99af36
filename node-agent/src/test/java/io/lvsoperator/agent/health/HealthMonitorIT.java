package io.lvsoperator.agent.health;

import static io.lvsoperator.agent.health.TestingServices.destination;
import static io.lvsoperator.agent.health.TestingServices.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.lvsoperator.api.v1alpha1.HealthCheckType;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec.CompiledHealthCheck;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec.IpvsService;
import io.lvsoperator.api.v1alpha1.OnFailure;
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

  private static IpvsService serviceFor(int port, int intervalMs, int rise, int fall) {
    CompiledHealthCheck check =
        new CompiledHealthCheck(
            HealthCheckType.HTTP_GET,
            "/",
            List.of("200"),
            null,
            null,
            null,
            null,
            intervalMs,
            2000,
            null,
            0,
            rise,
            fall);
    return service("10.0.0.100", 80, check, OnFailure.REMOVE, destination("127.0.0.1", port, 4));
  }

  @Test
  void goesDownAfterFallFailuresAndRecoversAfterRiseSuccesses() throws IOException {
    int port = startServer();
    IpvsService service = serviceFor(port, 50, 3, 2);
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
   * A server flapping every 100 ms, checked every 50 ms: no three results in a row agree, so with
   * rise = fall = 3 the state does not follow the flapping, while rise = fall = 1 flips with it.
   */
  @Test
  void flappingServerChangesStateOnlyAsRiseAndFallAllow() throws Exception {
    int port = startServer();
    long t0 = System.nanoTime();
    status = () -> ((System.nanoTime() - t0) / 100_000_000L) % 2 == 0 ? 200 : 500;

    int damped = transitionsOver(serviceFor(port, 50, 3, 3), Duration.ofSeconds(2));
    int raw = transitionsOver(serviceFor(port, 50, 1, 1), Duration.ofSeconds(2));
    int results = events.size();

    assertThat(raw).as("rise=fall=1 follows the flapping").isGreaterThanOrEqualTo(8);
    assertThat(damped).as("rise=fall=3 transitions").isLessThanOrEqualTo(2);
    assertThat(results).as("results seen").isGreaterThanOrEqualTo(10);
  }

  private int transitionsOver(IpvsService service, Duration duration) throws InterruptedException {
    List<HealthEvent> seen = new CopyOnWriteArrayList<>();
    try (HealthMonitor monitor =
        HealthMonitor.withNetty(
            e -> {
              seen.add(e);
              events.add(e);
            })) {
      monitor.update(List.of(service));
      Thread.sleep(duration.toMillis());
    }
    return (int) seen.stream().filter(HealthEvent::transition).count();
  }
}
