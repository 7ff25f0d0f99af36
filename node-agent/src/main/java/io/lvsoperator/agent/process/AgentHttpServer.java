package io.lvsoperator.agent.process;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.lvsoperator.agent.node.NodeAgent;
import io.lvsoperator.agent.vrrp.VrrpState;
import io.lvsoperator.agent.vrrp.codec.ReceiveVerdict;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The agent's HTTP endpoints for the kubelet and Prometheus: {@code /healthz} (the process
 * answers), {@code /readyz} (the last spec was applied without error) and {@code /metrics}.
 */
public final class AgentHttpServer implements AutoCloseable {
  private final HttpServer server;

  public AgentHttpServer(int port, NodeAgent agent, BooleanSupplier applied) throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 16);
    server.setExecutor(
        Executors.newSingleThreadExecutor(Thread.ofPlatform().name("http").daemon().factory()));
    server.createContext("/healthz", ex -> reply(ex, 200, "ok\n"));
    server.createContext(
        "/readyz",
        ex -> {
          String error = agent.lastError();
          if (!applied.getAsBoolean()) {
            reply(ex, 503, "no spec applied yet\n");
          } else if (error != null) {
            reply(ex, 503, error + "\n");
          } else {
            reply(ex, 200, "ok\n");
          }
        });
    server.createContext("/metrics", ex -> reply(ex, 200, metrics(agent, applied)));
    server.start();
  }

  static String metrics(NodeAgent agent, BooleanSupplier applied) {
    StringBuilder m = new StringBuilder();
    m.append("# HELP lvs_agent_ready 1 when the last spec was applied without error.\n");
    m.append("# TYPE lvs_agent_ready gauge\n");
    m.append("lvs_agent_ready ")
        .append(applied.getAsBoolean() && agent.lastError() == null ? 1 : 0)
        .append('\n');
    m.append("# HELP lvs_vrrp_state 1 for the state each VRRP instance is in.\n");
    m.append("# TYPE lvs_vrrp_state gauge\n");
    agent
        .vrrp()
        .states()
        .forEach(
            (instance, state) -> {
              for (VrrpState s : VrrpState.values()) {
                m.append("lvs_vrrp_state{instance=\"")
                    .append(instance)
                    .append("\",state=\"")
                    .append(s.name())
                    .append("\"} ")
                    .append(s == state ? 1 : 0)
                    .append('\n');
              }
            });
    m.append("# HELP lvs_vrrp_received_packets_total Received VRRP packets by verdict.\n");
    m.append("# TYPE lvs_vrrp_received_packets_total counter\n");
    for (ReceiveVerdict v : ReceiveVerdict.values()) {
      m.append("lvs_vrrp_received_packets_total{verdict=\"")
          .append(v.name())
          .append("\"} ")
          .append(agent.vrrp().verdictCount(v))
          .append('\n');
    }
    m.append("# HELP lvs_real_server_up 1 when the real server passes its check on this node.\n");
    m.append("# TYPE lvs_real_server_up gauge\n");
    for (var effective : agent.effectiveServices()) {
      var s = effective.service();
      for (var d : effective.destinations()) {
        m.append("lvs_real_server_up{service=\"")
            .append(s.address())
            .append(':')
            .append(s.port())
            .append('/')
            .append(s.protocol())
            .append("\",address=\"")
            .append(d.configured().address())
            .append("\",port=\"")
            .append(d.configured().port())
            .append("\"} ")
            .append(d.health() == io.lvsoperator.agent.health.ServerHealth.UP ? 1 : 0)
            .append('\n');
      }
    }
    FailoverMetrics.append(m, agent);
    return m.toString();
  }

  private static void reply(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
