package io.lvsoperator.operator;

import static io.lvsoperator.operator.TestingCluster.referenceVirtualServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.lvsoperator.api.v1alpha1.LvsNode;
import io.lvsoperator.api.v1alpha1.LvsNodeStatus;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import io.lvsoperator.testing.chart.ChartRbac;
import io.lvsoperator.testing.chart.HelmChart;
import io.lvsoperator.testing.manifests.BrokenManifest;
import io.lvsoperator.testing.rbac.Identity;
import io.lvsoperator.testing.rbac.Permission;
import io.lvsoperator.testing.rbac.RbacPolicy;
import io.lvsoperator.testing.rbac.RequestAttributes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CRDs, the chart's RBAC and the operator against a real kube-apiserver and etcd (Fabric8's
 * kube-api-test runs the binaries: no kubelet, no controllers, only the Nodes a test creates).
 * Checks what the mock API server cannot: the CRDs are accepted (structural schemas; every CEL rule
 * compiled and within the cost limits the server enforces at creation), the server itself rejects
 * each broken manifest of {@link BrokenManifest}, server-side apply, the operator and the agent
 * working with nothing but the chart's ServiceAccounts (impersonated), the RBAC evaluator of the
 * mock-server tests deciding as the server's own authorizer, and the printer columns in the
 * server's Table.
 *
 * <p>Needs the binaries under {@code KUBE_API_TEST_DIR} (see {@link KubeApiServerBinaries}); never
 * downloads them. Without them it skips, or fails when {@code LVS_KUBE_API_SERVER_REQUIRED=true}.
 *
 * <pre>KUBE_API_TEST_DIR=... ./mvnw -B -pl operator -am verify -Dit.test=KubeApiServerIT</pre>
 */
class KubeApiServerIT {
  private static final String RELEASE_NAMESPACE = "lvs-system";
  private static final String TABLE = "application/json;as=Table;g=meta.k8s.io;v=v1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger NAMES = new AtomicInteger();

  private static KubeAPIServer apiServer;
  private static KubernetesClient admin;
  private static ChartRbac chart;

