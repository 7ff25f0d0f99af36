package io.lvsoperator.testing.chart;

import static io.lvsoperator.testing.rbac.RequestAttributes.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvsoperator.testing.rbac.Identity;
import io.lvsoperator.testing.rbac.RbacPolicy;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChartRbacTest {
  private static final Identity SA = Identity.serviceAccount("sys", "op");

  private static final String OBJECTS =
      """
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRole
      metadata: {name: reader}
      rules:
        - {apiGroups: [""], resources: [secrets], verbs: [get]}
        - {apiGroups: [""], resources: [nodes], verbs: [list]}
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: Role
      metadata: {name: lease, namespace: sys}
      rules:
        - {apiGroups: [coordination.k8s.io], resources: [leases], resourceNames: [lead], verbs: [get]}
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata: {name: lease, namespace: sys}
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: lease}
      subjects: [{kind: ServiceAccount, name: op}]
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata: {name: reader, namespace: team}
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
      subjects: [{kind: ServiceAccount, name: op, namespace: sys}]
      """;

  @Test
  void bindingsScopeTheirRolesAndServiceAccountsDefaultToTheBindingsNamespace() {
    RbacPolicy policy = ChartRbac.policy(HelmChart.objects(OBJECTS));
    // the Role's subject has no namespace: the binding's
    assertThat(
            policy.allows(SA, resource("get", "coordination.k8s.io", "leases", "", "sys", "lead")))
        .isTrue();
    // a ClusterRole bound by a RoleBinding: in that namespace only, never cluster-scoped
    assertThat(policy.allows(SA, resource("get", "", "secrets", "", "team", "s"))).isTrue();
    assertThat(policy.allows(SA, resource("get", "", "secrets", "", "sys", "s"))).isFalse();
    assertThat(policy.allows(SA, resource("list", "", "nodes", "", "", ""))).isFalse();
    assertThat(policy.grants())
        .extracting(g -> g.source())
        .containsExactly(
            "Role/sys/lease rules[0] via RoleBinding/sys/lease",
            "ClusterRole/reader rules[0] via RoleBinding/team/reader",
            "ClusterRole/reader rules[1] via RoleBinding/team/reader");
  }

  @Test
  void aBindingToAMissingRoleOrAnAggregatedRoleIsAnError() {
    assertThatThrownBy(
            () ->
                ChartRbac.policy(
                    HelmChart.objects(
                        """
                        apiVersion: rbac.authorization.k8s.io/v1
                        kind: ClusterRoleBinding
                        metadata: {name: b}
                        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
                        subjects: [{kind: ServiceAccount, name: op, namespace: sys}]
                        """)))
        .hasMessage("ClusterRoleBinding/b refers to ClusterRole/view, absent");
    assertThatThrownBy(
            () ->
                ChartRbac.policy(
                    HelmChart.objects(
                        """
                        apiVersion: rbac.authorization.k8s.io/v1
                        kind: ClusterRole
                        metadata: {name: agg}
                        aggregationRule: {clusterRoleSelectors: [{matchLabels: {a: b}}]}
                        """)))
        .hasMessageContaining("ClusterRole/agg aggregates other roles");
  }

  @Test
  void theChartsWorkloadsRunAsTheirOwnServiceAccounts() {
    ChartRbac chart = ChartRbac.render("lvs-system", Map.of());
    assertThat(chart.operator().user())
        .isEqualTo("system:serviceaccount:lvs-system:lvs-operator-operator");
    assertThat(chart.agent().user())
        .isEqualTo("system:serviceaccount:lvs-system:lvs-operator-agent");
    assertThat(chart.policy().grants()).isNotEmpty();
  }
}
