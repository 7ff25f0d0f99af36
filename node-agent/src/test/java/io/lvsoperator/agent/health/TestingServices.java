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
    return check(CheckType.HTTP_GET)
        .path("/")
        .expectedStatus("200")
        .intervalMs(6000)
        .timeoutMs(3000)
        .retry(3)
        .delayBeforeRetryMs(3000)
        .rise(1)
        .build();
  }

  /** A check with nothing set: every default applies. */
  static HealthCheck defaults(CheckType type) {
    return check(type).build();
  }

  static HealthCheck http(String path, long intervalMs, long timeoutMs, int rise, int fall) {
    return check(CheckType.HTTP_GET)
        .path(path)
        .intervalMs((int) intervalMs)
        .timeoutMs((int) timeoutMs)
        .rise(rise)
        .fall(fall)
        .build();
  }

  /** A check of {@code type} with nothing else set: every default applies. */
  static CheckBuilder check(CheckType type) {
    return new CheckBuilder(type);
  }

  /** {@link HealthCheck}: 13 fields, named one by one. */
  static final class CheckBuilder {
    private final CheckType type;
    private String path;
    private List<String> expectedStatus = List.of();
    private String host;
    private String bodyContains;
    private String caBundle;
    private Integer port;
    private int intervalMs;
    private int timeoutMs;
    private Integer retry;
    private int delayBeforeRetryMs;
    private int rise;
    private int fall;

    private CheckBuilder(CheckType type) {
      this.type = type;
    }

    CheckBuilder path(String path) {
      this.path = path;
      return this;
    }

    CheckBuilder expectedStatus(String... codes) {
      return expectedStatus(List.of(codes));
    }

    CheckBuilder expectedStatus(List<String> codes) {
      this.expectedStatus = codes;
      return this;
    }

    CheckBuilder host(String host) {
      this.host = host;
      return this;
    }

    CheckBuilder bodyContains(String bodyContains) {
      this.bodyContains = bodyContains;
      return this;
    }

    CheckBuilder caBundle(String caBundle) {
      this.caBundle = caBundle;
      return this;
    }

    CheckBuilder port(Integer port) {
      this.port = port;
      return this;
    }

    CheckBuilder intervalMs(int intervalMs) {
      this.intervalMs = intervalMs;
      return this;
    }

    CheckBuilder timeoutMs(int timeoutMs) {
      this.timeoutMs = timeoutMs;
      return this;
    }

    CheckBuilder retry(Integer retry) {
      this.retry = retry;
      return this;
    }

    CheckBuilder delayBeforeRetryMs(int delayBeforeRetryMs) {
      this.delayBeforeRetryMs = delayBeforeRetryMs;
      return this;
    }

    CheckBuilder rise(int rise) {
      this.rise = rise;
      return this;
    }

    CheckBuilder fall(int fall) {
      this.fall = fall;
      return this;
    }

    HealthCheck build() {
      return new HealthCheck(
          type,
          path,
          expectedStatus,
          host,
          bodyContains,
          caBundle,
          port,
          intervalMs,
          timeoutMs,
          retry,
          delayBeforeRetryMs,
          rise,
          fall);
    }
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
