package io.lvsoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** What the directors report of one real server. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RealServerStatus(
    @JsonPropertyDescription("The metadata.generation this status describes.")
        Long observedGeneration,
    @JsonPropertyDescription("Conditions: Healthy (passes its check on every director), Accepted.")
        List<Condition> conditions,
    @JsonPropertyDescription("Directors passing the check over directors checking, as \"2/2\".")
        String healthy,
    @JsonPropertyDescription("The last failure reason a director reported, if any.") String reason,
    @JsonPropertyDescription("The check result on each director.") List<DirectorHealth> directors) {

  /** The check result on one director. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DirectorHealth(
      @JsonPropertyDescription("Director node name.") String node,
      @JsonPropertyDescription("Whether the check passes there.") Boolean healthy,
      @JsonPropertyDescription("Why it fails, e.g. 'HTTP status 500' or 'connection refused'.")
          String reason,
      @JsonPropertyDescription("When the state last changed (RFC 3339).") String since) {}
}
