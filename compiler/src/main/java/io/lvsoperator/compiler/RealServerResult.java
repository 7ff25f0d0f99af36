package io.lvsoperator.compiler;

import java.util.List;

/**
 * The compiler's verdict on one RealServer object: its errors, and the VirtualServers it serves.
 *
 * @param policyViolations what the TenantPolicies of its namespace refuse (also among {@code
 *     errors}: a refused RealServer serves nothing)
 */
public record RealServerResult(
    ObjectKey key,
    List<FieldError> errors,
    List<ObjectKey> virtualServers,
    List<FieldError> policyViolations) {
  public RealServerResult {
    errors = List.copyOf(errors);
    virtualServers = List.copyOf(virtualServers);
    policyViolations = policyViolations == null ? List.of() : List.copyOf(policyViolations);
  }

  /** Without policy violations. */
  public RealServerResult(ObjectKey key, List<FieldError> errors, List<ObjectKey> virtualServers) {
    this(key, errors, virtualServers, List.of());
  }
}
