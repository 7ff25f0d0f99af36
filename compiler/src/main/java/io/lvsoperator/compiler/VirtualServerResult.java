package io.lvsoperator.compiler;

import java.util.List;

/**
 * The compiler's verdict on one VirtualServer.
 *
 * @param generation the metadata.generation examined
 * @param errors validation errors of that generation; empty when it is valid
 * @param conflicts clashes with older objects; a conflicting VirtualServer is not programmed
 * @param programmedGeneration the generation that is compiled into the node specs: {@code
 *     generation} when valid, the last good generation when invalid but a last good version exists,
 *     null when nothing of it runs
 * @param vrrpInstance name of its VRRP instance, when programmed
 * @param virtualRouterId its VRID, when programmed
 * @param directors its directors in priority order, when programmed
 * @param missingDirectors listed director nodes that do not exist
 * @param realServers its real servers, when programmed
 * @param warnings fields that are valid but have no effect here (vrrp.notify outside standalone
 *     mode)
 * @param policyViolations what the TenantPolicies of its namespace refuse: of the current
 *     generation (also among {@code errors}, as it does not run), and of the last good one when
 *     that is refused too; empty when the policies allow it
 */
public record VirtualServerResult(
    ObjectKey key,
    long generation,
    List<FieldError> errors,
    List<Conflict> conflicts,
    Long programmedGeneration,
    String vrrpInstance,
    Integer virtualRouterId,
    List<DirectorAssignment> directors,
    List<String> missingDirectors,
    List<ResolvedRealServer> realServers,
    List<FieldError> warnings,
    List<FieldError> policyViolations) {

  public VirtualServerResult {
    policyViolations = policyViolations == null ? List.of() : List.copyOf(policyViolations);
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
    errors = List.copyOf(errors);
    conflicts = List.copyOf(conflicts);
    directors = directors == null ? List.of() : List.copyOf(directors);
    missingDirectors = missingDirectors == null ? List.of() : List.copyOf(missingDirectors);
    realServers = realServers == null ? List.of() : List.copyOf(realServers);
  }

  /** Without warnings. */
  public VirtualServerResult(
      ObjectKey key,
      long generation,
      List<FieldError> errors,
      List<Conflict> conflicts,
      Long programmedGeneration,
      String vrrpInstance,
      Integer virtualRouterId,
      List<DirectorAssignment> directors,
      List<String> missingDirectors,
      List<ResolvedRealServer> realServers) {
    this(
        key,
        generation,
        errors,
        conflicts,
        programmedGeneration,
        vrrpInstance,
        virtualRouterId,
        directors,
        missingDirectors,
        realServers,
        List.of(),
        List.of());
  }

  /** Valid, without conflict, and compiled at its current generation. */
  public boolean ok() {
    return errors.isEmpty()
        && conflicts.isEmpty()
        && programmedGeneration != null
        && programmedGeneration == generation;
  }
}
