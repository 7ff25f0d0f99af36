package io.lvsoperator.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The chart rendered by real Helm with its default values, and with single values changed. */
class HelmChartTest {
  private static RenderedChart defaults;

  @BeforeAll
  static void renderDefaults() throws Exception {
    defaults = RenderedChart.render(Map.of());
  }

  @Test
  void helmLintPassesStrictly() {
    LintResult result = new Helm(RenderedChart.CHART).lint().strict().call();
    assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
  }

  @Test
  void chartCrdsAreByteIdenticalToTheCommittedCrds() throws Exception {
    Path committed = Path.of("..", "crds");
    Path chart = RenderedChart.CHART.resolve("crds");
    List<String> names;
    try (Stream<Path> files = Files.list(committed)) {
      names = files.map(p -> p.getFileName().toString()).sorted().toList();
    }
    try (Stream<Path> files = Files.list(chart)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactlyElementsOf(names);
    }
    assertThat(names)
        .containsExactly(
            "addresspools.lvsoperator.io.yaml",
            "lvsnodes.lvsoperator.io.yaml",
            "lvsnodeslices.lvsoperator.io.yaml",
            "realservers.lvsoperator.io.yaml",
            "tenantpolicies.lvsoperator.io.yaml",
            "virtualservers.lvsoperator.io.yaml",
            "vrrpinstances.lvsoperator.io.yaml");
    for (String name : names) {
      assertThat(Files.mismatch(committed.resolve(name), chart.resolve(name)))
          .as("helm/lvs-operator/crds/%s differs from crds/%s", name, name)
          .isEqualTo(-1L);
    }
    // and Helm itself sees exactly those CRDs in the chart
    String shown = new Helm(RenderedChart.CHART).show().crds().call();
    for (String name : names) {
      assertThat(shown).contains(Files.readString(committed.resolve(name)).strip());
    }
  }