  @BeforeAll
  static void startTheApiServerWithTheCrdsAndTheChartsRbac() throws Exception {
    KubeApiServerBinaries binaries = KubeApiServerBinaries.find(System.getenv());
    if (!binaries.present()) {
      String reason = "KubeApiServerIT: " + binaries.missing();
      if ("true".equals(System.getenv(KubeApiServerBinaries.REQUIRED_ENV))) {
        throw new AssertionError(
            reason + "; " + KubeApiServerBinaries.REQUIRED_ENV + "=true requires them");
      }
      String skipped =
          reason
              + "; skipped (never downloaded; "
              + KubeApiServerBinaries.REQUIRED_ENV
              + "=true fails instead)";
      System.out.println(skipped); // the report shows a skipped class without its reason
      Assumptions.abort(skipped);
    }
    apiServer =
        new KubeAPIServer(
            KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withTestDir(binaries.testDir().toString())
                .withApiServerVersion(binaries.version(KubeApiServerBinaries.platformSuffix()))
                .withOfflineMode(true)
                .build());
    apiServer.start();
    admin =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(apiServer.getKubeConfigYaml()))
            .build();
    TestingCluster.installCrds(admin, true);
    // The chart's ServiceAccounts, Roles and bindings, as Helm renders them for lvs-system.
    List<HasMetadata> rendered =
        HelmChart.objects(
            HelmChart.template(
                "lvs-operator", RELEASE_NAMESPACE, HelmChart.KUBE_VERSION, Map.of()));
    admin
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(RELEASE_NAMESPACE)
                .endMetadata()
                .build())
        .create();
    for (HasMetadata o : rendered) {
      if (o instanceof ServiceAccount
          || o instanceof ClusterRole
          || o instanceof ClusterRoleBinding
          || o instanceof Role
          || o instanceof RoleBinding) {
        admin.resource(o).create();
      }
    }
    chart = ChartRbac.of(rendered);
  }

  @AfterAll
  static void stopTheApiServer() {
    if (admin != null) {
      admin.close();
    }
    if (apiServer != null) {
      apiServer.stop();
    }
  }

  @Test
  void theCrdsAreAcceptedAsStructuralWithEveryCelRuleWithinTheCostLimits() throws Exception {
    for (String file : TestingCluster.CRD_FILES) {
      JsonNode committed =
          JSON.valueToTree(
              admin
                  .getKubernetesSerialization()
                  .unmarshal(
                      Files.readString(TestingCluster.CRDS.resolve(file)),
                      CustomResourceDefinition.class));
      String name = committed.path("metadata").path("name").asText();
      CustomResourceDefinition stored =
          admin.apiextensions().v1().customResourceDefinitions().withName(name).get();
      assertThat(condition(stored, "Established")).as(name + " Established").isTrue();
      assertThat(condition(stored, "NamesAccepted")).as(name + " NamesAccepted").isTrue();
      assertThat(condition(stored, "NonStructuralSchema")).as(name + " structural").isFalse();
      // The server compiled every rule and estimated its cost when it accepted the CRD (a rule
      // that does not compile or exceeds the budget fails the create); it kept all of them.
      List<String> rules = celRules(committed.path("spec"));
      assertThat(celRules(JSON.valueToTree(stored.getSpec())))
          .as(name + " CEL rules")
          .containsExactlyInAnyOrderElementsOf(rules);
      if (name.startsWith("virtualservers")) {
        assertThat(rules).as("the VirtualServer CRD has CEL rules").isNotEmpty();
      }
    }
  }

  static List<BrokenManifest> brokenManifests() {
    return BrokenManifest.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenManifests")
  void theApiServerRejectsEachBrokenManifest(BrokenManifest broken) {
    String name = "broken-" + NAMES.incrementAndGet();
    GenericKubernetesResource object =
        admin
            .getKubernetesSerialization()
            .unmarshal(broken.manifest(name), GenericKubernetesResource.class);
    var resources = admin.genericKubernetesResources(context(broken.kind()));
    assertThatThrownBy(
            () ->
                (broken.kind().equals("TenantPolicy")
                        ? resources.resource(object) // cluster-scoped
                        : resources.inNamespace("default").resource(object))
                    .create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).as(e.getMessage()).isEqualTo(422);
              assertThat(e.getMessage()).contains(broken.expected());
            });
  }

  @Test
  void theReferenceExamplesAreAccepted() throws Exception {
    String ns = namespace("examples");
    int accepted = 0;
    try (Stream<Path> files = Files.list(Path.of("..", "examples", "reference"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        for (HasMetadata o : HelmChart.objects(Files.readString(f))) {
          o.getMetadata().setNamespace(ns);
          admin.resource(o).dryRun().create();
          accepted++;
        }
      }
    }
    assertThat(accepted).isGreaterThanOrEqualTo(4); // VirtualServer, Secret, two RealServers
  }

  @Test
  void serverSideApplyTracksFieldsPerManager() {
    String ns = namespace("ssa");
    // Not the VIP of the operator test, and gone at the end: the operator watches every namespace.
    String yaml = referenceVirtualServer("web", "172.20.9.100", "");
    VirtualServer alice = virtualServer(yaml, ns);
    admin.resource(alice).fieldManager("alice").forceConflicts().serverSideApply();
    VirtualServer applied =
        admin.resources(VirtualServer.class).inNamespace(ns).withName("web").get();
    assertThat(applied.getMetadata().getManagedFields())
        .anySatisfy(
            f -> {
              assertThat(f.getManager()).isEqualTo("alice");
              assertThat(f.getOperation()).isEqualTo("Apply");
            });
    // Another manager may not take a field alice applied, unless it forces.
    VirtualServer bob =
        virtualServer(
            referenceVirtualServer("web", "172.20.1.100", "").replace("port: 80", "port: 8080"),
            ns);
    assertThatThrownBy(() -> admin.resource(bob).fieldManager("bob").serverSideApply())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(409);
              assertThat(e.getMessage()).contains("alice");
            });
    // alice changes her own field.
    VirtualServer alice2 =
        virtualServer(
            referenceVirtualServer("web", "172.20.1.100", "").replace("port: 80", "port: 8080"),
            ns);
    admin.resource(alice2).fieldManager("alice").serverSideApply();
    assertThat(
            admin
                .resources(VirtualServer.class)
                .inNamespace(ns)
                .withName("web")
                .get()
                .getSpec()
                .port())
        .isEqualTo(8080);
  }

  /**
   * Every permission the chart grants, and its neighbours (every other verb, another namespace,
   * another name, the main resource instead of a subresource and back, another ServiceAccount),
   * asked of the server's own authorizer with a SubjectAccessReview and of our evaluator: the two
   * must agree on every one, so the mock-server suite ({@link ChartRbacIT}) judges as a cluster
   * would.
   */
  @Test
  void theRbacEvaluatorDecidesAsTheApiServersAuthorizer() {
    RbacPolicy ours = chart.policy().plus(RbacPolicy.kubernetesDefaults());
    List<Identity> who =
        List.of(
            chart.operator(),
            chart.agent(),
            Identity.serviceAccount("elsewhere", chart.operator().user().replaceAll(".*:", "")));
    Set<RequestAttributes> requests = new LinkedHashSet<>();
    for (Permission p : chart.policy().permissions()) {
      requests.addAll(neighbours(p));
    }
    List<String> disagreements = new ArrayList<>();
    int allowed = 0;
    for (Identity identity : who) {
      for (RequestAttributes r : requests) {
        boolean server = serverAllows(identity, r);
        if (server != ours.allows(identity, r)) {
          disagreements.add(identity + " " + r + ": server " + (server ? "allows" : "denies"));
        }
        allowed += server ? 1 : 0;
      }
    }
    assertThat(disagreements).isEmpty();
    assertThat(allowed).as("some allowed").isPositive();
    assertThat(requests.size() * who.size() - allowed).as("some denied").isPositive();
  }

  @Test
  void theOperatorAndTheAgentWorkWithNothingButTheChartsServiceAccounts() throws Exception {
    node("lvs1", "172.20.1.1");
    node("lvs2", "172.20.1.2");
    node("rs1", "172.20.1.10");
    node("rs2", "172.20.1.11");
    admin
        .secrets()
        .inNamespace("default")
        .resource(
            new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata()
                .withName("vrrp-auth")
                .endMetadata()
                .addToStringData("password", "1111")
                .build())
        .create();
    admin
        .resource(
            virtualServer(
                referenceVirtualServer("web", "172.20.1.100", "virtualRouterId: 51"), "default"))
        .create();
    for (String[] rs : new String[][] {{"rs1", "172.20.1.10"}, {"rs2", "172.20.1.11"}}) {
      admin
          .resource(
              admin
                  .getKubernetesSerialization()
                  .unmarshal(
                      """
                      apiVersion: lvsoperator.io/v1alpha1
                      kind: RealServer
                      metadata: {name: %s, namespace: default}
                      spec: {address: %s, port: 80, virtualServer: web, node: %s}
                      """
                          .formatted(rs[0], rs[1], rs[0]),
                      io.lvsoperator.api.v1alpha1.RealServer.class))
          .create();
    }
    OperatorSettings settings =
        new OperatorSettings(
            Set.of(),
            true,
            "lvs-operator-leader",
            RELEASE_NAMESPACE,
            Duration.ofSeconds(6),
            "kube-api-test",
            io.lvsoperator.endpoints.EndpointSettings.of(
                java.net.InetAddress.getLoopbackAddress(), 0),
            Duration.ofSeconds(2),
            Duration.ofSeconds(60),
            true,
            RELEASE_NAMESPACE,
            true,
            false);
    try (KubernetesClient operatorClient = impersonating(chart.operator());
        KubernetesClient agentClient = impersonating(chart.agent());
        LvsOperator operator = new LvsOperator(operatorClient, settings, Clock.systemUTC())) {
      operator.start();
      eventually(
          () -> {
            LvsNode lvs1 = admin.resources(LvsNode.class).withName("lvs1").get();
            assertThat(lvs1.getSpec().vrrpInstances().getFirst().name()).isEqualTo("eth0-51");
            // The head names the password; Secret lvs-vrrp-auth in the release namespace holds it.
            assertThat(lvs1.getSpec().vrrpInstances().getFirst().authPassKey())
                .isEqualTo("vs_default.web");
            assertThat(
                    admin
                        .secrets()
                        .inNamespace(RELEASE_NAMESPACE)
                        .withName("lvs-vrrp-auth")
                        .get()
                        .getData())
                .containsOnlyKeys("vs_default.web");
            assertThat(
                    admin
                        .resources(io.lvsoperator.api.v1alpha1.LvsNodeSlice.class)
                        .withLabel(io.lvsoperator.api.v1alpha1.LvsNodeSlice.NODE_LABEL, "lvs1")
                        .list()
                        .getItems())
                .hasSize(1);
            VirtualServer vs =
                admin.resources(VirtualServer.class).inNamespace("default").withName("web").get();
            // no write to the object itself: no finalizer; the last good spec is in the status
            assertThat(vs.getMetadata().getFinalizers()).isNullOrEmpty();
            assertThat(vs.getStatus().lastGoodSpec()).contains("\"generation\":1");
            assertThat(vs.getStatus().virtualRouterId()).isEqualTo(51);
          });
      assertThat(
              admin
                  .leases()
                  .inNamespace(RELEASE_NAMESPACE)
                  .withName("lvs-operator-leader")
                  .get()
                  .getSpec()
                  .getHolderIdentity())
          .isEqualTo("kube-api-test");

      // The agents' calls (the mock-server suite recorded the real agent: get its LvsNode, patch
      // its status), made as the agent's ServiceAccount.
      agentReports(agentClient, "lvs1", "MASTER");
      agentReports(agentClient, "lvs2", "BACKUP");
      eventually(
          () -> {
            VirtualServer vs =
                admin.resources(VirtualServer.class).inNamespace("default").withName("web").get();
            assertThat(vs.getStatus().master()).isEqualTo("lvs1");
            assertThat(admin.v1().events().inNamespace("default").list().getItems())
                .anyMatch(e -> "MasterElected".equals(e.getReason()));
          });

      // What the chart must not let them do.
      assertForbidden(
          () ->
              agentClient
                  .resources(LvsNode.class)
                  .withName("lvs2")
                  .edit(
                      n -> {
                        n.getMetadata().setLabels(Map.of("touched", "by-agent"));
                        return n;
                      }));
      assertForbidden(() -> agentClient.secrets().inNamespace("default").list());
      assertForbidden(
          () ->
              operatorClient
                  .resources(LvsNode.class)
                  .withName("lvs1")
                  .editStatus(
                      n -> {
                        n.setStatus(null);
                        return n;
                      }));

      // `kubectl get`: the server's own Table carries the CRDs' printer columns.
      VirtualServer vs =
          admin.resources(VirtualServer.class).inNamespace("default").withName("web").get();
      assertTableRow(
          "/apis/lvsoperator.io/v1alpha1/namespaces/default/virtualservers",
          "virtualservers.lvsoperator.io.yaml",
          vs);
      assertThat(
              PrinterColumns.row(
                  TestingCluster.CRDS.resolve("virtualservers.lvsoperator.io.yaml"), vs))
          .containsEntry("MASTER", "lvs1")
          .containsEntry("VIP", "172.20.1.100");
      assertTableRow(
          "/apis/lvsoperator.io/v1alpha1/namespaces/default/realservers",
          "realservers.lvsoperator.io.yaml",
          admin
              .resources(io.lvsoperator.api.v1alpha1.RealServer.class)
              .inNamespace("default")
              .withName("rs1")
              .get());

      // Deleting: the operator empties the nodes (no finalizer to remove), with the chart's RBAC.
      admin.resources(VirtualServer.class).inNamespace("default").withName("web").delete();
      eventually(
          () -> {
            assertThat(
                    admin
                        .resources(VirtualServer.class)
                        .inNamespace("default")
                        .withName("web")
                        .get())
                .isNull();
            assertThat(
                    admin.resources(LvsNode.class).withName("lvs1").get().getSpec().vrrpInstances())
                .isEmpty();
          });
    }
  }

  private static void agentReports(KubernetesClient agent, String node, String state) {
    TestingCluster.agentReports(
        agent,
        node,
        List.of(
            new LvsNodeStatus.VrrpInstanceStatus(
                "eth0-51", 51, state, null, Instant.now().toString(), null)),
        List.of());
  }

  /** The row of {@code object} in the server's Table equals our reading of the CRD's columns. */
  private static void assertTableRow(String path, String crdFile, HasMetadata object) {
    try {
      tableRowMatches(path, crdFile, object);
    } catch (Exception e) {
      throw new AssertionError("Table " + path + ": " + e, e);
    }
  }

  private static void tableRowMatches(String path, String crdFile, HasMetadata object)
      throws Exception {
    var http = admin.getHttpClient();
    HttpRequest request =
        http.newHttpRequestBuilder()
            .uri(admin.getMasterUrl().toURI().resolve(path).toString())
            .header("Accept", TABLE)
            .build();
    HttpResponse<String> response = http.sendAsync(request, String.class).get(30, TimeUnit.SECONDS);
    assertThat(response.code()).as(response.body()).isEqualTo(200);
    JsonNode table = JSON.readTree(response.body());
    assertThat(table.path("kind").asText()).isEqualTo("Table");
    Path crd = TestingCluster.CRDS.resolve(crdFile);
    Map<String, String> types = PrinterColumns.types(crd);
    List<String> names = new ArrayList<>();
    table.path("columnDefinitions").forEach(c -> names.add(c.path("name").asText()));
    List<String> expectedNames = new ArrayList<>(List.of("Name"));
    expectedNames.addAll(types.keySet());
    assertThat(names).isEqualTo(expectedNames);
    JsonNode row = null;
    for (JsonNode r : table.path("rows")) {
      if (r.path("cells").get(0).asText().equals(object.getMetadata().getName())) {
        row = r;
      }
    }
    assertThat(row).as("row of " + object.getMetadata().getName()).isNotNull();
    Map<String, String> ours = PrinterColumns.row(crd, object);
    for (int i = 1; i < names.size(); i++) {
      String column = names.get(i);
      if (types.get(column).equals("date")) {
        continue; // the server prints an age ("5s"), kubectl-style
      }
      JsonNode cell = row.path("cells").get(i);
      assertThat(cell == null || cell.isNull() ? "" : cell.asText())
          .as(column)
          .isEqualTo(ours.get(column));
    }
  }

  private static List<RequestAttributes> neighbours(Permission p) {
    String[] resource = p.resource().split("/", 2);
    String main = resource[0];
    String sub = resource.length > 1 ? resource[1] : "";
    List<String> namespaces =
        p.grant().namespace().isEmpty()
            ? List.of("", "default")
            : List.of(p.grant().namespace(), "elsewhere");
    List<String> names =
        p.resourceName().isEmpty() ? List.of("", "x") : List.of(p.resourceName(), "other");
    List<RequestAttributes> out = new ArrayList<>();
    for (String verb :
        List.of(
            "get", "list", "watch", "create", "update", "patch", "delete", "deletecollection")) {
      for (String ns : namespaces) {
        for (String name : names) {
          out.add(RequestAttributes.resource(verb, p.apiGroup(), main, sub, ns, name));
          out.add(
              RequestAttributes.resource(
                  verb, p.apiGroup(), main, sub.isEmpty() ? "status" : "", ns, name));
        }
      }
    }
    return out;
  }

  private static boolean serverAllows(Identity identity, RequestAttributes r) {
    SubjectAccessReview review =
        new SubjectAccessReviewBuilder()
            .withNewSpec()
            .withUser(identity.user())
            .withGroups(new ArrayList<>(identity.groups()))
            .withNewResourceAttributes()
            .withVerb(r.verb())
            .withGroup(r.apiGroup())
            .withResource(r.resource())
            .withSubresource(r.subresource())
            .withNamespace(r.namespace())
            .withName(r.name())
            .endResourceAttributes()
            .endSpec()
            .build();
    return Boolean.TRUE.equals(
        admin.authorization().v1().subjectAccessReview().create(review).getStatus().getAllowed());
  }

  /** A client that acts as {@code identity}: the administrator's credentials, impersonating. */
  private static KubernetesClient impersonating(Identity identity) {
    Config config = Config.fromKubeconfig(apiServer.getKubeConfigYaml());
    config.setImpersonateUsername(identity.user());
    config.setImpersonateGroups(
        identity.groups().stream()
            .filter(g -> !g.equals(Identity.AUTHENTICATED))
            .toArray(String[]::new));
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  private static void assertForbidden(Runnable call) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
  }

  private static void node(String name, String address) {
    admin
        .nodes()
        .resource(
            new io.fabric8.kubernetes.api.model.NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .build())
        .create();
    admin
        .nodes()
        .withName(name)
        .editStatus(
            n -> {
              n.setStatus(
                  new io.fabric8.kubernetes.api.model.NodeStatusBuilder()
                      .addNewAddress()
                      .withType("InternalIP")
                      .withAddress(address)
                      .endAddress()
                      .addNewCondition()
                      .withType("Ready")
                      .withStatus("True")
                      .withReason("KubeletReady")
                      .endCondition()
                      .build());
              return n;
            });
  }

  private static VirtualServer virtualServer(String yaml, String namespace) {
    VirtualServer vs = admin.getKubernetesSerialization().unmarshal(yaml, VirtualServer.class);
    vs.getMetadata().setNamespace(namespace);
    return vs;
  }

  private static String namespace(String prefix) {
    String name = prefix + "-" + NAMES.incrementAndGet();
    admin
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    return name;
  }

  private static ResourceDefinitionContext context(String kind) {
    return new ResourceDefinitionContext.Builder()
        .withGroup("lvsoperator.io")
        .withVersion("v1alpha1")
        .withKind(kind)
        .withPlural(
            kind.equals("TenantPolicy")
                ? "tenantpolicies"
                : kind.toLowerCase(java.util.Locale.ROOT) + "s")
        .withNamespaced(!kind.equals("TenantPolicy"))
        .build();
  }

  private static boolean condition(CustomResourceDefinition crd, String type) {
    return crd.getStatus() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** Every x-kubernetes-validations rule in a schema tree, as text. */
  private static List<String> celRules(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node.isObject()) {
      node.properties()
          .forEach(
              e -> {
                if (e.getKey().equals("x-kubernetes-validations")) {
                  e.getValue().forEach(rule -> out.add(rule.path("rule").asText()));
                } else {
                  out.addAll(celRules(e.getValue()));
                }
              });
    } else if (node.isArray()) {
      node.forEach(n -> out.addAll(celRules(n)));
    }
    return out;
  }

  private static void eventually(Runnable assertion) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .untilAsserted(assertion::run);
  }
}
