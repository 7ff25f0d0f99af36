package io.lvsoperator.agent.process;

import io.lvsoperator.agent.health.ServerHealth;
import io.lvsoperator.agent.node.NodeAgent;
import io.lvsoperator.agent.node.ServiceQuorum;
import io.lvsoperator.agent.vrrp.VrrpState;
import io.lvsoperator.agent.vrrp.codec.ReceiveVerdict;
import io.lvsoperator.endpoints.EndpointServer;
import io.lvsoperator.endpoints.EndpointSettings;
import io.lvsoperator.endpoints.Response;
import java.io.IOException;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The agent's HTTP endpoints for the kubelet and Prometheus: {@code /healthz} (the process
 * answers), {@code /readyz} (the last spec was applied without error) and {@code /metrics}, on the
 * hardened {@link EndpointServer}. It binds before the agent touches the host ({@link #bind}), so a
 * port in use stops the start with nothing changed; the agent is attached once it exists.
 */
public final class AgentHttpServer implements AutoCloseable {
  private final EndpointServer server;
  private volatile NodeAgent agent;
  private volatile BooleanSupplier applied = () -> false;

  private AgentHttpServer(EndpointSettings settings) throws IOException {
    server =
        EndpointServer.start(
            "agent-http",
            settings,
            Map.of(
                "/healthz", () -> Response.text(200, "ok\n"),
                "/readyz", this::ready,
                "/metrics", () -> Response.metrics(metrics())));
  }

  /** Listens now; until {@link #attach}, {@code /readyz} says the agent is starting. */
  public static AgentHttpServer bind(EndpointSettings settings) throws IOException {
    return new AgentHttpServer(settings);
  }

  /** Serves {@code agent}; {@code applied} says whether a spec has been applied yet. */
  public void attach(NodeAgent agent, BooleanSupplier applied) {
    this.applied = applied;
    this.agent = agent;
  }

  private Response ready() {
    NodeAgent a = agent;
    if (a == null) {
      return Response.text(503, "starting\n");
    }
    String error = a.lastError();
    if (!applied.getAsBoolean()) {
      return Response.text(503, "no spec applied yet\n");
    }
    return error != null ? Response.text(503, error + "\n") : Response.text(200, "ok\n");
  }

  String metrics() {
    NodeAgent a = agent;
    StringBuilder m = new StringBuilder();
    m.append("# HELP lvs_agent_ready 1 when the last spec was applied without error.\n");
    m.append("# TYPE lvs_agent_ready gauge\n");
    m.append("lvs_agent_ready ")
        .append(a != null && applied.getAsBoolean() && a.lastError() == null ? 1 : 0)
        .append('\n');
    if (a == null) {
      return m.toString();
    }
    m.append("# HELP lvs_vrrp_state 1 for the state each VRRP instance is in.\n");
    m.append("# TYPE lvs_vrrp_state gauge\n");
    a.vrrp()
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
          .append(a.vrrp().verdictCount(v))
          .append('\n');
    }
    m.append("# HELP lvs_real_server_up 1 when the real server passes its check on this node.\n");
    m.append("# TYPE lvs_real_server_up gauge\n");
    for (var effective : a.effectiveServices()) {
      var s = effective.service();
      for (var d : effective.destinations()) {
        m.append("lvs_real_server_up{service=\"")
            .append(ServiceQuorum.name(s))
            .append("\",address=\"")
            .append(d.configured().address())
            .append("\",port=\"")
            .append(d.configured().port())
            .append("\"} ")
            .append(d.health() == ServerHealth.UP ? 1 : 0)
            .append('\n');
      }
    }
    m.append(
        "# HELP lvs_service_quorum_up 1 while the service's live real servers meet its quorum;"
            + " 0 while it is lost (the sorry server serves, if it has one).\n");
    m.append("# TYPE lvs_service_quorum_up gauge\n");
    for (var effective : agent.effectiveServices()) {
      m.append("lvs_service_quorum_up{service=\"")
          .append(ServiceQuorum.name(effective.service()))
          .append("\"} ")
          .append(effective.hasQuorum() ? 1 : 0)
          .append('\n');
    }
    FailoverMetrics.append(m, a);
    return m.toString();
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.close();
  }
}
