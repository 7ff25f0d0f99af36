package io.lvsoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** What the operator observed of a VirtualServer, aggregated from the directors' agents. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VirtualServerStatus(
    @JsonPropertyDescription("The metadata.generation this status describes.")
        Long observedGeneration,
    @JsonPropertyDescription(
            "Conditions: Ready, Programmed (every director applied this generation), Degraded (a"
                + " director or real server is down), Conflict (VIP or VRID clash, naming the"
                + " other object), SplitBrain (two directors report MASTER).")
        List<Condition> conditions,
    @JsonPropertyDescription("The director node whose VRRP instance is MASTER, if any.")
        String master,
    @JsonPropertyDescription("The VRRP virtual router id in use (given or allocated).")
        Integer virtualRouterId,
    @JsonPropertyDescription("Each director's VRRP state and the generation it has programmed.")
        List<DirectorStatus> directors,
    @JsonPropertyDescription("Each real server and the directors on which its check passes.")
        List<RealServerHealth> realServers,
    @JsonPropertyDescription("Healthy real servers over all real servers, as \"2/2\".")
        String healthy,
    @JsonPropertyDescription("Number of real servers healthy on the master (or on any director).")
        Integer healthyCount,
    @JsonPropertyDescription("Number of real servers.") Integer totalCount,
    @JsonPropertyDescription(
            "The last generation that passed validation and its spec, as JSON"
                + " ({\"generation\": N, \"spec\": {...}}), written by the operator: a later"
                + " generation that fails validation runs as this one.")
        String lastGoodSpec) {

  /** Without a last good spec (a VirtualServer that has never been valid). */
  public VirtualServerStatus(
      Long observedGeneration,
      List<Condition> conditions,
      String master,
      Integer virtualRouterId,
      List<DirectorStatus> directors,
      List<RealServerHealth> realServers,
      String healthy,
      Integer healthyCount,
      Integer totalCount) {
    this(
        observedGeneration,
        conditions,
        master,
        virtualRouterId,
        directors,
        realServers,
        healthy,
        healthyCount,
        totalCount,
        null);
  }

  /** The same status with this last good spec. */
  public VirtualServerStatus withLastGoodSpec(String lastGoodSpec) {
    return new VirtualServerStatus(
        observedGeneration,
        conditions,
        master,
        virtualRouterId,
        directors,
        realServers,
        healthy,
        healthyCount,
        totalCount,
        lastGoodSpec);
  }

  /** One director's view. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DirectorStatus(
      @JsonPropertyDescription("Node name.") String node,
      @JsonPropertyDescription("VRRP priority assigned to this director.") Integer priority,
      @JsonPropertyDescription("INIT, BACKUP, MASTER, FAULT, or UNKNOWN when the agent is silent.")
          String vrrpState,
      @JsonPropertyDescription("The VirtualServer generation this director has programmed.")
          Long programmedGeneration) {}

  /** One real server's health across directors. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RealServerHealth(
      @JsonPropertyDescription("Address of the real server.") String address,
      @JsonPropertyDescription("Port of the real server.") Integer port,
      @JsonPropertyDescription("Directors on which the check passes.") List<String> healthyOn,
      @JsonPropertyDescription("Directors on which the check fails.") List<String> unhealthyOn,
      @JsonPropertyDescription("The last failure reason reported, if any.") String reason) {}
}
