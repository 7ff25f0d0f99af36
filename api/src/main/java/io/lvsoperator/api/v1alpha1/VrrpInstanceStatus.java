package io.lvsoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** What the operator observed of a VrrpInstance, aggregated from the directors' agents. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VrrpInstanceStatus(
    @JsonPropertyDescription("The metadata.generation this status describes.")
        Long observedGeneration,
    @JsonPropertyDescription(
            "The VRRP virtual router id in use (given or allocated); passed back to the compiler"
                + " so it stays when other objects come and go.")
        Integer virtualRouterId,
    @JsonPropertyDescription("The director node whose instance is MASTER, if any.") String master,
    @JsonPropertyDescription("Each director's priority and VRRP state.")
        List<VirtualServerStatus.DirectorStatus> directors,
    @JsonPropertyDescription("Number of addresses in the advertisements (at most 255).")
        Integer advertisedAddresses,
    @JsonPropertyDescription(
            "Number of addresses held but not advertised: excludedAddresses, and any beyond the"
                + " 255th.")
        Integer excludedAddresses,
    @JsonPropertyDescription("Names of the VirtualServers that joined this instance.")
        List<String> members,
    @JsonPropertyDescription(
            "Conditions: Ready, Programmed, Conflict (VIP or VRID clash, naming the other"
                + " object).")
        List<Condition> conditions,
    @JsonPropertyDescription(
            "The last generation that passed validation and its spec, as JSON"
                + " ({\"generation\": N, \"spec\": {...}}), written by the operator: a later"
                + " generation that fails validation runs as this one.")
        String lastGoodSpec) {

  /** Without a last good spec (an instance that has never been valid). */
  public VrrpInstanceStatus(
      Long observedGeneration,
      Integer virtualRouterId,
      String master,
      List<VirtualServerStatus.DirectorStatus> directors,
      Integer advertisedAddresses,
      Integer excludedAddresses,
      List<String> members,
      List<Condition> conditions) {
    this(
        observedGeneration,
        virtualRouterId,
        master,
        directors,
        advertisedAddresses,
        excludedAddresses,
        members,
        conditions,
        null);
  }

  /** The same status with this last good spec. */
  public VrrpInstanceStatus withLastGoodSpec(String lastGoodSpec) {
    return new VrrpInstanceStatus(
        observedGeneration,
        virtualRouterId,
        master,
        directors,
        advertisedAddresses,
        excludedAddresses,
        members,
        conditions,
        lastGoodSpec);
  }
}
