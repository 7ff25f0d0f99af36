package io.lvsoperator.testing.rbac;

import java.util.List;

/**
 * The smallest thing a grant allows: one verb on one resource (or subresource) of one API group,
 * for one resource name or any, or one verb on one non-resource URL; what "every grant is used" is
 * checked on, so a rule with seven verbs of which one is used still shows six unused permissions.
 */
public record Permission(
    Grant grant,
    String verb,
    String apiGroup,
    String resource,
    String resourceName,
    String nonResourceURL) {

  /** Whether {@code request} by {@code identity} is allowed by this permission alone. */
  public boolean usedBy(Identity identity, RequestAttributes request) {
    PolicyRule atom =
        nonResourceURL.isEmpty()
            ? PolicyRule.of(
                List.of(apiGroup),
                List.of(resource),
                List.of(verb),
                resourceName.isEmpty() ? List.of() : List.of(resourceName))
            : PolicyRule.nonResource(List.of(nonResourceURL), List.of(verb));
    return new Grant(grant.source(), grant.subject(), grant.namespace(), atom)
        .allows(identity, request);
  }

  /**
   * What it allows, without whom, where or which name: {@code update coordination.k8s.io/leases},
   * {@code get core/nodes}, {@code get /version}; the key of an excused permission.
   */
  public String action() {
    return nonResourceURL.isEmpty()
        ? verb + " " + (apiGroup.isEmpty() ? "core" : apiGroup) + "/" + resource
        : verb + " " + nonResourceURL;
  }

  @Override
  public String toString() {
    String what =
        nonResourceURL.isEmpty()
            ? verb
                + " "
                + (apiGroup.isEmpty() ? "core" : apiGroup)
                + "/"
                + resource
                + (resourceName.isEmpty() ? "" : " name=" + resourceName)
            : verb + " " + nonResourceURL;
    String scope = grant.namespace().isEmpty() ? "cluster-wide" : "in " + grant.namespace();
    return what + " for " + grant.subject() + " " + scope + " (" + grant.source() + ")";
  }
}
