package io.lvsoperator.operator;

import io.fabric8.kubernetes.api.model.Node;
import io.lvsoperator.api.v1alpha1.LvsNode;
import io.lvsoperator.api.v1alpha1.LvsNodeSlice;
import io.lvsoperator.api.v1alpha1.LvsNodeStatus;
import io.lvsoperator.compiler.ObjectKey;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What is known of one director node: whether the Node exists and is Ready, and what its agent last
 * reported in its LvsNode status. Observing only; nothing here writes.
 *
 * @param node the node name
 * @param lvsNode its LvsNode as last written or seen, null when none exists
 * @param exists the Node object exists
 * @param ready the Node's Ready condition is True
 * @param silent the agent has not reported within the silence limit (or the node is gone or
 *     NotReady), so its reported VRRP state and health results are not trusted
 * @param report the LvsNode's status indexed for lookups
 * @param slices what the agent reports in the status of the node's slices
 */
record DirectorObservation(
    String node,
    LvsNode lvsNode,
    boolean exists,
    boolean ready,
    boolean silent,
    AgentReport report,
    SliceReport slices) {

  static DirectorObservation of(
      String name,
      LvsNode lvsNode,
      List<LvsNodeSlice> slices,
      Node node,
      Instant now,
      Duration silenceLimit) {
    return of(
        name, lvsNode, AgentReport.of(lvsNode), SliceReport.of(slices), node, now, silenceLimit);
  }

  static DirectorObservation of(
      String name,
      LvsNode lvsNode,
      AgentReport report,
      SliceReport slices,
      Node node,
      Instant now,
      Duration silenceLimit) {
    boolean exists = node != null;
    boolean ready = exists && isReady(node);
    boolean silent =
        !ready || status(lvsNode) == null || heartbeatTooOld(lvsNode, now, silenceLimit);
    return new DirectorObservation(name, lvsNode, exists, ready, silent, report, slices);
  }

  static boolean isReady(Node node) {
    if (node == null || node.getStatus() == null || node.getStatus().getConditions() == null) {
      return false;
    }
    return node.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static LvsNodeStatus status(LvsNode lvsNode) {
    return lvsNode == null ? null : lvsNode.getStatus();
  }

  private static boolean heartbeatTooOld(LvsNode lvsNode, Instant now, Duration limit) {
    String heartbeat = lvsNode.getStatus().heartbeat();
    if (heartbeat == null || heartbeat.isEmpty()) {
      return false; // an agent that does not heartbeat is judged by node readiness alone
    }
    try {
      return Instant.parse(heartbeat).plus(limit).isBefore(now);
    } catch (DateTimeParseException e) {
      return true;
    }
  }

  /** The reported state of a VRRP instance: INIT, BACKUP, MASTER, FAULT, or UNKNOWN. */
  String vrrpState(String instance) {
    if (silent || instance == null) {
      return "UNKNOWN";
    }
    LvsNodeStatus.VrrpInstanceStatus v = report.vrrp().get(instance);
    return v == null || v.state() == null ? "UNKNOWN" : v.state();
  }

  /** When the agent last reported, if it says. */
  Optional<Instant> heartbeat() {
    if (lvsNode == null || lvsNode.getStatus() == null) {
      return Optional.empty();
    }
    return instant(lvsNode.getStatus().heartbeat());
  }

  /** When the instance entered its reported state, if the agent says. */
  Optional<Instant> stateSince(String instance) {
    if (silent || instance == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(report.vrrp().get(instance)).flatMap(v -> instant(v.since()));
  }

  private static Optional<Instant> instant(String text) {
    if (text == null || text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * The agent has applied the head's current spec, the LvsNode's (status.observedGeneration
   * matches).
   */
  boolean appliedCurrentSpec() {
    return lvsNode != null
        && lvsNode.getStatus() != null
        && lvsNode.getStatus().observedGeneration() != null
        && lvsNode.getMetadata().getGeneration() != null
        && lvsNode.getStatus().observedGeneration().equals(lvsNode.getMetadata().getGeneration());
  }

  /**
   * The generation of a VirtualServer the agent has applied: its current head applied, and a slice
   * it has applied holding the VirtualServer at that generation.
   */
  Optional<Long> appliedGeneration(ObjectKey key) {
    return appliedCurrentSpec() ? slices.appliedGeneration(key) : Optional.empty();
  }

  /**
   * A destination of a VirtualServer as the agent reports it in the slice holding it (healthy, down
   * with its reason and since when, or empty: unknown), unless the agent is silent.
   */
  Optional<LvsNodeStatus.HealthStatus> health(ObjectKey virtualServer, String address, int port) {
    if (silent) {
      return Optional.empty();
    }
    return slices
        .destination(virtualServer, address, port)
        .map(
            v ->
                new LvsNodeStatus.HealthStatus(
                    address, port, v.healthy(), v.reason(), null, v.since()));
  }

  /** Observed LvsNode metadata.generation and applied generation, for messages. */
  String appliedDescription() {
    if (lvsNode == null) {
      return "no LvsNode";
    }
    Long applied = lvsNode.getStatus() == null ? null : lvsNode.getStatus().observedGeneration();
    return "applied LvsNode generation "
        + (applied == null ? "none" : applied)
        + " of "
        + lvsNode.getMetadata().getGeneration();
  }

  /** What the agent has applied of the head and of the slices holding a VirtualServer. */
  String appliedDescription(ObjectKey virtualServer) {
    if (!appliedCurrentSpec()) {
      return appliedDescription();
    }
    return slices.describe(virtualServer);
  }

  /**
   * One LvsNode's VRRP states by instance name, so that a status needs lookups, not scans. Built
   * once per LvsNode resourceVersion ({@link AgentReports}).
   */
  record AgentReport(Map<String, LvsNodeStatus.VrrpInstanceStatus> vrrp) {
    static final AgentReport NONE = new AgentReport(Map.of());

    static AgentReport of(LvsNode lvsNode) {
      if (lvsNode == null) {
        return NONE;
      }
      Map<String, LvsNodeStatus.VrrpInstanceStatus> vrrp = new HashMap<>();
      LvsNodeStatus status = lvsNode.getStatus();
      if (status != null && status.vrrp() != null) {
        for (LvsNodeStatus.VrrpInstanceStatus v : status.vrrp()) {
          if (v.name() != null && v.state() != null) {
            vrrp.putIfAbsent(v.name(), v);
          }
        }
      }
      return new AgentReport(Map.copyOf(vrrp));
    }
  }
}
