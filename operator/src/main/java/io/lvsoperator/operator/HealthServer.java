package io.lvsoperator.operator;

import io.lvsoperator.endpoints.EndpointServer;
import io.lvsoperator.endpoints.EndpointSettings;
import io.lvsoperator.endpoints.Response;
import java.io.IOException;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * /healthz (liveness), /readyz (readiness) and /metrics (Prometheus) on one HTTP port, on the
 * hardened {@link EndpointServer} (timeouts, a connection cap, GET only, exact paths). It binds
 * when constructed: a port in use is an error before the operator starts.
 */
final class HealthServer implements AutoCloseable {
  private final EndpointServer server;

  HealthServer(
      EndpointSettings settings,
      BooleanSupplier live,
      BooleanSupplier ready,
      Supplier<String> metrics)
      throws IOException {
    server =
        EndpointServer.start(
            "operator-http",
            settings,
            Map.of(
                "/healthz", () -> probe(live),
                "/readyz", () -> probe(ready),
                "/metrics", () -> Response.metrics(metrics.get())));
  }

  int port() {
    return server.port();
  }

  private static Response probe(BooleanSupplier check) {
    boolean ok = check.getAsBoolean();
    return Response.text(ok ? 200 : 503, ok ? "ok\n" : "not ok\n");
  }

  @Override
  public void close() {
    server.close();
  }
}
