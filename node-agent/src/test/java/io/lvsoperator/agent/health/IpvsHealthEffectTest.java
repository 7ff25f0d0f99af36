package io.lvsoperator.agent.health;

import static io.lvsoperator.agent.health.TestingServices.defaults;
import static io.lvsoperator.agent.health.TestingServices.destination;
import static io.lvsoperator.agent.health.TestingServices.drained;
import static io.lvsoperator.agent.health.TestingServices.service;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IpvsHealthEffectTest {

  private final Map<HealthCheckKey, HealthState> states = new HashMap<>();

  private void mark(CheckedService s, CheckedDestination d, ServerHealth health, String reason) {
    HealthCheckKey key = HealthCheckKey.of(s, d).orElseThrow();
    states.put(
        key, new HealthState(key, health, reason, Duration.ofMillis(1), 2, Instant.EPOCH, true));
  }

  private static String weights(EffectiveService e) {
    return e.service().destinations().stream()
        .map(d -> d.address() + "=" + d.weight())
        .reduce((a, b) -> a + "," + b)
        .orElse("");
  }

  @Test
  void upKeepsConfiguredWeightDownIsRemovedByDefault() {
    CheckedDestination a = destination("10.0.0.1", 80, 3);
    CheckedDestination b = destination("10.0.0.2", 80, 5);
    CheckedService s =
        service("10.0.0.100", 80, defaults(CheckType.HTTP_GET), FailureAction.REMOVE, a, b);
    mark(s, a, ServerHealth.UP, null);
    mark(s, b, ServerHealth.DOWN, "HTTP status 500");
    EffectiveService e = IpvsHealthEffect.apply(s, states);
    assertThat(weights(e)).isEqualTo("10.0.0.1=3");
    assertThat(e.allDown()).isFalse();
    assertThat(e.destinations().get(1))
        .isEqualTo(new DestinationEffect(b, ServerHealth.DOWN, "HTTP status 500", false, 0));
    // everything but the destinations is as configured
    assertThat(e.service().address()).isEqualTo("10.0.0.100");
    assertThat(e.service().healthCheck()).isEqualTo(s.healthCheck());
    assertThat(e.service().onFailure()).isEqualTo(s.onFailure());
  }

  @Test
  void weightZeroModeKeepsDownServersAtWeightZero() {
    CheckedDestination a = destination("10.0.0.1", 80, 3);
    CheckedDestination b = destination("10.0.0.2", 80, 5);
    CheckedService s =
        service("10.0.0.100", 80, defaults(CheckType.TCP), FailureAction.WEIGHT_ZERO, a, b);
    mark(s, b, ServerHealth.DOWN, "connection refused");
    EffectiveService e = IpvsHealthEffect.apply(s, states);
    assertThat(weights(e)).isEqualTo("10.0.0.1=3,10.0.0.2=0");
    assertThat(e.destinations().get(1).inIpvs()).isTrue();
  }

  @Test
  void drainIsWeightZeroWhateverTheCheckSays() {
    CheckedDestination up = drained("10.0.0.1", 80, 3);
    CheckedDestination down = drained("10.0.0.2", 80, 5);
    CheckedDestination normal = destination("10.0.0.3", 80, 7);
    CheckedService s =
        service("10.0.0.100", 80, defaults(CheckType.TCP), FailureAction.REMOVE, up, down, normal);
    mark(s, up, ServerHealth.UP, null);
    mark(s, down, ServerHealth.DOWN, "connection refused");
    EffectiveService e = IpvsHealthEffect.apply(s, states);
    assertThat(weights(e)).isEqualTo("10.0.0.1=0,10.0.0.2=0,10.0.0.3=7");
  }

  @Test
  void allDownLeavesTheServiceEmptyAndSaysSo() {
    CheckedDestination a = destination("10.0.0.1", 80, 3);
    CheckedDestination b = destination("10.0.0.2", 80, 5);
    CheckedService s =
        service("10.0.0.100", 80, defaults(CheckType.TCP), FailureAction.REMOVE, a, b);
    mark(s, a, ServerHealth.DOWN, "connection refused");
    mark(s, b, ServerHealth.DOWN, "timeout after 500ms");
    EffectiveService e = IpvsHealthEffect.apply(s, states);
    assertThat(e.service().destinations()).isEmpty();
    assertThat(e.allDown()).isTrue();
    assertThat(e.destinations())
        .extracting(DestinationEffect::reason)
        .containsExactly("connection refused", "timeout after 500ms");

    CheckedService empty = service("10.0.0.101", 80, defaults(CheckType.TCP), FailureAction.REMOVE);
    assertThat(IpvsHealthEffect.apply(empty, states).allDown()).isFalse();
  }

  @Test
  void noneAndUnknownChecksAreUp() {
    CheckedDestination a = destination("10.0.0.1", 80, 3);
    CheckedService none =
        service("10.0.0.100", 80, defaults(CheckType.NONE), FailureAction.REMOVE, a);
    CheckedService noCheck = service("10.0.0.101", 80, null, FailureAction.REMOVE, a);
    CheckedService unknown =
        service("10.0.0.102", 80, defaults(CheckType.TCP), FailureAction.REMOVE, a);
    List<EffectiveService> e = IpvsHealthEffect.apply(List.of(none, noCheck, unknown), Map.of());
    assertThat(e)
        .extracting(IpvsHealthEffectTest::weights)
        .containsExactly("10.0.0.1=3", "10.0.0.1=3", "10.0.0.1=3");
  }

  @Test
  void checkPortOverridesDestinationPortInTheKey() {
    var check = TestingServices.check(CheckType.HTTP_GET).path("/healthz").port(8080).build();
    CheckedDestination a = destination("10.0.0.1", 80, 3);
    CheckedDestination b = destination("10.0.0.1", 443, 3);
    CheckedService s = service("10.0.0.100", 80, check, FailureAction.REMOVE, a, b);
    assertThat(HealthCheckKey.of(s, a)).isEqualTo(HealthCheckKey.of(s, b));
    assertThat(HealthCheckKey.of(s, a).orElseThrow().port()).isEqualTo(8080);
    assertThat(HealthCheckKey.of(s, a).orElseThrow()).hasToString("HTTP_GET 10.0.0.1:8080/healthz");
  }
}
