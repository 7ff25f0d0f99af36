package io.lvsoperator.operator;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.lvsoperator.api.v1alpha1.LvsNode;
import io.lvsoperator.api.v1alpha1.LvsNodeHeadSpec;
import io.lvsoperator.api.v1alpha1.LvsNodeSlice;
import io.lvsoperator.api.v1alpha1.LvsNodeSliceStatus;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.api.v1alpha1.LvsNodeStatus;
import io.lvsoperator.api.v1alpha1.RealServer;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import io.lvsoperator.compiler.NodeSlices;
import io.lvsoperator.testing.chart.ChartRbac;
import io.lvsoperator.testing.chart.HelmChart;
import io.lvsoperator.testing.rbac.Identity;
import io.lvsoperator.testing.rbac.PolicyRule;
import io.lvsoperator.testing.rbac.RbacAudit;
import io.lvsoperator.testing.rbac.RbacPolicy;
import io.lvsoperator.testing.rbac.RequestAttributes;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Fabric8's CRUD mock API server with our CRDs installed, a client, and builders for the objects
 * the operator tests need. One per test; {@link #close()} stops every operator it started, then
 * judges every request the operators and the agents made against the RBAC the Helm chart renders
 * for those operators' settings, and fails on any the chart would deny.
 *
 * <p>Each party has its own bearer token, so each recorded request says who made it: the test
 * itself ({@link #client}, not judged), the operators started here (the chart's operator
 * ServiceAccount) and agents given {@link #AGENT_TOKEN} (the chart's agent ServiceAccount).
 */
final class TestingCluster implements AutoCloseable {
  static final Path CRDS = Path.of("..", "crds");

  /** The test's own setup and checks; an administrator, not judged. */
  static final String TEST_TOKEN = "test-administrator";

  /** The operators started by {@link #startOperator}: the chart's operator ServiceAccount. */
  static final String OPERATOR_TOKEN = "operator-service-account";

  /**
   * The VRRP PASS password of {@link #vrrpSecret()}, distinct enough that finding it anywhere but
   * in Secrets is a leak ({@link #close()} looks for it).
   */
  static final String PASSWORD = "Pw#1111x";

  /** The password a test rotates to. */
  static final String ROTATED_PASSWORD = "Pw#2222y";

  /** For agents' kubeconfigs: the chart's agent ServiceAccount. */
  static final String AGENT_TOKEN = "agent-service-account";

  final KubernetesMockServer server;
  final KubernetesClient client;
  private final RecordingDispatcher dispatcher;
  private final List<LvsOperator> operators = new ArrayList<>();
  private final List<KubernetesClient> operatorClients = new ArrayList<>();
  private final List<OperatorSettings> operatorSettings = new ArrayList<>();
  private volatile ChartRbac chart;
  private boolean serverStopped;
  private final int logMark = StderrCapture.mark();

  // The mock server logs every request at INFO through java.util.logging. Held in a field: JUL
  // keeps loggers weakly, and a collected logger forgets its level.
  private static final java.util.logging.Logger MOCK_SERVER_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  TestingCluster() {
    this(null);
  }

  /**
   * @param address where the API server listens (a random port), so that processes in other network
   *     namespaces can reach it; null for the loopback
   */
  TestingCluster(InetAddress address) {
    this(address, request -> {});
  }

  /**
   * @param address where the API server listens, null for the loopback
   * @param listener sees every request (with its body) before the API server answers it
   */
  TestingCluster(InetAddress address, Consumer<RecordedRequest> listener) {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    dispatcher = new RecordingDispatcher(responses, listener);
    server =
        new KubernetesMockServer(new Context(), new MockWebServer(), responses, dispatcher, false);
    if (address == null) {
      server.init();
    } else {
      server.init(address, 0);
    }
    // JOSDK asks whether it may use Leases before electing: answered from the chart's RBAC.
    dispatcher.answerRulesReviews(this::rulesFor);
    client = clientWithToken(TEST_TOKEN);
    installCrds(client, false);
  }

  /** The generated CRDs' files, under {@link #CRDS}. */
  static final List<String> CRD_FILES =
      List.of(
          "virtualservers.lvsoperator.io.yaml",
          "realservers.lvsoperator.io.yaml",
          "lvsnodes.lvsoperator.io.yaml",
          "lvsnodeslices.lvsoperator.io.yaml",
          "vrrpinstances.lvsoperator.io.yaml",
          "addresspools.lvsoperator.io.yaml",
          "tenantpolicies.lvsoperator.io.yaml");

  /**
   * Creates (or updates) the generated CRDs; on a real API server ({@code established}) waits until
   * each is Established (the mock sets no status).
   */
  static void installCrds(KubernetesClient client, boolean established) {
    for (String crd : CRD_FILES) {
      try (InputStream in = Files.newInputStream(CRDS.resolve(crd))) {
        CustomResourceDefinition definition =
            client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
        client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .resource(definition)
            .createOr(NonDeletingOperation::update); // a create retried after a timeout finds it
        if (established) {
          client
              .apiextensions()
              .v1()
              .customResourceDefinitions()
              .withName(definition.getMetadata().getName())
              .waitUntilCondition(
                  c ->
                      c.getStatus() != null
                          && c.getStatus().getConditions().stream()
                              .anyMatch(
                                  x ->
                                      "Established".equals(x.getType())
                                          && "True".equals(x.getStatus())),
                  60,
                  java.util.concurrent.TimeUnit.SECONDS);
        }
      } catch (IOException e) {
        throw new IllegalStateException("read CRD " + crd, e);
      }
    }
  }

  static OperatorSettings settings(String identity, boolean leaderElection) {
    return settings(identity, leaderElection, Set.of());
  }

  static OperatorSettings settings(
      String identity, boolean leaderElection, Set<String> namespaces) {
    return new OperatorSettings(
        namespaces,
        leaderElection,
        "lvs-operator",
        "default",
        Duration.ofSeconds(3),
        identity,
        io.lvsoperator.endpoints.EndpointSettings.of(java.net.InetAddress.getLoopbackAddress(), 0),
        Duration.ofSeconds(1),
        Duration.ofSeconds(60),
        false,
        "default",
        true,
        false);
  }

  LvsOperator startOperator(String identity, boolean leaderElection) {
    return startOperator(settings(identity, leaderElection));
  }

  LvsOperator startOperator(OperatorSettings settings) {
    KubernetesClient operatorClient = clientWithToken(OPERATOR_TOKEN);
    operatorClients.add(operatorClient);
    operatorSettings.add(settings);
    chart = chartFor(operatorSettings);
    LvsOperator op = new LvsOperator(operatorClient, settings, Clock.systemUTC());
    operators.add(op);
    op.start();
    return op;
  }

  /** A client of this API server that authenticates with {@code token}. */
  KubernetesClient clientWithToken(String token) {
    try (KubernetesClient plain = server.createClient()) {
      return new KubernetesClientBuilder()
          .withConfig(new ConfigBuilder(plain.getConfiguration()).withOauthToken(token).build())
          .build();
    }
  }

  LvsOperator startOperator() {
    return startOperator("op-1", false);
  }

  Node node(String name, String address, boolean ready, String... labels) {
    Map<String, String> l = new HashMap<>();
    for (int i = 0; i + 1 < labels.length; i += 2) {
      l.put(labels[i], labels[i + 1]);
    }
    Node node =
        new NodeBuilder()
            .withNewMetadata()
            .withName(name)
            .withLabels(l)
            .endMetadata()
            .withNewStatus()
            .addNewAddress()
            .withType("InternalIP")
            .withAddress(address)
            .endAddress()
            .addNewCondition()
            .withType("Ready")
            .withStatus(ready ? "True" : "False")
            .endCondition()
            .endStatus()
            .build();
    return client.nodes().resource(node).create();
  }

  void setNodeReady(String name, boolean ready) {
    client
        .nodes()
        .withName(name)
        .edit(
            n -> {
              n.getStatus().getConditions().getFirst().setStatus(ready ? "True" : "False");
              return n;
            });
  }

  void labelNode(String name, String key, String value) {
    client
        .nodes()
        .withName(name)
        .edit(
            n -> {
              Map<String, String> labels = new HashMap<>(n.getMetadata().getLabels());
              labels.put(key, value);
              n.getMetadata().setLabels(labels);
              return n;
            });
  }

  /** The reference scenario's nodes: directors lvs1, lvs2 and real-server hosts rs1, rs2. */
  void referenceNodes() {
    node("lvs1", "172.20.1.1", true);
    node("lvs2", "172.20.1.2", true);
    node("rs1", "172.20.1.10", true);
    node("rs2", "172.20.1.11", true);
  }

  void vrrpSecret() {
    Secret s =
        new SecretBuilder()
            .withNewMetadata()
            .withName("vrrp-auth")
            .withNamespace("default")
            .endMetadata()
            .addToStringData("password", PASSWORD)
            .build();
    client.secrets().inNamespace("default").resource(s).create();
  }

  VirtualServer virtualServer(String yaml) {
    VirtualServer vs = client.getKubernetesSerialization().unmarshal(yaml, VirtualServer.class);
    if (vs.getMetadata().getNamespace() == null) {
      vs.getMetadata().setNamespace("default");
    }
    return client.resource(vs).create();
  }

  RealServer realServer(String name, String address, String virtualServer, String node) {
    String yaml =
        """
        apiVersion: lvsoperator.io/v1alpha1
        kind: RealServer
        metadata:
          name: %s
          namespace: default
        spec:
          address: %s
          port: 80
          virtualServer: %s
          node: %s
        """
            .formatted(name, address, virtualServer, node);
    return client
        .resource(client.getKubernetesSerialization().unmarshal(yaml, RealServer.class))
        .create();
  }

  /** The reference VirtualServer "web" (examples/reference) with the given name and VIP. */
  static String referenceVirtualServer(String name, String vip, String extraSpec) {
    return """
        apiVersion: lvsoperator.io/v1alpha1
        kind: VirtualServer
        metadata:
          name: %s
          namespace: default
        spec:
          vip: %s
          port: 80
          protocol: TCP
          scheduler: rr
          forwarding: DR
          healthCheck:
            type: HTTP_GET
            path: /
            expectedStatus: ["200"]
            delayLoop: 6s
            connectTimeout: 3s
            retry: 3
            delayBeforeRetry: 3s
          vrrp:
            interface: eth0
            version: 2
            advertIntervalMs: 1000
            authPassSecretRef:
              name: vrrp-auth
              key: password
            vipPrefixLength: 16
            vipLabel: eth0:1
        %s
          directors:
            nodes:
              - name: lvs1
                priority: 100
              - name: lvs2
                priority: 50
        """
        .formatted(name, vip, extraSpec.indent(4).stripTrailing());
  }

  VirtualServer getVirtualServer(String name) {
    return client.resources(VirtualServer.class).inNamespace("default").withName(name).get();
  }

  RealServer getRealServer(String name) {
    return client.resources(RealServer.class).inNamespace("default").withName(name).get();
  }

  LvsNode lvsNode(String name) {
    return client.resources(LvsNode.class).withName(name).get();
  }

  /** The node's slices, by name. */
  List<LvsNodeSlice> slices(String node) {
    return client
        .resources(LvsNodeSlice.class)
        .withLabel(LvsNodeSlice.NODE_LABEL, node)
        .list()
        .getItems()
        .stream()
        .sorted(java.util.Comparator.comparing(s -> s.getMetadata().getName()))
        .toList();
  }

  /** The values of Secret lvs-vrrp-auth (in the operators' namespace), by key; empty if none. */
  Map<String, String> authPasswords() {
    Secret secret =
        client.secrets().inNamespace("default").withName(LvsNodeSlice.VRRP_AUTH_SECRET).get();
    return secret == null ? Map.of() : VrrpAuthSecretDependent.values(secret);
  }

  /**
   * A node's whole config as its agent merges it (design doc §3): its head, its slices and the
   * passwords the head names; null without a head.
   */
  LvsNodeSpec nodeConfig(String node) {
    LvsNode head = lvsNode(node);
    if (head == null) {
      return null;
    }
    LvsNodeSpec spec = head.getSpec() == null ? LvsNodeSpec.empty() : head.getSpec();
    return NodeSlices.merge(
        new LvsNodeHeadSpec(spec.vrrpInstances(), spec.syncGroups()),
        slices(node).stream().map(LvsNodeSlice::getSpec).toList(),
        authPasswords());
  }

  /** Writes an agent's status as a real agent would: having applied the current generation. */
  void agentReports(
      String node,
      List<LvsNodeStatus.VrrpInstanceStatus> vrrp,
      List<LvsNodeStatus.HealthStatus> health) {
    agentReports(client, node, vrrp, health);
  }

  /**
   * {@link #agentReports(String, List, List)} through {@code client}, e.g. as the agent: the head's
   * status (its generation applied, a heartbeat, the VRRP states) and each slice's (its generation
   * applied; the destinations {@code health} says are unhealthy listed as down, those whose {@code
   * healthy} is null as pending, the others healthy).
   */
  static void agentReports(
      KubernetesClient client,
      String node,
      List<LvsNodeStatus.VrrpInstanceStatus> vrrp,
      List<LvsNodeStatus.HealthStatus> health) {
    client
        .resources(LvsNode.class)
        .withName(node)
        .editStatus(
            ln -> {
              ln.setStatus(
                  new LvsNodeStatus(
                      ln.getMetadata().getGeneration(),
                      "test",
                      Instant.now().toString(),
                      "",
                      vrrp,
                      null,
                      null));
              return ln;
            });
    // As the agent does: patches bound to the listed objects (the agent may list slices, not get).
    for (LvsNodeSlice slice :
        client
            .resources(LvsNodeSlice.class)
            .withLabel(LvsNodeSlice.NODE_LABEL, node)
            .list()
            .getItems()) {
      client
          .resource(slice)
          .subresource("status")
          .patch(
              io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                  io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
              client
                  .getKubernetesSerialization()
                  .asJson(Map.of("status", sliceStatus(slice, health))));
    }
  }

  private static LvsNodeSliceStatus sliceStatus(
      LvsNodeSlice slice, List<LvsNodeStatus.HealthStatus> health) {
    java.util.Set<String> held = new java.util.HashSet<>();
    slice
        .getSpec()
        .entries()
        .forEach(
            e ->
                e.ipvsServices()
                    .forEach(
                        svc ->
                            svc.destinations()
                                .forEach(d -> held.add(d.address() + ":" + d.port()))));
    List<LvsNodeSliceStatus.Down> down = new ArrayList<>();
    List<LvsNodeSliceStatus.Pending> pending = new ArrayList<>();
    for (LvsNodeStatus.HealthStatus h : health) {
      if (!held.contains(h.address() + ":" + h.port())) {
        continue;
      }
      if (h.healthy() == null) {
        pending.add(new LvsNodeSliceStatus.Pending(h.address(), h.port()));
      } else if (!h.healthy()) {
        down.add(new LvsNodeSliceStatus.Down(h.address(), h.port(), h.reason(), h.since()));
      }
    }
    return new LvsNodeSliceStatus(slice.getMetadata().getGeneration(), down, pending, null);
  }

  static LvsNodeStatus.VrrpInstanceStatus vrrp(String instance, String state) {
    return new LvsNodeStatus.VrrpInstanceStatus(instance, null, state, null, null, null);
  }

  static LvsNodeStatus.HealthStatus health(String address, boolean healthy, String reason) {
    return new LvsNodeStatus.HealthStatus(address, 80, healthy, reason, 1L, "2026-01-01T00:00:00Z");
  }

  List<io.fabric8.kubernetes.api.model.Event> events(String involvedName) {
    return client.v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> involvedName.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  static void eventually(Runnable assertion) {
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .untilAsserted(assertion::run);
  }

  static String rv(HasMetadata resource) {
    return resource.getMetadata().getResourceVersion();
  }

  /** The operators' requests so far, oldest first, as "METHOD path?query". */
  List<String> operatorRequests() {
    return dispatcher.requests().stream()
        .filter(r -> OPERATOR_TOKEN.equals(r.token()))
        .map(r -> r.method() + " " + r.uri())
        .toList();
  }

  /** A kubeconfig for a process outside this JVM, speaking to this API server as {@code token}. */
  String kubeconfig(String host, String token) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
          - name: mock
            cluster:
              server: http://%s:%d
        users:
          - name: client
            user:
              token: %s
        contexts:
          - name: mock
            context:
              cluster: mock
              user: client
        current-context: mock
        """
        .formatted(host, server.getPort(), token);
  }

  /** Stops the API server: clients see connections refused from now on. */
  void stopServer() {
    if (!serverStopped) {
      serverStopped = true;
      server.destroy();
    }
  }

  @Override
  public void close() {
    for (LvsOperator op : operators) {
      op.close();
    }
    operatorClients.forEach(KubernetesClient::close);
    client.close();
    stopServer();
    judgeRequests();
    noPasswordOutsideSecrets();
  }

  /** Keeps no request bodies from now on (a benchmark writing gigabytes). */
  void keepNoBodies() {
    dispatcher.keepBodies(false);
  }

  /**
   * No Secret value in any custom resource or log (issue 18): the test passwords, in clear or in
   * base64, appear in no object the operators and agents wrote but Secrets, and nowhere in what
   * this JVM logged while the cluster ran.
   */
  private void noPasswordOutsideSecrets() {
    List<String> forms = new ArrayList<>();
    for (String p : List.of(PASSWORD, ROTATED_PASSWORD)) {
      forms.add(p);
      forms.add(java.util.Base64.getEncoder().encodeToString(p.getBytes(UTF_8)));
    }
    List<String> leaks = new ArrayList<>();
    for (RecordingDispatcher.Request r : dispatcher.requests()) {
      if (r.body() == null || r.uri().matches("/api/v1/namespaces/[^/]+/secrets(/.*)?")) {
        continue;
      }
      for (String form : forms) {
        if (r.body().contains(form)) {
          leaks.add(r.method() + " " + r.uri() + " carries " + form);
        }
      }
    }
    String log = StderrCapture.since(logMark);
    for (String form : forms) {
      if (log.contains(form)) {
        int at = log.indexOf(form);
        leaks.add(
            "the log carries "
                + form
                + ": "
                + log.substring(Math.max(0, at - 200), Math.min(log.length(), at + 50)));
      }
    }
    if (!leaks.isEmpty()) {
      throw new AssertionError("a password outside Secrets:\n  " + String.join("\n  ", leaks));
    }
  }

  /**
   * Renders the chart for the operators' settings (release namespace = the Lease's namespace, the
   * Lease's name, the watched namespaces), judges every request of the operators and agents against
   * its RBAC, keeps them for {@link ChartRbacIT}, and fails naming each request the chart denies.
   */
  private void judgeRequests() {
    OperatorSettings s =
        operatorSettings.isEmpty() ? settings("none", false) : operatorSettings.getFirst();
    Map<String, Object> values = chartValues(s);
    ChartRbac judge = chartFor(operatorSettings);
    List<RbacAudit.Call> calls = new ArrayList<>();
    List<RecordingDispatcher.Request> unknown = new ArrayList<>();
    for (RecordingDispatcher.Request r : dispatcher.requests()) {
      switch (r.token()) {
        case TEST_TOKEN -> {}
        case OPERATOR_TOKEN -> calls.add(call(judge.operator(), r));
        case AGENT_TOKEN -> calls.add(call(judge.agent(), r));
        default -> unknown.add(r);
      }
    }
    ChartRbacLedger.add(new ChartRbacLedger.Run(values, judge, calls));
    if (!unknown.isEmpty()) {
      throw new AssertionError("requests with no known identity (bearer token): " + unknown);
    }
    RbacAudit audit = new RbacAudit(judge.policy(), RbacPolicy.kubernetesDefaults(), calls);
    if (!audit.denied().isEmpty()) {
      throw new AssertionError(
          "the chart ("
              + HelmChart.CHART
              + ", namespace "
              + s.leaseNamespace()
              + ", values "
              + values
              + ") denies "
              + audit.denied().size()
              + " kinds of request:\n  "
              + audit.denied().stream()
                  .map(RbacAudit.Call::toString)
                  .collect(Collectors.joining("\n  "))
              + "\nevery request:\n"
              + audit.report());
    }
  }

  /** The chart rendered for the operators' settings; all operators of a test share one. */
  private static ChartRbac chartFor(List<OperatorSettings> operators) {
    OperatorSettings s = operators.isEmpty() ? settings("none", false) : operators.getFirst();
    Map<String, Object> values = chartValues(s);
    for (OperatorSettings other : operators) {
      if (!chartValues(other).equals(values)) {
        throw new AssertionError(
            "operators of one test need one chart: " + values + " vs " + chartValues(other));
      }
    }
    return ChartRbac.render(s.leaseNamespace(), values);
  }

  /** What a SelfSubjectRulesReview answers the bearer of {@code token}. */
  private List<PolicyRule> rulesFor(String token, String namespace) {
    ChartRbac c = chart;
    if (token.equals(TEST_TOKEN)) {
      return List.of(PolicyRule.of(List.of("*"), List.of("*"), List.of("*"), List.of()));
    }
    if (c == null) {
      return List.of();
    }
    return switch (token) {
      case OPERATOR_TOKEN ->
          c.policy().plus(RbacPolicy.kubernetesDefaults()).rulesFor(c.operator(), namespace);
      case AGENT_TOKEN ->
          c.policy().plus(RbacPolicy.kubernetesDefaults()).rulesFor(c.agent(), namespace);
      default -> List.of();
    };
  }

  private static RbacAudit.Call call(Identity who, RecordingDispatcher.Request r) {
    return new RbacAudit.Call(who, RequestAttributes.fromHttp(r.method(), r.uri()));
  }

  /**
   * The chart values (helm --set) that match {@code s}: the Lease's name, the watched namespaces.
   */
  static Map<String, Object> chartValues(OperatorSettings s) {
    Map<String, Object> values = new TreeMap<>();
    values.put("operator.leaderElection.leaseName", s.leaseName());
    List<String> namespaces = s.watchNamespaces().stream().sorted().toList();
    for (int i = 0; i < namespaces.size(); i++) {
      values.put("operator.watchNamespaces[" + i + "]", namespaces.get(i));
    }
    return values;
  }
}
