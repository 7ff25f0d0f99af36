package io.lvsoperator.agent.health;

import io.lvsoperator.api.v1alpha1.Forwarding;
import io.lvsoperator.api.v1alpha1.HealthCheckType;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec.CompiledHealthCheck;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec.Destination;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec.IpvsService;
import io.lvsoperator.api.v1alpha1.OnFailure;
import io.lvsoperator.api.v1alpha1.Protocol;
import io.lvsoperator.api.v1alpha1.Scheduler;
import java.util.List;

/** Builders of compiled services and checks for health tests. */
final class TestingServices {

  private TestingServices() {}

  /**
   * The reference scenario's check: HTTP GET / expecting 200, delay_loop 6, connect_timeout 3,
   * retry 3, delay_before_retry 3; rise 1 as keepalived.
   */
  static CompiledHealthCheck keepalivedReference() {
    return new CompiledHealthCheck(
        HealthCheckType.HTTP_GET,
        "/",
        List.of("200"),
        null,
        null,
        null,
        null,
        6000,
        3000,
        3,
        3000,
        1,
        0);
  }

  /** A check with nothing set: every default applies. */
  static CompiledHealthCheck defaults(HealthCheckType type) {
    return new CompiledHealthCheck(
        type, null, List.of(), null, null, null, null, 0, 0, null, 0, 0, 0);
  }

  static CompiledHealthCheck http(
      String path, long intervalMs, long timeoutMs, int rise, int fall) {
    return new CompiledHealthCheck(
        HealthCheckType.HTTP_GET,
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

  static Destination destination(String address, int port, int weight) {
    return new Destination(address, port, weight, Forwarding.DR, false);
  }

  static Destination drained(String address, int port, int weight) {
    return new Destination(address, port, weight, Forwarding.DR, true);
  }

  static IpvsService service(
      String vip, int port, CompiledHealthCheck check, OnFailure onFailure, Destination... dests) {
    return new IpvsService(
        vip,
        port,
        Protocol.TCP,
        Scheduler.rr,
        0,
        null,
        "eth0-51",
        check,
        onFailure,
        List.of(dests));
  }
}
