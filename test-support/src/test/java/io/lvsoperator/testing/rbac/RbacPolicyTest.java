package io.lvsoperator.testing.rbac;

import static io.lvsoperator.testing.rbac.RequestAttributes.nonResource;
import static io.lvsoperator.testing.rbac.RequestAttributes.resource;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Rules and bindings against requests, one row each, as Kubernetes' RBAC authorizer decides. */
class RbacPolicyTest {
  static final Identity OP = Identity.serviceAccount("sys", "op");
  static final Identity AGENT = Identity.serviceAccount("sys", "agent");
  static final Identity OP_ELSEWHERE = Identity.serviceAccount("other", "op");

  static final RbacPolicy POLICY =
      new RbacPolicy(
              List.of(
                  // ClusterRoleBinding: cluster-scoped and every namespace
                  grant("nodes", "", rule("", "nodes", "get,list,watch")),
                  grant("status", "", rule("lvsoperator.io", "lvsnodes/status", "patch")),
                  grant("lease", "", named("coordination.k8s.io", "leases", "get,update", "lead")),
                  grant("anyStatus", "", rule("apps", "*/status", "get")),
                  // RoleBinding (to a Role or a ClusterRole): that namespace only
                  grant("team", "team", rule("lvsoperator.io", "virtualservers", "list")),
                  grant("team2", "team2", rule("", "secrets", "get")),
                  grant("team2", "team2", rule("", "nodes", "delete")),
                  new Grant(
                      "group",
                      Subject.group("system:serviceaccounts:sys"),
                      "",
                      rule("", "configmaps", "*")),
                  new Grant(
                      "user",
                      new Subject("User", "system:serviceaccount:sys:agent", ""),
                      "",
                      rule("*", "*", "watch"))))
          .plus(RbacPolicy.kubernetesDefaults());

  static Stream<Arguments> decisions() {
    return Stream.of(
        row(OP, res("get", "", "nodes", "", "", "n1"), "nodes"),
        row(OP, res("list", "", "nodes", "", "", ""), "nodes"),
        row(OP, res("patch", "lvsoperator.io", "lvsnodes", "status", "", "lvs1"), "status"),
        row(
            OP,
            res("patch", "lvsoperator.io", "lvsnodes", "", "", "lvs1"),
            null), // not the main resource
        row(OP, res("patch", "other.io", "lvsnodes", "status", "", "lvs1"), null), // other group
        // resourceNames: only requests naming one of them
        row(OP, res("get", "coordination.k8s.io", "leases", "", "x", "lead"), "lease"),
        row(OP, res("update", "coordination.k8s.io", "leases", "", "x", "lead"), "lease"),
        row(OP, res("get", "coordination.k8s.io", "leases", "", "x", "other"), null),
        row(
            OP,
            res("create", "coordination.k8s.io", "leases", "", "x", ""),
            null), // a create has no name
        row(OP, res("list", "coordination.k8s.io", "leases", "", "x", ""), null),
        // */status
        row(OP, res("get", "apps", "deployments", "status", "ns", "d"), "anyStatus"),
        row(OP, res("get", "apps", "deployments", "", "ns", "d"), null),
        // a RoleBinding's namespace only, never cluster scope
        row(OP, res("list", "lvsoperator.io", "virtualservers", "", "team", ""), "team"),
        row(OP, res("list", "lvsoperator.io", "virtualservers", "", "elsewhere", ""), null),
        row(
            OP,
            res("list", "lvsoperator.io", "virtualservers", "", "", ""),
            null), // all namespaces
        row(OP, res("get", "", "secrets", "", "team2", "s"), "team2"),
        row(OP, res("get", "", "secrets", "", "team", "s"), null),
        // team2 grants delete on nodes, but a RoleBinding never reaches cluster-scoped resources
        row(OP, res("delete", "", "nodes", "", "", "n1"), null),
        // subjects: the same name in another namespace is someone else; groups and users
        row(OP_ELSEWHERE, res("get", "", "nodes", "", "", "n1"), null),
        row(AGENT, res("get", "", "nodes", "", "", "n1"), null),
        row(AGENT, res("deletecollection", "", "configmaps", "", "ns", ""), "group"),
        row(OP_ELSEWHERE, res("get", "", "configmaps", "", "ns", "c"), null),
        row(AGENT, res("watch", "anything.io", "things", "", "", ""), "user"),
        row(OP, res("watch", "anything.io", "things", "", "", ""), null),
        // Kubernetes' defaults: reviews of one's own access, discovery
        row(
            OP,
            res("create", "authorization.k8s.io", "selfsubjectrulesreviews", "", "", ""),
            "system:basic-user"),
        row(OP, res("create", "authorization.k8s.io", "subjectaccessreviews", "", "", ""), null),
        row(OP, nonResource("get", "/version"), "system:discovery"),
        row(OP, nonResource("get", "/apis/lvsoperator.io/v1alpha1"), "system:discovery"),
        row(OP, nonResource("post", "/version"), null),
        row(OP, nonResource("get", "/metrics"), null));
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @MethodSource("decisions")
  void decidesAsTheRbacAuthorizer(Identity who, RequestAttributes request, String by) {
    List<Grant> allowing = POLICY.allowing(who, request);
    if (by == null) {
      assertThat(allowing).as("denied").isEmpty();
      assertThat(POLICY.allows(who, request)).isFalse();
    } else {
      assertThat(allowing).extracting(Grant::source).anyMatch(s -> s.contains(by));
      assertThat(POLICY.allows(who, request)).isTrue();
    }
  }

  @org.junit.jupiter.api.Test
  void rulesForAnIdentityInANamespaceAreTheClusterWideOnesAndThatNamespaces() {
    List<PolicyRule> defaults =
        RbacPolicy.kubernetesDefaults().grants().stream().map(Grant::rule).toList();
    List<PolicyRule> expected =
        new java.util.ArrayList<>(
            List.of(
                rule("", "nodes", "get,list,watch"),
                rule("lvsoperator.io", "lvsnodes/status", "patch"),
                named("coordination.k8s.io", "leases", "get,update", "lead"),
                rule("apps", "*/status", "get"),
                rule("lvsoperator.io", "virtualservers", "list"), // team's, not team2's
                rule("", "configmaps", "*"))); // the group system:serviceaccounts:sys
    expected.addAll(defaults); // every authenticated identity
    assertThat(POLICY.rulesFor(OP, "team")).containsExactlyElementsOf(expected);
    assertThat(POLICY.rulesFor(OP_ELSEWHERE, "team")).containsExactlyElementsOf(defaults);
  }

  private static Arguments row(Identity who, RequestAttributes request, String allowedBy) {
    return Arguments.of(who, request, allowedBy);
  }

  private static RequestAttributes res(
      String verb, String group, String resource, String sub, String ns, String name) {
    return resource(verb, group, resource, sub, ns, name);
  }

  static Grant grant(String source, String namespace, PolicyRule rule) {
    return new Grant(source, Subject.serviceAccount("sys", "op"), namespace, rule);
  }

  static PolicyRule rule(String group, String resource, String verbs) {
    return PolicyRule.of(List.of(group), List.of(resource), List.of(verbs.split(",")), List.of());
  }

  static PolicyRule named(String group, String resource, String verbs, String name) {
    return PolicyRule.of(
        List.of(group), List.of(resource), List.of(verbs.split(",")), List.of(name));
  }
}
