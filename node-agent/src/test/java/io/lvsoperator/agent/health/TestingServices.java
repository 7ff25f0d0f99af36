package io.lvsoperator.agent.health;

import java.util.List;

/** Builders of services and checks for health tests. */
final class TestingServices {

  private TestingServices() {}

  /**
   * The reference scenario's check: HTTP GET / expecting 200, delay_loop 6, connect_timeout 3,
   * retry 3, delay_before_retry 3; rise 1 as keepalived.
   */
  static HealthCheck keepalivedReference() {
    return new HealthCheck(
        CheckType.HTTP_GET, "/", List.of("200"), null, null, null, null, 6000, 3000, 3, 3000, 1, 0);
  }

  /** A check with nothing set: every default applies. */
  static HealthCheck defaults(CheckType type) {
    return new HealthCheck(type, null, List.of(), null, null, null, null, 0, 0, null, 0, 0, 0);
  }

  static HealthCheck http(String path, long intervalMs, long timeoutMs, int rise, int fall) {
    return new HealthCheck(
        CheckType.HTTP_GET,
        path,
        List.of(),
        null,
        null,
        null,
        null,
        (int) intervalMs,
        (int) timeoutMs,
        null,
        0,
        rise,
        fall);
  }

  static CheckedDestination destination(String address, int port, int weight) {
    return new CheckedDestination(address, port, weight, false);
  }

  static CheckedDestination drained(String address, int port, int weight) {
    return new CheckedDestination(address, port, weight, true);
  }

  static CheckedService service(
      String vip,
      int port,
      HealthCheck check,
      FailureAction onFailure,
      CheckedDestination... dests) {
    return new CheckedService(vip, port, check, onFailure, List.of(dests));
  }
}
