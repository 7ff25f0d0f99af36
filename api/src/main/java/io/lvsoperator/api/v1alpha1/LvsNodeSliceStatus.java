package io.lvsoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * What the node's agent observes of the destinations in one slice: only those that are not healthy,
 * so a health change rewrites only the status of the slices that hold the destination.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LvsNodeSliceStatus(
    @JsonPropertyDescription("The slice's metadata.generation the agent has applied.")
        Long observedGeneration,
    @JsonPropertyDescription("Destinations whose checks fail.") List<Down> down,
    @JsonPropertyDescription("Destinations not decided yet (no check result so far).")
        List<Pending> pending,
    @JsonPropertyDescription(
            "Destinations left out of down and pending so that the status stays under 64 KiB;"
                + " absent when none.")
        Integer omitted) {

  /** A destination that is down. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Down(
      @JsonPropertyDescription("Real server address.") String address,
      @JsonPropertyDescription("Real server port.") Integer port,
      @JsonPropertyDescription("Why the check fails.") String reason,
      @JsonPropertyDescription("Since when (RFC 3339).") String since) {}

  /** A destination without a verdict yet. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Pending(
      @JsonPropertyDescription("Real server address.") String address,
      @JsonPropertyDescription("Real server port.") Integer port) {}
}
