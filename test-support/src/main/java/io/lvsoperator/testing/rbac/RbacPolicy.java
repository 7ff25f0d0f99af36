package io.lvsoperator.testing.rbac;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A set of grants, and the decision Kubernetes' RBAC authorizer makes with them: a request is
 * allowed when some grant to a subject matching its identity, in scope, allows it; otherwise it is
 * denied (RBAC has no deny rules).
 */
public record RbacPolicy(List<Grant> grants) {

  public RbacPolicy {
    grants = List.copyOf(grants);
  }

  public RbacPolicy plus(RbacPolicy other) {
    return new RbacPolicy(Stream.concat(grants.stream(), other.grants.stream()).toList());
  }

  /** The grants that allow the request; empty when it is denied. */
  public List<Grant> allowing(Identity identity, RequestAttributes request) {
    return grants.stream().filter(g -> g.allows(identity, request)).toList();
  }

  public boolean allows(Identity identity, RequestAttributes request) {
    return grants.stream().anyMatch(g -> g.allows(identity, request));
  }

  /**
   * The rules that apply to {@code identity} in {@code namespace} (cluster-wide grants and those of
   * RoleBindings in that namespace): what a SelfSubjectRulesReview answers.
   */
  public List<PolicyRule> rulesFor(Identity identity, String namespace) {
    return grants.stream()
        .filter(g -> g.subject().matches(identity))
        .filter(g -> g.namespace().isEmpty() || g.namespace().equals(namespace))
        .map(Grant::rule)
        .toList();
  }

  /** Every grant split into its permissions (verb × group × resource × name, or verb × URL). */
  public List<Permission> permissions() {
    List<Permission> out = new ArrayList<>();
    for (Grant g : grants) {
      PolicyRule r = g.rule();
      for (String verb : r.verbs()) {
        for (String url : r.nonResourceURLs()) {
          out.add(new Permission(g, verb, "", "", "", url));
        }
        for (String group : r.apiGroups()) {
          for (String resource : r.resources()) {
            if (r.resourceNames().isEmpty()) {
              out.add(new Permission(g, verb, group, resource, "", ""));
            }
            for (String name : r.resourceNames()) {
              out.add(new Permission(g, verb, group, resource, name, ""));
            }
          }
        }
      }
    }
    return List.copyOf(out);
  }

  /**
   * What Kubernetes grants every authenticated user by default (the bootstrap ClusterRoles {@code
   * system:basic-user}, {@code system:discovery} and {@code system:public-info-viewer}, bound to
   * {@code system:authenticated}): reviews of one's own access, and discovery and health URLs.
   * JOSDK asks a SelfSubjectRulesReview before it elects a leader; no chart needs to grant that.
   */
  public static RbacPolicy kubernetesDefaults() {
    Subject everyone = Subject.group(Identity.AUTHENTICATED);
    return new RbacPolicy(
        List.of(
            new Grant(
                "ClusterRole/system:basic-user (Kubernetes default)",
                everyone,
                "",
                PolicyRule.of(
                    List.of("authorization.k8s.io"),
                    List.of("selfsubjectaccessreviews", "selfsubjectrulesreviews"),
                    List.of("create"),
                    List.of())),
            new Grant(
                "ClusterRole/system:basic-user (Kubernetes default)",
                everyone,
                "",
                PolicyRule.of(
                    List.of("authentication.k8s.io"),
                    List.of("selfsubjectreviews"),
                    List.of("create"),
                    List.of())),
            new Grant(
                "ClusterRole/system:discovery (Kubernetes default)",
                everyone,
                "",
                PolicyRule.nonResource(
                    List.of(
                        "/api",
                        "/api/*",
                        "/apis",
                        "/apis/*",
                        "/healthz",
                        "/livez",
                        "/openapi",
                        "/openapi/*",
                        "/readyz",
                        "/version",
                        "/version/"),
                    List.of("get")))));
  }
}
