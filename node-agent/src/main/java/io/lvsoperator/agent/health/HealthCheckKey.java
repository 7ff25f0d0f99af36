package io.lvsoperator.agent.health;

import java.util.Objects;
import java.util.Optional;

/**
 * What is checked: an address, the port probed and the whole check definition. Services whose
 * destinations have equal keys share one check (keepalived checks the same server once per virtual
 * server; we check it once).
 *
 * @param address the real server's address, as configured
 * @param port the port probed: the check's own port when set, else the destination's
 * @param check the check definition, timing included
 */
public record HealthCheckKey(String address, int port, HealthCheck check) {

  public HealthCheckKey {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(check, "check");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("healthCheck port: " + port + " is not a port");
    }
    if (check.type() == null || check.type() == CheckType.NONE) {
      throw new IllegalArgumentException("healthCheck.type: " + check.type() + " is not checked");
    }
  }

  /**
   * The check of one destination of a service, or empty when the service's check type is NONE (or
   * absent): such destinations are always up.
   */
  public static Optional<HealthCheckKey> of(
      CheckedService service, CheckedDestination destination) {
    HealthCheck check = service.healthCheck();
    if (check == null || check.type() == null || check.type() == CheckType.NONE) {
      return Optional.empty();
    }
    int port = check.port() != null ? check.port() : destination.port();
    return Optional.of(new HealthCheckKey(destination.address(), port, check));
  }

  /** Short form for logs and events: {@code HTTP_GET 10.0.0.1:80/healthz}. */
  @Override
  public String toString() {
    String where = address.indexOf(':') >= 0 ? "[" + address + "]:" + port : address + ":" + port;
    String path = check.type() == CheckType.TCP ? "" : (check.path() == null ? "/" : check.path());
    return check.type() + " " + where + path;
  }
}
