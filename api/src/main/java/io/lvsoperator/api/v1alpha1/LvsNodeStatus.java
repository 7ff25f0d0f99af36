package io.lvsoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** What a node's agent reports of itself. Written only by that agent. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LvsNodeStatus(
    @JsonPropertyDescription("The LvsNode metadata.generation the agent has applied.")
        Long observedGeneration,
    @JsonPropertyDescription("Version of the agent.") String agentVersion,
    @JsonPropertyDescription("Last time the agent reported (RFC 3339).") String heartbeat,
    @JsonPropertyDescription("The last error applying the spec, empty when none.") String lastError,
    @JsonPropertyDescription("State of each VRRP instance.") List<VrrpInstanceStatus> vrrp,
    @JsonPropertyDescription("Result of each real-server check.") List<HealthStatus> health,
    @JsonPropertyDescription("Conditions: Ready, DataPlaneReady.") List<Condition> conditions,
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
        @JsonPropertyDescription(
            "IPVS services of this node below their quorum (keepalived: quorum, hysteresis);"
                + " empty when every service has it.")
        List<QuorumStatus> quorumLost) {

  public LvsNodeStatus {
    quorumLost = quorumLost == null ? List.of() : List.copyOf(quorumLost);
  }

  /** Without quorum reports. */
  public LvsNodeStatus(
      Long observedGeneration,
      String agentVersion,
      String heartbeat,
      String lastError,
      List<VrrpInstanceStatus> vrrp,
      List<HealthStatus> health,
      List<Condition> conditions) {
    this(observedGeneration, agentVersion, heartbeat, lastError, vrrp, health, conditions, null);
  }

  /** One IPVS service without quorum on this node. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record QuorumStatus(
      @JsonPropertyDescription("The service: 'address:port/protocol' or 'fwmark:N'.")
          String service,
      @JsonPropertyDescription("The VirtualServer (namespace/name) it comes from.") String source,
      @JsonPropertyDescription("Sum of the weights of its healthy, undrained real servers.")
          Integer liveWeight,
      @JsonPropertyDescription("The quorum it needs.") Integer quorum,
      @JsonPropertyDescription("Whether its sorry server serves in place of the real servers.")
          Boolean sorryServerActive,
      @JsonPropertyDescription("When quorum was lost (RFC 3339).") String since) {}

  /** One VRRP instance's state. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record VrrpInstanceStatus(
      @JsonPropertyDescription("Instance name.") String name,
      @JsonPropertyDescription("Virtual router id.") Integer virtualRouterId,
      @JsonPropertyDescription("INIT, BACKUP, MASTER or FAULT.") String state,
      @JsonPropertyDescription("Priority in use.") Integer priority,
      @JsonPropertyDescription("Address of the master last heard, if any.") String masterAddress,
      @JsonPropertyDescription("When the state last changed (RFC 3339).") String since) {}

  /** One real server's check result on this node. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record HealthStatus(
      @JsonPropertyDescription("Real server address.") String address,
      @JsonPropertyDescription("Real server port.") Integer port,
      @JsonPropertyDescription("Whether the real server is up.") Boolean healthy,
      @JsonPropertyDescription("Why it is down, if it is.") String reason,
      @JsonPropertyDescription("Latency of the last check in milliseconds.") Long latencyMs,
      @JsonPropertyDescription("When the state last changed (RFC 3339).") String since) {}
}
