package io.lvsoperator.helm;

import static io.lvsoperator.testing.rbac.RequestAttributes.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.lvsoperator.testing.chart.ChartRbac;
import io.lvsoperator.testing.rbac.Identity;
import io.lvsoperator.testing.rbac.RbacPolicy;
import io.lvsoperator.testing.rbac.RequestAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invariants that hold for every combination of the values that change security or shape: whatever
 * a user sets, no wildcard RBAC, the agent writes nothing but LvsNode status and reads no Secret,
 * the operator never writes LvsNode status and reads Secrets only where it watches, the operator
 * stays non-root on a read-only root, and the agent stays on the host network with NET_ADMIN +
 * NET_RAW.
 */
class HelmValuesMatrixTest {
  private static final Set<String> WRITE_VERBS =
      Set.of(
          "create",
          "update",
          "patch",
          "delete",
          "deletecollection",
          "escalate",
          "bind",
          "impersonate");

  static Stream<Arguments> matrix() {
    List<Arguments> out = new ArrayList<>();
    for (boolean privileged : new boolean[] {false, true}) {
      for (boolean drRealServers : new boolean[] {false, true}) {
        for (boolean admission : new boolean[] {false, true}) {
          for (List<String> watch :
              List.of(List.<String>of(), List.of("default"), List.of("team-a", "team-b"))) {
            for (boolean customImages : new boolean[] {false, true}) {
              Map<String, Object> sets = new LinkedHashMap<>();
              sets.put("agent.privileged", privileged);
              sets.put("agent.drRealServers.enabled", drRealServers);
              sets.put("admissionPolicy.enabled", admission);
              for (int i = 0; i < watch.size(); i++) {
                sets.put("operator.watchNamespaces[" + i + "]", watch.get(i));
              }
              if (customImages) {
                sets.put("operator.image.repository", "reg.local:5000/op");
                sets.put("operator.image.tag", "dev");
                sets.put("agent.image.repository", "reg.local:5000/agent");
                sets.put("agent.image.tag", "dev");
              }
              out.add(Arguments.of(sets));
            }
          }
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("matrix")
  void invariantsHold(Map<String, Object> sets) throws Exception {
    RenderedChart r = RenderedChart.render(sets);

    // every object lands in a namespace we chose or is cluster-scoped by kind
    for (HasMetadata o : r.objects()) {
      assertThat(o.getMetadata().getName()).as(o.getKind()).isNotBlank();
    }

    // no wildcards in any rule, role or binding
    for (PolicyRule rule : allRules(r)) {
      assertThat(
              Stream.of(
                      rule.getApiGroups(),
                      rule.getResources(),
                      rule.getVerbs(),
                      rule.getResourceNames())
                  .filter(l -> l != null)
                  .flatMap(List::stream))
          .as("RBAC rule %s", rule)
          .noneMatch(s -> s.contains("*"));
      assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
    }
    assertThat(r.yaml()).doesNotContain("\"*\"").doesNotContain("'*'").doesNotContain("- '*'");

    // What each ServiceAccount may do, decided as the API server's RBAC authorizer would. That the
    // workloads' own requests are allowed is proven by operator/ChartRbacIT; here, what they must
    // never be allowed, whatever the values.
    ChartRbac rbac = ChartRbac.of(r.objects());
    RbacPolicy policy = rbac.policy();
    Identity agent = rbac.agent();
    Identity operator = rbac.operator();
    assertThat(policy.allows(agent, request("patch", "lvsnodes", "status", "", "n1"))).isTrue();
    for (String verb : WRITE_VERBS) {
      // the agent writes LvsNode status and nothing else; the operator never writes that status
      assertThat(policy.allows(agent, request(verb, "lvsnodes", "", "", "n1")))
          .as("agent %s LvsNode spec", verb)
          .isFalse();
      assertThat(policy.allows(operator, request(verb, "lvsnodes", "status", "", "n1")))
          .as("operator %s LvsNode status", verb)
          .isFalse();
      for (String ns : List.of("default", "team-a", "lvs-system")) {
        for (String[] what :
            List.of(
                new String[] {"lvsoperator.io", "virtualservers"},
                new String[] {"lvsoperator.io", "realservers"},
                new String[] {"", "secrets"},
                new String[] {"", "configmaps"},
                new String[] {"coordination.k8s.io", "leases"})) {
          assertThat(policy.allows(agent, resource(verb, what[0], what[1], "", ns, "x")))
              .as("agent %s %s in %s", verb, what[1], ns)
              .isFalse();
        }
      }
    }
    // the agent reads one Secret, by name, in the release namespace; the operator reads them in the
    // namespaces it watches only
    List<String> watched =
        sets.keySet().stream()
            .filter(k -> k.startsWith("operator.watchNamespaces"))
            .map(k -> (String) sets.get(k))
            .toList();
    for (String ns : List.of("default", "team-a", "team-b", "kube-system")) {
      RequestAttributes listSecrets = resource("list", "", "secrets", "", ns, "");
      assertThat(policy.allows(agent, listSecrets)).as("agent lists Secrets in %s", ns).isFalse();
      assertThat(policy.allows(agent, resource("watch", "", "secrets", "", ns, "lvs-vrrp-auth")))
          .as("agent watches lvs-vrrp-auth in %s", ns)
          .isEqualTo(ns.equals(r.agent().getMetadata().getNamespace()));
      assertThat(policy.allows(agent, resource("get", "", "secrets", "", ns, "lvs-vrrp-auth")))
          .as("agent gets lvs-vrrp-auth in %s (it lists and watches it)", ns)
          .isFalse();
      // The operator reads the Secrets VirtualServers name one by one, and lists none.
      assertThat(policy.allows(operator, listSecrets))
          .as("operator lists Secrets in %s", ns)
          .isFalse();
      assertThat(policy.allows(operator, resource("get", "", "secrets", "", ns, "vrrp-auth")))
          .as("operator gets a Secret in %s (watching %s)", ns, watched)
          .isEqualTo(watched.isEmpty() || watched.contains(ns));
    }
    assertThat(policy.allows(operator, resource("list", "", "secrets", "", "", "")))
        .as("operator lists Secrets in every namespace (watching %s)", watched)
        .isFalse();

    // operator: non-root, read-only root, probes, downward API
    Deployment op = r.operator();
    Container oc = op.getSpec().getTemplate().getSpec().getContainers().getFirst();
    assertThat(op.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot())
        .isTrue();
    assertThat(oc.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(oc.getSecurityContext().getPrivileged()).isFalse();
    assertThat(oc.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(oc.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(HelmChartTest.env(oc, "POD_NAMESPACE").getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("metadata.namespace");
    assertThat(oc.getImage())
        .endsWith(sets.containsKey("operator.image.tag") ? "/op:dev" : ":0.1.0");

    // agents: host network, NET_ADMIN + NET_RAW (+ SYS_NICE for the real-time VRRP threads), node
    // name from the downward API; privileged only
    // when asked, and then only where asked
    boolean privileged = (Boolean) sets.get("agent.privileged");
    boolean dr = (Boolean) sets.get("agent.drRealServers.enabled");
    List<DaemonSet> agents = r.all(DaemonSet.class);
    assertThat(agents).hasSize(dr ? 2 : 1);
    for (DaemonSet ds : agents) {
      PodSpec pod = ds.getSpec().getTemplate().getSpec();
      Container ac = pod.getContainers().getFirst();
      assertThat(pod.getHostNetwork()).isTrue();
      assertThat(pod.getDnsPolicy()).isEqualTo("ClusterFirstWithHostNet");
      assertThat(ac.getSecurityContext().getCapabilities().getAdd())
          .containsExactlyInAnyOrder("NET_ADMIN", "NET_RAW", "SYS_NICE");
      assertThat(ac.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
      assertThat(HelmChartTest.env(ac, "NODE_NAME").getValueFrom().getFieldRef().getFieldPath())
          .isEqualTo("spec.nodeName");
      assertThat(ac.getArgs()).startsWith("kubernetes", "--node-name", "$(NODE_NAME)");
      boolean isDr = ds.getMetadata().getName().endsWith("-dr");
      assertThat(ac.getSecurityContext().getPrivileged())
          .as(ds.getMetadata().getName())
          .isEqualTo(isDr || privileged);
      assertThat(ac.getImage())
          .endsWith(sets.containsKey("agent.image.tag") ? "/agent:dev" : ":0.1.0");
    }

    // the admission policy exists exactly when asked
    boolean admission = (Boolean) sets.get("admissionPolicy.enabled");
    assertThat(
            r.objects().stream().filter(o -> o.getKind().startsWith("ValidatingAdmissionPolicy")))
        .hasSize(admission ? 2 : 0);
  }

  static List<PolicyRule> allRules(RenderedChart r) {
    List<PolicyRule> rules = new ArrayList<>();
    r.all(ClusterRole.class).forEach(c -> rules.addAll(c.getRules()));
    r.all(Role.class).forEach(c -> rules.addAll(c.getRules()));
    return rules;
  }

  private static RequestAttributes request(
      String verb, String resource, String subresource, String namespace, String name) {
    return resource(verb, "lvsoperator.io", resource, subresource, namespace, name);
  }
}
