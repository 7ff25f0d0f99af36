package io.lvsoperator.agent.process;

import io.lvsoperator.agent.ipvs.SyncDaemon;
import io.lvsoperator.agent.node.ConnectionSyncFollower;
import io.lvsoperator.agent.node.NodeAgent;
import io.lvsoperator.agent.vrrp.VrrpStatistics;
import java.util.Locale;

/**
 * The failover part of the agent's {@code /metrics} (Prometheus text): VRRP transitions by
 * instance, from, to and reason; failover durations; the IPVS connection sync daemons; connection
 * entries by origin.
 */
final class FailoverMetrics {
  private FailoverMetrics() {}

  static void append(StringBuilder m, NodeAgent agent) {
    VrrpStatistics stats = agent.vrrp().statistics();
    m.append(
        "# HELP lvs_vrrp_transitions_total VRRP state changes by instance, from, to, reason.\n");
    m.append("# TYPE lvs_vrrp_transitions_total counter\n");
    stats
        .transitions()
        .forEach(
            (k, n) ->
                m.append("lvs_vrrp_transitions_total{instance=\"")
                    .append(k.instance())
                    .append("\",from=\"")
                    .append(k.from())
                    .append("\",to=\"")
                    .append(k.to())
                    .append("\",reason=\"")
                    .append(k.reason())
                    .append("\"} ")
                    .append(n)
                    .append('\n'));
    m.append(
        "# HELP lvs_vrrp_failover_seconds Taking over from a master: its last advert heard to this"
            + " node's VIPs added.\n");
    m.append("# TYPE lvs_vrrp_failover_seconds histogram\n");
    stats
        .failovers()
        .forEach(
            (instance, h) -> {
              for (int i = 0; i < VrrpStatistics.FAILOVER_BUCKETS.size(); i++) {
                bucket(m, instance, format(VrrpStatistics.FAILOVER_BUCKETS.get(i)), h.buckets()[i]);
              }
              bucket(m, instance, "+Inf", h.count());
              m.append("lvs_vrrp_failover_seconds_sum{instance=\"")
                  .append(instance)
                  .append("\"} ")
                  .append(format(h.sumSeconds()))
                  .append('\n');
              m.append("lvs_vrrp_failover_seconds_count{instance=\"")
                  .append(instance)
                  .append("\"} ")
                  .append(h.count())
                  .append('\n');
            });
    ConnectionSyncFollower sync = agent.connectionSync();
    ConnectionSyncFollower.Snapshot s = sync.snapshot();
    if (s.wanted() == null && s.running().isEmpty()) {
      return; // no connection sync on this node: the kernel is not asked
    }
    m.append(
        "# HELP lvs_ipvs_sync_daemon 1 for each IPVS connection sync daemon running in the kernel"
            + " (role master or backup), as last read.\n");
    m.append("# TYPE lvs_ipvs_sync_daemon gauge\n");
    for (SyncDaemon d : s.running()) {
      m.append("lvs_ipvs_sync_daemon{role=\"")
          .append(d.role())
          .append("\",interface=\"")
          .append(d.interfaceName())
          .append("\",sync_id=\"")
          .append(d.syncId())
          .append("\",instance=\"")
          .append(s.wanted() != null && s.wanted().owns(d) ? s.wanted().instance() : "")
          .append("\"} 1\n");
    }
    m.append(
        "# HELP lvs_ipvs_sync_daemon_failures_total Attempts to bring the sync daemon in line that"
            + " failed.\n");
    m.append("# TYPE lvs_ipvs_sync_daemon_failures_total counter\n");
    m.append("lvs_ipvs_sync_daemon_failures_total ").append(s.failures()).append('\n');
    sync.connections()
        .ifPresent(
            c -> {
              m.append(
                  "# HELP lvs_ipvs_connections IPVS connection entries on this node by origin"
                      + " (synced: received from the master's sync daemon).\n");
              m.append("# TYPE lvs_ipvs_connections gauge\n");
              m.append("lvs_ipvs_connections{origin=\"local\"} ").append(c.local()).append('\n');
              m.append("lvs_ipvs_connections{origin=\"synced\"} ").append(c.synced()).append('\n');
            });
  }

  private static void bucket(StringBuilder m, String instance, String le, long n) {
    m.append("lvs_vrrp_failover_seconds_bucket{instance=\"")
        .append(instance)
        .append("\",le=\"")
        .append(le)
        .append("\"} ")
        .append(n)
        .append('\n');
  }

  private static String format(double seconds) {
    String s = String.format(Locale.ROOT, "%.6f", seconds);
    return s.replaceAll("0+$", "").replaceAll("\\.$", ".0");
  }
}
