package io.lvsoperator.testing.rbac;

import static io.lvsoperator.testing.rbac.RbacPolicyTest.OP;
import static io.lvsoperator.testing.rbac.RbacPolicyTest.grant;
import static io.lvsoperator.testing.rbac.RbacPolicyTest.named;
import static io.lvsoperator.testing.rbac.RbacPolicyTest.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvsoperator.testing.rbac.RbacAudit.Call;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RbacAuditTest {
  private static final RbacPolicy CHART =
      new RbacPolicy(
          List.of(
              grant(
                  "ClusterRole/op rules[0]",
                  "",
                  rule("lvsoperator.io", "lvsnodes", "get,list,watch,update")),
              grant(
                  "Role/sys/lease rules[0]",
                  "sys",
                  named("coordination.k8s.io", "leases", "get,update", "lead"))));

  private static Call call(String method, String uri) {
    return new Call(OP, RequestAttributes.fromHttp(method, uri));
  }

  @Test
  void deniedListsEachDistinctDeniedRequestOnce() {
    RbacAudit audit =
        new RbacAudit(
            CHART,
            RbacPolicy.kubernetesDefaults(),
            List.of(
                call("GET", "/apis/lvsoperator.io/v1alpha1/lvsnodes"),
                call("PATCH", "/apis/lvsoperator.io/v1alpha1/lvsnodes/lvs1"),
                call("PATCH", "/apis/lvsoperator.io/v1alpha1/lvsnodes/lvs1"),
                call("POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews"),
                call("POST", "/apis/coordination.k8s.io/v1/namespaces/sys/leases")));
    assertThat(audit.denied())
        .extracting(Call::toString)
        .containsExactly(
            "system:serviceaccount:sys:op patch lvsoperator.io/lvsnodes name=lvs1",
            "system:serviceaccount:sys:op create coordination.k8s.io/leases namespace=sys");
    assertThat(audit.report())
        .contains(
            "ALLOWED system:serviceaccount:sys:op list lvsoperator.io/lvsnodes x1 by ClusterRole/op rules[0]")
        .contains("DENIED  system:serviceaccount:sys:op patch lvsoperator.io/lvsnodes name=lvs1 x2")
        .contains("by ClusterRole/system:basic-user (Kubernetes default)");
  }

  @Test
  void unusedNamesEveryVerbAndNameNoAllowedRequestUsed() {
    RbacAudit audit =
        new RbacAudit(
            CHART,
            RbacPolicy.kubernetesDefaults(),
            List.of(
                call("GET", "/apis/lvsoperator.io/v1alpha1/lvsnodes"),
                call("GET", "/apis/lvsoperator.io/v1alpha1/lvsnodes?watch=true"),
                call("GET", "/apis/coordination.k8s.io/v1/namespaces/sys/leases/lead"),
                // denied requests use nothing
                call("GET", "/apis/coordination.k8s.io/v1/namespaces/other/leases/lead")));
    assertThat(audit.unused(List.of(OP), Map.of()))
        .extracting(Permission::toString)
        .containsExactly(
            "get lvsoperator.io/lvsnodes for ServiceAccount sys/op cluster-wide (ClusterRole/op rules[0])",
            "update lvsoperator.io/lvsnodes for ServiceAccount sys/op cluster-wide (ClusterRole/op rules[0])",
            "update coordination.k8s.io/leases name=lead for ServiceAccount sys/op in sys (Role/sys/lease rules[0])");
  }

  @Test
  void excusedPermissionsAndOtherSubjectsAreNotReported() {
    RbacAudit audit = new RbacAudit(CHART, RbacPolicy.kubernetesDefaults(), List.of());
    Map<String, String> excused = Map.of("get lvsoperator.io/lvsnodes", "a reason");
    assertThat(audit.unused(List.of(OP), excused))
        .extracting(Permission::action)
        .containsExactly(
            "list lvsoperator.io/lvsnodes",
            "watch lvsoperator.io/lvsnodes",
            "update lvsoperator.io/lvsnodes",
            "get coordination.k8s.io/leases",
            "update coordination.k8s.io/leases");
    assertThat(audit.unused(List.of(Identity.serviceAccount("sys", "agent")), Map.of())).isEmpty();
  }
}
