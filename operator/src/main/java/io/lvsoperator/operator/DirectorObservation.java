package io.lvsoperator.operator;

import io.fabric8.kubernetes.api.model.Node;
import io.lvsoperator.api.v1alpha1.LvsNode;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.api.v1alpha1.LvsNodeStatus;
import io.lvsoperator.compiler.ObjectKey;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
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
 */
record DirectorObservation(
    String node, LvsNode lvsNode, boolean exists, boolean ready, boolean silent) {

  static DirectorObservation of(
      String name, LvsNode lvsNode, Node node, Instant now, Duration silenceLimit) {
    boolean exists = node != null;
    boolean ready = exists && isReady(node);
    boolean silent =
        !ready || status(lvsNode) == null || heartbeatTooOld(lvsNode, now, silenceLimit);
    return new DirectorObservation(name, lvsNode, exists, ready, silent);
  }

  static boolean isReady(Node node) {
    if (node.getStatus() == null || node.getStatus().getConditions() == null) {
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
    var vrrp = lvsNode.getStatus().vrrp();
    if (vrrp == null) {
      return "UNKNOWN";
    }
    return vrrp.stream()
        .filter(v -> instance.equals(v.name()))
        .map(LvsNodeStatus.VrrpInstanceStatus::state)
        .filter(Objects::nonNull)
        .findFirst()
        .orElse("UNKNOWN");
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
    if (silent || instance == null || lvsNode.getStatus().vrrp() == null) {
      return Optional.empty();
    }
    return lvsNode.getStatus().vrrp().stream()
        .filter(v -> instance.equals(v.name()))
        .findFirst()
        .flatMap(v -> instant(v.since()));
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

  /** The agent has applied the LvsNode's current spec (status.observedGeneration matches). */
  boolean appliedCurrentSpec() {
    return lvsNode != null
        && lvsNode.getStatus() != null
        && lvsNode.getStatus().observedGeneration() != null
        && lvsNode.getMetadata().getGeneration() != null
        && lvsNode.getStatus().observedGeneration().equals(lvsNode.getMetadata().getGeneration());
  }

  /** The generation of a VirtualServer that the LvsNode's spec carries, if any. */
  Optional<Long> sourceGeneration(ObjectKey key) {
    if (lvsNode == null || lvsNode.getSpec() == null) {
      return Optional.empty();
    }
    return lvsNode.getSpec().sources().stream()
        .filter(s -> key.equals(new ObjectKey(s.namespace(), s.name())))
        .map(LvsNodeSpec.Source::generation)
        .findFirst();
  }

  /** The check result reported for a real server, unless the agent is silent. */
  Optional<LvsNodeStatus.HealthStatus> health(String address, int port) {
    if (silent || lvsNode.getStatus().health() == null) {
      return Optional.empty();
    }
    return lvsNode.getStatus().health().stream()
        .filter(h -> address.equals(h.address()) && h.port() != null && h.port() == port)
        .filter(h -> h.healthy() != null)
        .findFirst();
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
}
