package io.lvsoperator.compiler;

import java.util.List;

/**
 * The compiler's verdict on one VrrpInstance.
 *
 * @param generation the metadata.generation examined
 * @param errors validation errors of that generation, and "nothing runs" when it has no address and
 *     no member; empty when it runs as it is
 * @param conflicts clashes with older objects (an address another instance holds, a VRID); a
 *     conflicting instance does not run, nor do its members
 * @param programmedGeneration the generation that runs (the last good one when the current is
 *     invalid), null when nothing of it runs
 * @param vrrpInstance the instance's name on the nodes ({@code <interface>-<vrid>}), when it runs
 * @param virtualRouterId its VRID, when it runs
 * @param directors its directors in priority order, when it runs
 * @param missingDirectors listed director nodes that do not exist
 * @param members the VirtualServers whose VIPs it carries, when it runs
 * @param advertisedAddresses how many addresses its adverts list (at most 255)
 * @param excludedAddresses how many it holds without advertising them
 * @param warnings fields that are valid but have no effect here (vrrp.notify outside standalone
 *     mode)
 * @param policyViolations what the TenantPolicies of its namespace refuse (as for {@link
 *     VirtualServerResult#policyViolations})
 */
public record VrrpInstanceResult(
    ObjectKey key,
    long generation,
    List<FieldError> errors,
    List<Conflict> conflicts,
    Long programmedGeneration,
    String vrrpInstance,
    Integer virtualRouterId,
    List<DirectorAssignment> directors,
    List<String> missingDirectors,
    List<ObjectKey> members,
    int advertisedAddresses,
    int excludedAddresses,
    List<FieldError> warnings,
    List<FieldError> policyViolations) {

  public VrrpInstanceResult {
    policyViolations = policyViolations == null ? List.of() : List.copyOf(policyViolations);
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
    errors = List.copyOf(errors);
    conflicts = List.copyOf(conflicts);
    directors = directors == null ? List.of() : List.copyOf(directors);
    missingDirectors = missingDirectors == null ? List.of() : List.copyOf(missingDirectors);
    members = members == null ? List.of() : List.copyOf(members);
  }

  /** Valid, without conflict, running at its current generation. */
  public boolean ok() {
    return errors.isEmpty()
        && conflicts.isEmpty()
        && programmedGeneration != null
        && programmedGeneration == generation;
  }
}
