package io.lvsoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** What the operator made of an AddressPool. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AddressPoolStatus(
    @JsonPropertyDescription("The metadata.generation this status describes.")
        Long observedGeneration,
    @JsonPropertyDescription("Number of addresses in spec.addresses.") Long addresses,
    @JsonPropertyDescription("Number of addresses handed out to Services.") Integer allocated,
    @JsonPropertyDescription(
            "The VrrpInstance of each namespace with Services on this pool, and how many.")
        List<NamespaceInstance> instances,
    @JsonPropertyDescription(
            "Conditions: Accepted (False with InvalidSpec or Overlap naming the field, the value"
                + " and the other pool).")
        List<Condition> conditions) {

  /** The VrrpInstance that carries a namespace's addresses from this pool. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record NamespaceInstance(
      @JsonPropertyDescription("The namespace.") String namespace,
      @JsonPropertyDescription("Name of the VrrpInstance there.") String vrrpInstance,
      @JsonPropertyDescription("Services of that namespace holding an address of this pool.")
          Integer services) {}
}