  @Test
  void defaultsRenderTheExpectedObjects() {
    assertThat(defaults.objects())
        .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "ServiceAccount/lvs-operator-operator",
            "ServiceAccount/lvs-operator-agent",
            "ClusterRole/lvs-operator-operator",
            "ClusterRoleBinding/lvs-operator-operator",
            "Role/lvs-operator-operator-leader-election",
            "RoleBinding/lvs-operator-operator-leader-election",
            "Role/lvs-operator-operator-vrrp-auth",
            "RoleBinding/lvs-operator-operator-vrrp-auth",
            "ClusterRole/lvs-operator-agent",
            "ClusterRoleBinding/lvs-operator-agent",
            "Role/lvs-operator-agent",
            "RoleBinding/lvs-operator-agent",
            "Deployment/lvs-operator-operator",
            "PodDisruptionBudget/lvs-operator-operator",
            "DaemonSet/lvs-operator-agent");
    assertThat(defaults.all(ServiceAccount.class))
        .allSatisfy(sa -> assertThat(sa.getMetadata().getNamespace()).isEqualTo("lvs-system"));
  }

  @Test
  void operatorIsTwoNonRootReplicasWithProbesAndLeaderElection() {
    Deployment d = defaults.operator();
    assertThat(d.getSpec().getReplicas()).isEqualTo(2);
    PodSpec pod = d.getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo("lvs-operator-operator");
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
    Container c = pod.getContainers().getFirst();
    assertThat(c.getImage()).isEqualTo("ghcr.io/lvs-operator/lvs-operator:0.1.0");
    assertThat(c.getCommand()).as("the image's entrypoint runs the jar").isNullOrEmpty();
    assertThat(c.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getPrivileged()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(c.getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(8080));
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
    assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(env(c, "WATCH_NAMESPACES").getValue()).isEmpty();
    assertThat(env(c, "LEASE_NAME").getValue()).isEqualTo("lvs-operator-leader");
    assertThat(env(c, "POD_NAMESPACE").getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("metadata.namespace");
    assertThat(env(c, "POD_NAME").getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("metadata.name");
    // the read-only root needs a writable /tmp for the JVM
    assertThat(c.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
    // the lease it elects with is the one it may update
    Role lease = defaults.one(Role.class, "lvs-operator-operator-leader-election");
    assertThat(lease.getMetadata().getNamespace()).isEqualTo("lvs-system");
    assertThat(lease.getRules())
        .anySatisfy(
            r -> {
              assertThat(r.getVerbs()).containsExactlyInAnyOrder("get", "update", "patch");
              assertThat(r.getResourceNames()).containsExactly("lvs-operator-leader");
            });
    assertThat(lease.getRules().stream().flatMap(r -> r.getVerbs().stream()))
        .containsExactlyInAnyOrder("create", "get", "update", "patch");
  }

  @Test
  void agentRunsOnTheHostNetworkWithOnlyNetAdminAndNetRaw() {
    DaemonSet ds = defaults.agent();
    assertThat(ds.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(ds.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
        .isEqualTo(1);
    PodSpec pod = ds.getSpec().getTemplate().getSpec();
    assertThat(pod.getHostNetwork()).isTrue();
    assertThat(pod.getDnsPolicy()).isEqualTo("ClusterFirstWithHostNet");
    assertThat(pod.getPriorityClassName()).isEqualTo("system-node-critical");
    assertThat(pod.getServiceAccountName()).isEqualTo("lvs-operator-agent");
    assertThat(pod.getNodeSelector()).containsEntry("kubernetes.io/os", "linux");
    assertThat(pod.getTolerations())
        .extracting(t -> t.getKey())
        .contains("node-role.kubernetes.io/control-plane");
    Container c = pod.getContainers().getFirst();
    assertThat(c.getImage()).isEqualTo("ghcr.io/lvs-operator/lvs-node-agent:0.1.0");
    assertThat(c.getArgs())
        .containsExactly(
            "kubernetes",
            "--node-name",
            "$(NODE_NAME)",
            "--cache-dir",
            "/var/lib/lvs-agent",
            "--vrrp-rt-priority",
            "10");
    assertThat(env(c, "NODE_NAME").getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("spec.nodeName");
    assertThat(env(c, "AGENT_HTTP_PORT").getValue()).isEqualTo("9101");
    // the endpoints listen on the node's own address, where the kubelet probes, not on the VIPs
    assertThat(env(c, "AGENT_HTTP_ADDRESS").getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("status.hostIP");
    var sc = c.getSecurityContext();
    assertThat(sc.getPrivileged()).isFalse();
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
    // SYS_NICE: the VRRP threads run under SCHED_RR (agent.vrrpRealtimePriority)
    assertThat(sc.getCapabilities().getAdd())
        .containsExactlyInAnyOrder("NET_ADMIN", "NET_RAW", "SYS_NICE");
    assertThat(c.getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getContainerPort()).isEqualTo(9101);
              assertThat(p.getHostPort()).isEqualTo(9101);
            });
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    // the cache survives pod restarts: a host directory mounted where --cache-dir points
    var cache = pod.getVolumes().stream().filter(v -> v.getHostPath() != null).toList();
    assertThat(cache)
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.getHostPath().getPath()).isEqualTo("/var/lib/lvs-agent");
              assertThat(v.getHostPath().getType()).isEqualTo("DirectoryOrCreate");
            });
    assertThat(c.getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getName()).isEqualTo(cache.getFirst().getName());
              assertThat(m.getMountPath()).isEqualTo("/var/lib/lvs-agent");
              assertThat(m.getReadOnly()).isNotEqualTo(Boolean.TRUE);
            });
  }

  @Test
  void agentPortAndCacheDirAreConfigurable() throws Exception {
    RenderedChart r =
        RenderedChart.render(
            Map.of(
                "agent.httpPort",
                19101,
                "agent.cacheDir",
                "/srv/lvs",
                "agent.httpAddress",
                "0.0.0.0",
                "agent.vrrpRealtimePriority",
                0));
    Container c = r.agent().getSpec().getTemplate().getSpec().getContainers().getFirst();
    assertThat(c.getPorts().getFirst().getHostPort()).isEqualTo(19101);
    assertThat(env(c, "AGENT_HTTP_PORT").getValue()).isEqualTo("19101");
    assertThat(env(c, "AGENT_HTTP_ADDRESS").getValue()).isEqualTo("0.0.0.0");
    assertThat(env(c, "AGENT_HTTP_ADDRESS").getValueFrom()).isNull();
    assertThat(c.getArgs()).containsSequence("--cache-dir", "/srv/lvs");
    // time-shared VRRP threads need no SYS_NICE
    assertThat(c.getArgs()).containsSequence("--vrrp-rt-priority", "0");
    assertThat(c.getSecurityContext().getCapabilities().getAdd())
        .containsExactlyInAnyOrder("NET_ADMIN", "NET_RAW");
    assertThat(r.agent().getSpec().getTemplate().getSpec().getVolumes())
        .anySatisfy(v -> assertThat(v.getHostPath().getPath()).isEqualTo("/srv/lvs"));
  }

  // What the operator and the agent need is proven by operator/ChartRbacIT (every request of the
  // end-to-end tests allowed, every verb used); these pin the result, so a change shows here too.
  @Test
  void operatorRulesAreExactlyTheOnesItNeeds() {
    ClusterRole role = defaults.one(ClusterRole.class, "lvs-operator-operator");
    assertThat(rules(role.getRules()))
        .containsExactlyInAnyOrder(
            "lvsoperator.io/lvsnodes:list,watch,create,patch",
            "lvsoperator.io/lvsnodeslices:list,watch,create,patch,delete",
            "/nodes:list,watch",
            "lvsoperator.io/tenantpolicies:list,watch",
            "lvsoperator.io/virtualservers:list,watch",
            "lvsoperator.io/realservers:list,watch",
            "lvsoperator.io/vrrpinstances:list,watch",
            "lvsoperator.io/virtualservers/status:patch",
            "lvsoperator.io/realservers/status:patch",
            "lvsoperator.io/vrrpinstances/status:patch",
            "/secrets:get",
            "/events:create",
            "lvsoperator.io/addresspools:list,watch",
            "lvsoperator.io/addresspools/status:patch",
            "/services:list,watch",
            "/services/status:patch",
            "discovery.k8s.io/endpointslices:list,watch",
            "lvsoperator.io/virtualservers:create,patch,delete",
            "lvsoperator.io/vrrpinstances:create,patch,delete");
    // The one Secret it writes, lvs-vrrp-auth, in the release namespace: by name but for create.
    Role auth = defaults.one(Role.class, "lvs-operator-operator-vrrp-auth");
    assertThat(auth.getMetadata().getNamespace()).isEqualTo("lvs-system");
    assertThat(rules(auth.getRules()))
        .containsExactlyInAnyOrder("/secrets:create", "/secrets:list,watch,patch");
    assertThat(auth.getRules())
        .filteredOn(rule -> !rule.getVerbs().contains("create"))
        .singleElement()
        .satisfies(rule -> assertThat(rule.getResourceNames()).containsExactly("lvs-vrrp-auth"));
    Container c = defaults.operator().getSpec().getTemplate().getSpec().getContainers().getFirst();
    assertThat(env(c, "READ_SECRETS").getValue()).isEqualTo("true");
  }

  @Test
  void loadBalancerServicesCanBeLeftToAnotherImplementation() throws Exception {
    RenderedChart r = RenderedChart.render(Map.of("loadBalancer.enabled", false));
    ClusterRole role = r.one(ClusterRole.class, "lvs-operator-operator");
    assertThat(rules(role.getRules()))
        .noneMatch(rule -> rule.contains("services") || rule.contains("addresspools"))
        .noneMatch(rule -> rule.contains("endpointslices"))
        .doesNotContain(
            "lvsoperator.io/virtualservers:create,patch,delete",
            "lvsoperator.io/vrrpinstances:create,patch,delete");
    Container c = r.operator().getSpec().getTemplate().getSpec().getContainers().getFirst();
    assertThat(env(c, "LOAD_BALANCER").getValue()).isEqualTo("false");
    assertThat(env(c, "LOAD_BALANCER_DEFAULT_CLASS").getValue()).isEqualTo("false");
    Container d = defaults.operator().getSpec().getTemplate().getSpec().getContainers().getFirst();
    assertThat(env(d, "LOAD_BALANCER").getValue()).isEqualTo("true");
  }

  @Test
  void agentRulesReadItsNodeObjectsWriteOnlyTheirStatusAndReadOneSecretByName() {
    ClusterRole role = defaults.one(ClusterRole.class, "lvs-operator-agent");
    assertThat(rules(role.getRules()))
        .containsExactlyInAnyOrder(
            "lvsoperator.io/lvsnodes:get,list,watch",
            "lvsoperator.io/lvsnodes/status:patch",
            "lvsoperator.io/lvsnodeslices:list,watch",
            "lvsoperator.io/lvsnodeslices/status:patch");
    Role secrets = defaults.one(Role.class, "lvs-operator-agent");
    assertThat(rules(secrets.getRules())).containsExactly("/secrets:list,watch");
    assertThat(secrets.getRules().getFirst().getResourceNames()).containsExactly("lvs-vrrp-auth");
    Container c = defaults.agent().getSpec().getTemplate().getSpec().getContainers().getFirst();
    assertThat(env(c, "OPERATOR_NAMESPACE").getValue())
        .isEqualTo(secrets.getMetadata().getNamespace());
  }

  @Test
  void watchNamespacesGiveRolesInThoseNamespacesOnly() throws Exception {
    RenderedChart r =
        RenderedChart.render(
            Map.of(
                "operator.watchNamespaces[0]", "team-a", "operator.watchNamespaces[1]", "team-b"));
    Container c = r.operator().getSpec().getTemplate().getSpec().getContainers().getFirst();
    assertThat(env(c, "WATCH_NAMESPACES").getValue()).isEqualTo("team-a,team-b");
    assertThat(env(c, "TENANT_POLICY_REQUIRED").getValue()).isEqualTo("false");
    assertThat(
            env(
                    RenderedChart.render(Map.of("tenantPolicy.required", true))
                        .operator()
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .getFirst(),
                    "TENANT_POLICY_REQUIRED")
                .getValue())
        .isEqualTo("true");
    ClusterRole cluster = r.one(ClusterRole.class, "lvs-operator-operator");
    assertThat(rules(cluster.getRules()))
        .containsExactlyInAnyOrder(
            "lvsoperator.io/lvsnodes:list,watch,create,patch",
            "lvsoperator.io/lvsnodeslices:list,watch,create,patch,delete",
            "/nodes:list,watch",
            "lvsoperator.io/addresspools:list,watch",
            "lvsoperator.io/addresspools/status:patch",
            "lvsoperator.io/tenantpolicies:list,watch");
    List<Role> roles =
        r.all(Role.class).stream()
            .filter(x -> x.getMetadata().getName().equals("lvs-operator-operator"))
            .toList();
    assertThat(roles)
        .extracting(x -> x.getMetadata().getNamespace())
        .containsExactly("team-a", "team-b");
    assertThat(roles)
        .allSatisfy(
            role ->
                assertThat(rules(role.getRules()))
                    .contains(
                        "lvsoperator.io/virtualservers:list,watch",
                        "/secrets:get",
                        "/services:list,watch",
                        "lvsoperator.io/virtualservers:create,patch,delete"));
  }

  @Test
  void secretsCanBeLeftUnreadable() throws Exception {
    RenderedChart r = RenderedChart.render(Map.of("operator.rbac.readSecrets", false));
    assertThat(r.yaml()).doesNotContain("secrets");
    Container c = r.operator().getSpec().getTemplate().getSpec().getContainers().getFirst();
    assertThat(env(c, "READ_SECRETS").getValue()).isEqualTo("false");
  }

  @Test
  void imagesAreConfigurablePerComponent() throws Exception {
    RenderedChart r =
        RenderedChart.render(
            Map.of(
                "operator.image.repository", "registry.example/lvs/op",
                "operator.image.tag", "1.2.3",
                "operator.image.pullPolicy", "Always",
                "agent.image.repository", "registry.example/lvs/agent",
                "agent.image.tag", "4.5.6",
                "agent.image.pullPolicy", "Never"));
    Container op = r.operator().getSpec().getTemplate().getSpec().getContainers().getFirst();
    Container agent = r.agent().getSpec().getTemplate().getSpec().getContainers().getFirst();
    assertThat(op.getImage()).isEqualTo("registry.example/lvs/op:1.2.3");
    assertThat(op.getImagePullPolicy()).isEqualTo("Always");
    assertThat(agent.getImage()).isEqualTo("registry.example/lvs/agent:4.5.6");
    assertThat(agent.getImagePullPolicy()).isEqualTo("Never");
  }

  @Test
  void emptyNodeSelectorsRenderNoNodeSelector() throws Exception {
    RenderedChart r = RenderedChart.render(Map.of("agent.nodeSelector", "null"));
    assertThat(r.agent().getSpec().getTemplate().getSpec().getNodeSelector()).isNullOrEmpty();
    assertThat(r.yaml()).doesNotContain("nodeSelector:\n      containers");
  }

  @Test
  void badValuesAreRejectedNamingTheValue() {
    assertThatThrownBy(() -> RenderedChart.render(Map.of("agent.httpPort", 70000)))
        .hasMessageContaining("/agent/httpPort");
    assertThatThrownBy(() -> RenderedChart.render(Map.of("agent.httpAddress", "localhost")))
        .hasMessageContaining("/agent/httpAddress");
    assertThatThrownBy(() -> RenderedChart.render(Map.of("operator.replica", 3)))
        .hasMessageContaining("replica")
        .hasMessageContaining("/operator");
    assertThatThrownBy(() -> RenderedChart.render(Map.of("agent.image.pullPolicy", "Sometimes")))
        .hasMessageContaining("/agent/image/pullPolicy");
    assertThatThrownBy(() -> RenderedChart.render(Map.of("operator.watchNamespaces[0]", "Team_A")))
        .hasMessageContaining("/operator/watchNamespaces/0");
  }

  @Test
  void privilegedIsAValue() throws Exception {
    RenderedChart r = RenderedChart.render(Map.of("agent.privileged", true));
    var sc =
        r.agent().getSpec().getTemplate().getSpec().getContainers().getFirst().getSecurityContext();
    assertThat(sc.getPrivileged()).isTrue();
    assertThat(r.all(DaemonSet.class)).hasSize(1);
  }

  @Test
  void drRealServersGetTheirOwnPrivilegedDaemonSetAndTheRestStayUnprivileged() throws Exception {
    RenderedChart r = RenderedChart.render(Map.of("agent.drRealServers.enabled", true));
    DaemonSet main = r.agent();
    DaemonSet dr = r.one(DaemonSet.class, "lvs-operator-agent-dr");
    assertThat(
            main.getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .getFirst()
                .getSecurityContext()
                .getPrivileged())
        .isFalse();
    assertThat(
            dr.getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .getFirst()
                .getSecurityContext()
                .getPrivileged())
        .isTrue();
    assertThat(dr.getSpec().getTemplate().getSpec().getNodeSelector())
        .containsEntry("lvsoperator.io/dr-real-server", "true");
    var term =
        main.getSpec()
            .getTemplate()
            .getSpec()
            .getAffinity()
            .getNodeAffinity()
            .getRequiredDuringSchedulingIgnoredDuringExecution()
            .getNodeSelectorTerms()
            .getFirst();
    assertThat(term.getMatchExpressions())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getKey()).isEqualTo("lvsoperator.io/dr-real-server");
              assertThat(e.getOperator()).isEqualTo("NotIn");
              assertThat(e.getValues()).containsExactly("true");
            });
    // two DaemonSets must never select each other's pods
    assertThat(main.getSpec().getSelector().getMatchLabels())
        .isNotEqualTo(dr.getSpec().getSelector().getMatchLabels());
  }

  static EnvVar env(Container c, String name) {
    return c.getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no env " + name + " in " + c.getName()));
  }

  /** Each rule as "group/resource:verbs", one line per resource, to compare sets. */
  static List<String> rules(List<PolicyRule> rules) {
    return rules.stream()
        .flatMap(
            r ->
                r.getApiGroups().stream()
                    .flatMap(
                        g ->
                            r.getResources().stream()
                                .map(res -> g + "/" + res + ":" + String.join(",", r.getVerbs()))))
        .toList();
  }
}
