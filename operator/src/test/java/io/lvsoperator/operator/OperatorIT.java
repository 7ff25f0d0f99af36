package io.lvsoperator.operator;

import static io.lvsoperator.operator.TestingCluster.eventually;
import static io.lvsoperator.operator.TestingCluster.health;
import static io.lvsoperator.operator.TestingCluster.referenceVirtualServer;
import static io.lvsoperator.operator.TestingCluster.vrrp;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.lvsoperator.api.v1alpha1.LvsNode;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.api.v1alpha1.TenantPolicy;
import io.lvsoperator.api.v1alpha1.TenantPolicySpec;
import io.lvsoperator.api.v1alpha1.TenantPolicySpec.SpecialAddress;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import io.lvsoperator.api.v1alpha1.VirtualServerStatus;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operator against Fabric8's CRUD mock API server, with hand-written agent statuses. */
class OperatorIT {
  private TestingCluster cluster;

  @BeforeEach
  void setUp() {
    cluster = new TestingCluster();
  }

  @AfterEach
  void tearDown() {
    cluster.close();
  }

  private static Condition condition(VirtualServer vs, String type) {
    assertThat(vs.getStatus()).as("status of %s", vs.getMetadata().getName()).isNotNull();
    return Conditions.find(vs.getStatus().conditions(), type).orElseThrow();
  }

  /** The reference scenario, applied and reported on by two healthy agents. */
  private void referenceScenario() {
    cluster.referenceNodes();
    cluster.vrrpSecret();
    cluster.virtualServer(referenceVirtualServer("web", "172.20.1.100", "virtualRouterId: 51"));
    cluster.realServer("rs1", "172.20.1.10", "web", "rs1");
    cluster.realServer("rs2", "172.20.1.11", "web", "rs2");
  }

  @Test
  void createUpdateDeleteWritesEveryNodeAndThenEmptiesThem() {
    referenceScenario();
    cluster.startOperator();

    eventually(
        () -> {
          LvsNode lvs1 = cluster.lvsNode("lvs1");
          assertThat(lvs1).isNotNull();
          LvsNodeSpec config = cluster.nodeConfig("lvs1");
          var instance = config.vrrpInstances().getFirst();
          assertThat(instance.name()).isEqualTo("eth0-51");
          assertThat(instance.priority()).isEqualTo(100);
          assertThat(instance.authPass()).isEqualTo(TestingCluster.PASSWORD);
          // The head carries the instance and names its password; the slice carries the service.
          var head = lvs1.getSpec().vrrpInstances().getFirst();
          assertThat(head.authPass()).isNull();
          assertThat(head.authPassKey()).isEqualTo("vs_default.web");
          assertThat(head.vips()).isEmpty();
          assertThat(lvs1.getSpec().ipvsServices()).isEmpty();
          assertThat(cluster.slices("lvs1"))
              .singleElement()
              .satisfies(
                  slice -> {
                    assertThat(slice.getMetadata().getName()).isEqualTo("lvs1-0");
                    assertThat(slice.getSpec().node()).isEqualTo("lvs1");
                    assertThat(slice.getMetadata().getOwnerReferences().getFirst().getKind())
                        .isEqualTo("Node");
                  });
          assertThat(cluster.authPasswords())
              .containsExactly(Map.entry("vs_default.web", TestingCluster.PASSWORD));
          assertThat(config.ipvsServices().getFirst().destinations())
              .extracting(LvsNodeSpec.Destination::address)
              .containsExactly("172.20.1.10", "172.20.1.11");
          assertThat(cluster.nodeConfig("lvs2").vrrpInstances().getFirst().priority())
              .isEqualTo(50);
          assertThat(cluster.nodeConfig("rs1").realServerVips()).containsExactly("172.20.1.100");
          assertThat(cluster.nodeConfig("rs2").realServerVips()).containsExactly("172.20.1.100");
          assertThat(lvs1.getMetadata().getOwnerReferences().getFirst().getKind())
              .isEqualTo("Node");
        });
    eventually(
        () -> {
          VirtualServer vs = cluster.getVirtualServer("web");
          assertThat(vs.getStatus().virtualRouterId()).isEqualTo(51);
          assertThat(condition(vs, "Programmed").getReason()).isEqualTo("Pending");
          assertThat(vs.getStatus().lastGoodSpec()).contains("\"generation\":1");
          // Deletion needs no finalizer: the Node reconciler hears of it and empties the nodes.
          assertThat(vs.getMetadata().getFinalizers()).isNullOrEmpty();
        });
    long headGeneration = cluster.lvsNode("lvs1").getMetadata().getGeneration();
    long sliceGeneration = cluster.slices("lvs1").getFirst().getMetadata().getGeneration();

    cluster
        .client
        .resources(VirtualServer.class)
        .inNamespace("default")
        .withName("web")
        .edit(
            vs -> {
              var s = vs.getSpec();
              vs.setSpec(
                  new io.lvsoperator.api.v1alpha1.VirtualServerSpec(
                      s.vip(),
                      s.port(),
                      s.protocol(),
                      io.lvsoperator.api.v1alpha1.Scheduler.wrr,
                      s.forwarding(),
                      s.persistenceTimeoutSeconds(),
                      s.persistenceNetmask(),
                      s.realServers(),
                      s.realServerSelector(),
                      s.healthCheck(),
                      s.vrrp(),
                      s.directors()));
              return vs;
            });
    eventually(
        () -> {
          LvsNodeSpec lvs1 = cluster.nodeConfig("lvs1");
          assertThat(lvs1.ipvsServices().getFirst().scheduler().name()).isEqualTo("wrr");
          assertThat(lvs1.sources()).containsExactly(new LvsNodeSpec.Source("default", "web", 2));
          // Only the slice holding it is rewritten; the head has not changed.
          assertThat(cluster.slices("lvs1").getFirst().getMetadata().getGeneration())
              .isGreaterThan(sliceGeneration);
          assertThat(cluster.lvsNode("lvs1").getMetadata().getGeneration())
              .isEqualTo(headGeneration);
        });

    cluster.client.resources(VirtualServer.class).inNamespace("default").withName("web").delete();
    eventually(
        () -> {
          assertThat(cluster.getVirtualServer("web")).isNull();
          for (String node : List.of("lvs1", "lvs2", "rs1", "rs2")) {
            assertThat(cluster.nodeConfig(node)).as(node).isEqualTo(LvsNodeSpec.empty());
            assertThat(cluster.slices(node)).as(node).isEmpty();
          }
        });
  }

  @Test
  void rotatingTheVrrpPasswordSecretReprogramsTheDirectors() {
    referenceScenario();
    cluster.startOperator();
    eventually(
        () ->
            assertThat(cluster.nodeConfig("lvs1").vrrpInstances().getFirst().authPass())
                .isEqualTo(TestingCluster.PASSWORD));
    String headVersion = TestingCluster.rv(cluster.lvsNode("lvs1"));
    String sliceVersion = TestingCluster.rv(cluster.slices("lvs1").getFirst());
    cluster
        .client
        .secrets()
        .inNamespace("default")
        .withName("vrrp-auth")
        .edit(
            s -> {
              s.setData(null);
              s.setStringData(Map.of("password", TestingCluster.ROTATED_PASSWORD));
              return s;
            });
    eventually(
        () -> {
          assertThat(cluster.nodeConfig("lvs1").vrrpInstances().getFirst().authPass())
              .isEqualTo(TestingCluster.ROTATED_PASSWORD);
          assertThat(cluster.nodeConfig("lvs2").vrrpInstances().getFirst().authPass())
              .isEqualTo(TestingCluster.ROTATED_PASSWORD);
        });
    // The password is by reference: only Secret lvs-vrrp-auth changed, no head and no slice.
    assertThat(TestingCluster.rv(cluster.lvsNode("lvs1"))).isEqualTo(headVersion);
    assertThat(TestingCluster.rv(cluster.slices("lvs1").getFirst())).isEqualTo(sliceVersion);
  }

  @Test
  void servesOnlyTheWatchedNamespaces() {
    cluster.referenceNodes();
    cluster.vrrpSecret();
    cluster.virtualServer(referenceVirtualServer("web", "172.20.1.100", ""));
    VirtualServer elsewhere =
        cluster
            .client
            .getKubernetesSerialization()
            .unmarshal(referenceVirtualServer("other", "172.20.1.101", ""), VirtualServer.class);
    elsewhere.getMetadata().setNamespace("elsewhere");
    cluster.client.resource(elsewhere).create();
    LvsOperator op =
        cluster.startOperator(TestingCluster.settings("op-1", false, java.util.Set.of("default")));
    eventually(
        () ->
            assertThat(cluster.nodeConfig("lvs1").sources())
                .extracting(LvsNodeSpec.Source::name)
                .containsExactly("web"));
    eventually(() -> assertThat(op.reconciles()).isGreaterThan(12)); // resyncs ran
    assertThat(
            cluster
                .client
                .resources(VirtualServer.class)
                .inNamespace("elsewhere")
                .withName("other")
                .get()
                .getStatus())
        .isNull();
  }

  @Test
  void placesDirectorsByNodeLabels() {
    cluster.node("a", "10.0.0.1", true, "lvs", "director");
    cluster.node("b", "10.0.0.2", true);
    cluster.node("c", "10.0.0.3", true, "lvs", "director");
    cluster.virtualServer(
        """
        apiVersion: lvsoperator.io/v1alpha1
        kind: VirtualServer
        metadata:
          name: vip-only
        spec:
          vip: 10.0.0.100
          vrrp:
            interface: eth0
            unicastPeersFromDirectors: true
          directors:
            nodeSelector:
              lvs: director
        """);
    cluster.startOperator();
    eventually(
        () -> {
          assertThat(cluster.lvsNode("a")).isNotNull();
          assertThat(cluster.lvsNode("c")).isNotNull();
          assertThat(cluster.lvsNode("b")).isNull();
          var a = cluster.nodeConfig("a").vrrpInstances().getFirst();
          var c = cluster.nodeConfig("c").vrrpInstances().getFirst();
          assertThat(a.priority()).isGreaterThan(c.priority());
          assertThat(a.unicastPeers()).containsExactly("10.0.0.3");
          assertThat(c.unicastPeers()).containsExactly("10.0.0.1");
        });

    cluster.labelNode("b", "lvs", "director");
    eventually(
        () -> {
          assertThat(cluster.lvsNode("b")).isNotNull();
          assertThat(cluster.nodeConfig("b").vrrpInstances()).hasSize(1);
          assertThat(cluster.getVirtualServer("vip-only").getStatus().directors())
              .extracting(VirtualServerStatus.DirectorStatus::node)
              .containsExactly("a", "b", "c");
        });
  }

  @Test
  void allocatesDistinctStickyVirtualRouterIds() {
    cluster.referenceNodes();
    cluster.vrrpSecret();
    cluster.virtualServer(referenceVirtualServer("one", "172.20.1.101", ""));
    cluster.virtualServer(referenceVirtualServer("two", "172.20.1.102", ""));
    cluster.startOperator();
    Map<String, Integer> vrids = new HashMap<>();
    eventually(
        () -> {
          for (String name : List.of("one", "two")) {
            Integer vrid = cluster.getVirtualServer(name).getStatus().virtualRouterId();
            assertThat(vrid).as(name).isNotNull().isBetween(1, 255);
            vrids.put(name, vrid);
          }
          assertThat(vrids.get("one")).isNotEqualTo(vrids.get("two"));
          assertThat(cluster.nodeConfig("lvs1").vrrpInstances())
              .extracting(LvsNodeSpec.VrrpInstance::virtualRouterId)
              .containsExactlyInAnyOrderElementsOf(vrids.values());
        });

    // A newcomer whose VIP hashes anywhere never takes a VRID already in use.
    cluster.virtualServer(referenceVirtualServer("three", "172.20.1.103", ""));
    eventually(
        () -> {
          Integer three = cluster.getVirtualServer("three").getStatus().virtualRouterId();
          assertThat(three).isNotNull();
          assertThat(vrids.values()).doesNotContain(three);
          assertThat(cluster.getVirtualServer("one").getStatus().virtualRouterId())
              .isEqualTo(vrids.get("one"));
          assertThat(cluster.getVirtualServer("two").getStatus().virtualRouterId())
              .isEqualTo(vrids.get("two"));
        });
  }

  @Test
  void conflictNamesTheOlderObjectWhichKeepsItsNodes() throws Exception {
    cluster.referenceNodes();
    cluster.vrrpSecret();
    cluster.virtualServer(referenceVirtualServer("older", "172.20.1.100", ""));
    Thread.sleep(1100); // creation timestamps have one-second resolution: make "older" older
    cluster.virtualServer(referenceVirtualServer("newer", "172.20.1.100", ""));
    cluster.startOperator();
    eventually(
        () -> {
          Condition conflict = condition(cluster.getVirtualServer("newer"), "Conflict");
          assertThat(conflict.getStatus()).isEqualTo("True");
          assertThat(conflict.getReason()).isEqualTo("VipPortInUse");
          assertThat(conflict.getMessage()).contains("default/older");
          assertThat(conflict.getObservedGeneration()).isEqualTo(1L);
          assertThat(condition(cluster.getVirtualServer("older"), "Conflict").getStatus())
              .isEqualTo("False");
          assertThat(cluster.nodeConfig("lvs1").sources())
              .extracting(LvsNodeSpec.Source::name)
              .containsExactly("older");
          assertThat(cluster.events("newer"))
              .anySatisfy(
                  e -> {
                    assertThat(e.getReason()).isEqualTo("Conflict");
                    assertThat(e.getType()).isEqualTo("Warning");
                    assertThat(e.getMessage()).contains("default/older");
                  });
        });
  }

  @Test
  void invalidUpdateKeepsTheLastGoodSpecOnNodes() {
    referenceScenario();
    cluster.startOperator();
    eventually(
        () -> {
          assertThat(cluster.getVirtualServer("web").getStatus().lastGoodSpec()).isNotNull();
          assertThat(cluster.nodeConfig("lvs1").sources()).isNotEmpty();
        });
    LvsNodeSpec before = cluster.nodeConfig("lvs1");
    String lvs1Version = TestingCluster.rv(cluster.lvsNode("lvs1"));
    String sliceVersion = TestingCluster.rv(cluster.slices("lvs1").getFirst());

    // The mock API server enforces no schema, so the operator must catch this itself.
    cluster
        .client
        .resources(VirtualServer.class)
        .inNamespace("default")
        .withName("web")
        .edit(
            vs -> {
              var s = vs.getSpec();
              vs.setSpec(
                  new io.lvsoperator.api.v1alpha1.VirtualServerSpec(
                      s.vip(),
                      70000,
                      s.protocol(),
                      s.scheduler(),
                      s.forwarding(),
                      s.persistenceTimeoutSeconds(),
                      s.persistenceNetmask(),
                      s.realServers(),
                      s.realServerSelector(),
                      s.healthCheck(),
                      s.vrrp(),
                      s.directors()));
              return vs;
            });
    eventually(
        () -> {
          VirtualServer vs = cluster.getVirtualServer("web");
          Condition programmed = condition(vs, "Programmed");
          assertThat(programmed.getStatus()).isEqualTo("False");
          assertThat(programmed.getReason()).isEqualTo("InvalidSpec");
          assertThat(programmed.getMessage()).contains("spec.port").contains("70000");
          assertThat(programmed.getMessage()).contains("generation 1 keeps running");
          assertThat(programmed.getObservedGeneration()).isEqualTo(2L);
          assertThat(cluster.events("web")).anyMatch(e -> "InvalidSpec".equals(e.getReason()));
        });
    assertThat(cluster.nodeConfig("lvs1")).isEqualTo(before);
    assertThat(TestingCluster.rv(cluster.lvsNode("lvs1"))).isEqualTo(lvs1Version);
    assertThat(TestingCluster.rv(cluster.slices("lvs1").getFirst())).isEqualTo(sliceVersion);
    assertThat(cluster.nodeConfig("lvs1").ipvsServices().getFirst().port()).isEqualTo(80);
  }

  @Test
  void aTenantPolicyRefusesWhatItDoesNotAllowAndIsReEvaluatedWhenItChanges() {
    referenceScenario();
    cluster.startOperator();
    eventually(
        () ->
            assertThat(cluster.nodeConfig("lvs1").ipvsServices().getFirst().destinations())
                .hasSize(2));

    // The reference real servers run on the nodes rs1 and rs2: their addresses are the nodes'.
    TenantPolicy policy = tenantPolicy("172.20.1.0/24", List.of());
    cluster.client.resource(policy).create();
    eventually(
        () -> {
          Condition accepted =
              Conditions.find(cluster.getRealServer("rs1").getStatus().conditions(), "Accepted")
                  .orElseThrow();
          assertThat(accepted.getStatus()).isEqualTo("False");
          assertThat(accepted.getReason()).isEqualTo("PolicyViolation");
          assertThat(accepted.getMessage())
              .isEqualTo(
                  "spec.address: 172.20.1.10 is the address of node rs1, refused by TenantPolicy"
                      + " team-default");
          assertThat(cluster.events("rs1")).anyMatch(e -> "PolicyViolation".equals(e.getReason()));
          assertThat(cluster.nodeConfig("lvs1").ipvsServices().getFirst().destinations()).isEmpty();
        });
    assertThat(condition(cluster.getVirtualServer("web"), "Programmed").getReason())
        .as("the VirtualServer itself complies (no agent reports here: Pending)")
        .isEqualTo("Pending");

    cluster
        .client
        .resources(TenantPolicy.class)
        .withName("team-default")
        .edit(p -> tenantPolicy("172.20.1.0/24", List.of(SpecialAddress.NodeAddresses)));
    eventually(
        () ->
            assertThat(cluster.nodeConfig("lvs1").ipvsServices().getFirst().destinations())
                .hasSize(2));

    cluster
        .client
        .resources(TenantPolicy.class)
        .withName("team-default")
        .edit(p -> tenantPolicy("10.0.0.0/8", List.of(SpecialAddress.NodeAddresses)));
    eventually(
        () -> {
          Condition programmed = condition(cluster.getVirtualServer("web"), "Programmed");
          assertThat(programmed.getStatus()).isEqualTo("False");
          assertThat(programmed.getReason()).isEqualTo("PolicyViolation");
          assertThat(programmed.getMessage())
              .contains(
                  "spec.vip: 172.20.1.100 is outside the VIP ranges of TenantPolicy team-default"
                      + " (10.0.0.0/8)")
              .contains("nothing runs for it");
          assertThat(condition(cluster.getVirtualServer("web"), "Ready").getReason())
              .isEqualTo("PolicyViolation");
          assertThat(cluster.events("web")).anyMatch(e -> "PolicyViolation".equals(e.getReason()));
          assertThat(cluster.nodeConfig("lvs1").ipvsServices()).isEmpty();
        });

    cluster.client.resources(TenantPolicy.class).withName("team-default").delete();
    eventually(
        () ->
            assertThat(cluster.nodeConfig("lvs1").ipvsServices().getFirst().destinations())
                .hasSize(2));
  }

  /**
   * A policy for namespace default: VIPs in {@code vips}, real servers in 172.20.1.0/24 on the
   * nodes rs1 and rs2, directors lvs1 and lvs2.
   */
  private static TenantPolicy tenantPolicy(String vips, List<SpecialAddress> allow) {
    TenantPolicy p = new TenantPolicy();
    p.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("team-default").build());
    p.setSpec(
        new TenantPolicySpec(
            List.of("default"),
            List.of(vips),
            List.of("172.20.1.0/24"),
            new TenantPolicySpec.AllowedNodes(List.of("lvs1", "lvs2"), Map.of()),
            new TenantPolicySpec.AllowedNodes(List.of("rs1", "rs2"), Map.of()),
            allow));
    return p;
  }

  @Test
  void aVirtualServerFullOfNullsIsRefusedOnItselfAndTheOthersStillCompile() {
    referenceScenario();
    // The mock API server enforces no schema: nulls reach the operator as list items and values.
    cluster.virtualServer(
        """
        apiVersion: lvsoperator.io/v1alpha1
        kind: VirtualServer
        metadata: {name: nulls, namespace: default}
        spec:
          vip: 172.20.1.101
          port: 80
          healthCheck: {type: HTTP_GET, expectedStatus: [null]}
          realServerSelector: {matchExpressions: [{key: app, operator: Bogus, values: [null]}]}
          directors: {nodes: [null, {name: lvs1}], nodeSelector: {role: null}}
        """);
    cluster.startOperator();

    eventually(
        () -> {
          Condition refused = condition(cluster.getVirtualServer("nulls"), "Programmed");
          assertThat(refused.getStatus()).isEqualTo("False");
          assertThat(refused.getReason()).isEqualTo("InvalidSpec");
          assertThat(refused.getMessage())
              .contains("spec.healthCheck.expectedStatus[0]: is not a status code")
              .contains(
                  "spec.realServerSelector.matchExpressions[0].operator: Bogus is not In, NotIn,"
                      + " Exists or DoesNotExist")
              .contains("spec.directors.nodeSelector.role: null is not a label value")
              .contains("spec.directors.nodes[0].name: is required");
          assertThat(condition(cluster.getVirtualServer("web"), "Programmed").getReason())
              .isNotEqualTo("InvalidSpec");
          assertThat(cluster.nodeConfig("lvs1").ipvsServices())
              .extracting(LvsNodeSpec.IpvsService::address)
              .containsExactly("172.20.1.100");
        });
  }

  @Test
  void aVrrpInstanceCarriesItsMembersVipsAndReportsItsMasterAndMembers() {
    cluster.referenceNodes();
    cluster
        .client
        .resource(
            cluster
                .client
                .getKubernetesSerialization()
                .unmarshal(
                    """
                    apiVersion: lvsoperator.io/v1alpha1
                    kind: VrrpInstance
                    metadata:
                      name: vi-1
                      namespace: default
                    spec:
                      vrrp:
                        interface: eth0
                        virtualRouterId: 60
                        vipPrefixLength: 16
                      directors:
                        nodes:
                          - name: lvs1
                          - name: lvs2
                      addresses:
                        - address: 172.20.1.200
                    """,
                    io.lvsoperator.api.v1alpha1.VrrpInstance.class))
        .create();
    cluster.virtualServer(
        """
        apiVersion: lvsoperator.io/v1alpha1
        kind: VirtualServer
        metadata:
          name: member
        spec:
          vip: 172.20.1.201
          port: 80
          vrrpInstance: vi-1
          realServers:
            - address: 172.20.1.10
        """);
    cluster.startOperator();

    eventually(
        () -> {
          var instance = cluster.nodeConfig("lvs1").vrrpInstances().getFirst();
          assertThat(instance.name()).isEqualTo("eth0-60");
          assertThat(instance.vips())
              .extracting(LvsNodeSpec.Vip::address)
              .containsExactly("172.20.1.200", "172.20.1.201");
          assertThat(cluster.nodeConfig("lvs2").vrrpInstances().getFirst().priority())
              .isLessThan(instance.priority());
          var status = vrrpInstance("vi-1").getStatus();
          assertThat(status.virtualRouterId()).isEqualTo(60);
          assertThat(status.members()).containsExactly("member");
          assertThat(status.lastGoodSpec()).contains("\"generation\":1");
          assertThat(Conditions.reason(status.conditions(), "Programmed")).isEqualTo("Pending");
        });

    cluster.agentReports("lvs1", List.of(vrrp("eth0-60", "MASTER")), List.of());
    cluster.agentReports("lvs2", List.of(vrrp("eth0-60", "BACKUP")), List.of());
    eventually(
        () -> {
          var status = vrrpInstance("vi-1").getStatus();
          assertThat(status.master()).isEqualTo("lvs1");
          assertThat(status.directors())
              .extracting(VirtualServerStatus.DirectorStatus::vrrpState)
              .containsExactly("MASTER", "BACKUP");
          assertThat(Conditions.isTrue(status.conditions(), "Ready")).isTrue();
          assertThat(cluster.events("vi-1")).anyMatch(e -> "MasterElected".equals(e.getReason()));
          assertThat(cluster.getVirtualServer("member").getStatus().master()).isEqualTo("lvs1");
        });
  }

  private io.lvsoperator.api.v1alpha1.VrrpInstance vrrpInstance(String name) {
    return cluster
        .client
        .resources(io.lvsoperator.api.v1alpha1.VrrpInstance.class)
        .inNamespace("default")
        .withName(name)
        .get();
  }

  @Test
  void aggregatesAgentStatusesIntoStatusConditionsEventsAndPrinterColumns() throws Exception {
    referenceScenario();
    cluster.startOperator();
    eventually(() -> assertThat(cluster.lvsNode("lvs2")).isNotNull());

    cluster.agentReports(
        "lvs1",
        List.of(vrrp("eth0-51", "MASTER")),
        List.of(
            health("172.20.1.10", true, null), health("172.20.1.11", false, "connection refused")));
    cluster.agentReports(
        "lvs2",
        List.of(vrrp("eth0-51", "BACKUP")),
        List.of(
            health("172.20.1.10", true, null), health("172.20.1.11", false, "connection refused")));
    cluster.agentReports("rs1", List.of(), List.of());
    cluster.agentReports("rs2", List.of(), List.of());

    eventually(
        () -> {
          VirtualServer vs = cluster.getVirtualServer("web");
          VirtualServerStatus s = vs.getStatus();
          assertThat(s.master()).isEqualTo("lvs1");
          assertThat(s.healthy()).isEqualTo("1/2");
          assertThat(s.directors())
              .containsExactly(
                  new VirtualServerStatus.DirectorStatus("lvs1", 100, "MASTER", 1L),
                  new VirtualServerStatus.DirectorStatus("lvs2", 50, "BACKUP", 1L));
          assertThat(s.realServers())
              .contains(
                  new VirtualServerStatus.RealServerHealth(
                      "172.20.1.11", 80, List.of(), List.of("lvs1", "lvs2"), "connection refused"));
          assertThat(condition(vs, "Programmed").getStatus()).isEqualTo("True");
          assertThat(condition(vs, "Ready").getStatus()).isEqualTo("True");
          assertThat(condition(vs, "Degraded").getReason()).isEqualTo("RealServerDown");
          assertThat(condition(vs, "SplitBrain").getStatus()).isEqualTo("False");
          assertThat(cluster.events("web"))
              .anyMatch(e -> "MasterElected".equals(e.getReason()))
              .anyMatch(
                  e ->
                      "RealServerDown".equals(e.getReason())
                          && e.getMessage().contains("172.20.1.11:80")
                          && e.getMessage().contains("connection refused"));
          var rs2 = cluster.getRealServer("rs2").getStatus();
          assertThat(rs2.healthy()).isEqualTo("0/2");
          assertThat(rs2.reason()).isEqualTo("connection refused");
          assertThat(cluster.getRealServer("rs1").getStatus().healthy()).isEqualTo("2/2");
        });

    Map<String, String> row =
        PrinterColumns.row(
            TestingCluster.CRDS.resolve("virtualservers.lvsoperator.io.yaml"),
            cluster.getVirtualServer("web"));
    assertThat(row)
        .containsEntry("VIP", "172.20.1.100")
        .containsEntry("PORT", "80")
        .containsEntry("MASTER", "lvs1")
        .containsEntry("HEALTHY", "1/2")
        .containsEntry("READY", "True");
    Map<String, String> rsRow =
        PrinterColumns.row(
            TestingCluster.CRDS.resolve("realservers.lvsoperator.io.yaml"),
            cluster.getRealServer("rs2"));
    assertThat(rsRow).containsEntry("HEALTHY", "0/2").containsEntry("ADDRESS", "172.20.1.11");

    // Both directors claim the VIP: split brain.
    cluster.agentReports("lvs2", List.of(vrrp("eth0-51", "MASTER")), List.of());
    eventually(
        () -> {
          VirtualServer vs = cluster.getVirtualServer("web");
          Condition splitBrain = condition(vs, "SplitBrain");
          assertThat(splitBrain.getStatus()).isEqualTo("True");
          assertThat(splitBrain.getMessage()).contains("lvs1").contains("lvs2");
          assertThat(condition(vs, "Ready").getReason()).isEqualTo("SplitBrain");
          assertThat(vs.getStatus().master()).isEqualTo("lvs1"); // kept while it is contested
          assertThat(cluster.events("web")).anyMatch(e -> "SplitBrain".equals(e.getReason()));
        });

    // lvs1 steps down: the master moved to lvs2.
    cluster.agentReports("lvs1", List.of(vrrp("eth0-51", "BACKUP")), List.of());
    eventually(
        () -> {
          VirtualServer vs = cluster.getVirtualServer("web");
          assertThat(vs.getStatus().master()).isEqualTo("lvs2");
          assertThat(condition(vs, "SplitBrain").getStatus()).isEqualTo("False");
          assertThat(cluster.events("web"))
              .anyMatch(e -> "master moved from lvs1 to lvs2".equals(e.getMessage()));
        });
    cluster.agentReports("lvs1", List.of(vrrp("eth0-51", "MASTER")), List.of());
    cluster.agentReports("lvs2", List.of(vrrp("eth0-51", "BACKUP")), List.of());
    eventually(
        () ->
            assertThat(cluster.events("web"))
                .anyMatch(
                    e ->
                        "MasterMoved".equals(e.getReason())
                            && e.getMessage().equals("master moved from lvs2 to lvs1")));
  }

  @Test
  void directorNotReadyOrGoneIsDegraded() {
    referenceScenario();
    cluster.startOperator();
    // Both heads, as the agents' reports below patch both (the Node reconciles run in parallel).
    eventually(
        () -> {
          assertThat(cluster.lvsNode("lvs1")).isNotNull();
          assertThat(cluster.lvsNode("lvs2")).isNotNull();
        });
    cluster.agentReports("lvs1", List.of(vrrp("eth0-51", "MASTER")), List.of());
    cluster.agentReports("lvs2", List.of(vrrp("eth0-51", "BACKUP")), List.of());
    eventually(
        () ->
            assertThat(condition(cluster.getVirtualServer("web"), "Degraded").getStatus())
                .isEqualTo("False"));
    String since = condition(cluster.getVirtualServer("web"), "Degraded").getLastTransitionTime();

    cluster.setNodeReady("lvs2", false);
    eventually(
        () -> {
          VirtualServer vs = cluster.getVirtualServer("web");
          Condition degraded = condition(vs, "Degraded");
          assertThat(degraded.getStatus()).isEqualTo("True");
          assertThat(degraded.getReason()).isEqualTo("DirectorNotReady");
          assertThat(degraded.getMessage()).contains("lvs2");
          assertThat(vs.getStatus().directors().get(1).vrrpState()).isEqualTo("UNKNOWN");
          assertThat(condition(vs, "Ready").getStatus()).isEqualTo("True"); // lvs1 holds the VIP
        });

    String lvs2Uid = cluster.client.nodes().withName("lvs2").get().getMetadata().getUid();
    cluster.client.nodes().withName("lvs2").delete();
    eventually(
        () -> {
          Condition degraded = condition(cluster.getVirtualServer("web"), "Degraded");
          assertThat(degraded.getReason()).isEqualTo("DirectorMissing");
          assertThat(degraded.getMessage()).contains("director lvs2 does not exist");
          // Owned by the Node: on a real cluster the garbage collector deletes it with the node
          // (the
          // mock API server collects no garbage), so the operator needs no delete verb.
          assertThat(cluster.lvsNode("lvs2").getMetadata().getOwnerReferences())
              .singleElement()
              .satisfies(
                  o -> {
                    assertThat(o.getKind()).isEqualTo("Node");
                    assertThat(o.getUid()).isEqualTo(lvs2Uid);
                  });
        });
    assertThat(since).isNotNull();
  }

  @Test
  void onlyTheLeaderWritesAndAFollowerTakesOver() {
    referenceScenario();
    LvsOperator first = cluster.startOperator("op-a", true);
    LvsOperator second = cluster.startOperator("op-b", true);
    eventually(() -> assertThat(first.leading() ^ second.leading()).isTrue());
    LvsOperator leader = first.leading() ? first : second;
    LvsOperator follower = leader == first ? second : first;
    eventually(() -> assertThat(cluster.lvsNode("lvs1")).isNotNull());
    eventually(() -> assertThat(cluster.getVirtualServer("web").getStatus()).isNotNull());
    Lease lease = cluster.client.leases().inNamespace("default").withName("lvs-operator").get();
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(leader == first ? "op-a" : "op-b");
    assertThat(leader.writes()).isPositive();
    assertThat(follower.compiles()).isZero();
    assertThat(follower.reconciles()).isZero();
    assertThat(follower.writes()).isZero();

    leader.close();
    eventually(() -> assertThat(follower.leading()).isTrue());
    cluster.virtualServer(referenceVirtualServer("second", "172.20.1.101", ""));
    eventually(
        () ->
            assertThat(cluster.nodeConfig("lvs1").sources())
                .extracting(LvsNodeSpec.Source::name)
                .contains("second"));
    assertThat(follower.writes()).isPositive();
  }

  @Test
  void nothingChangedMeansNothingWritten() {
    referenceScenario();
    LvsOperator op = cluster.startOperator();
    eventually(() -> assertThat(cluster.lvsNode("rs2")).isNotNull());
    cluster.agentReports(
        "lvs1", List.of(vrrp("eth0-51", "MASTER")), List.of(health("172.20.1.10", true, null)));
    cluster.agentReports("lvs2", List.of(vrrp("eth0-51", "BACKUP")), List.of());
    eventually(
        () ->
            assertThat(condition(cluster.getVirtualServer("web"), "Ready").getStatus())
                .isEqualTo("True"));
    // Let the last writes settle, then watch several resyncs do nothing.
    eventually(
        () -> {
          long writes = op.writes();
          long reconciles = op.reconciles();
          await(Duration.ofMillis(1500));
          assertThat(op.reconciles()).isGreaterThan(reconciles);
          assertThat(op.writes()).isEqualTo(writes);
        });
    Map<String, String> versions = resourceVersions();
    long writes = op.writes();
    long reconciles = op.reconciles();
    long compiles = op.compiles();
    List<String> before = cluster.operatorRequests();

    await(Duration.ofMillis(3500)); // resync is 1 s: every object reconciled at least twice more
    assertThat(op.reconciles()).isGreaterThanOrEqualTo(reconciles + 2 * 7);
    assertThat(op.writes()).isEqualTo(writes);
    assertThat(op.compiles())
        .as("nothing changed: the model is not compiled again")
        .isEqualTo(compiles);
    // The informers only watch; the one referenced Secret is read again (it has no informer).
    assertThat(cluster.operatorRequests().subList(before.size(), cluster.operatorRequests().size()))
        .isNotEmpty()
        .allMatch(r -> r.equals("GET /api/v1/namespaces/default/secrets/vrrp-auth"));
    assertThat(resourceVersions()).isEqualTo(versions);
  }

  @Test
  void servesHealthReadinessAndMetricsOverHttp() throws Exception {
    referenceScenario();
    LvsOperator op = cluster.startOperator();
    try (HealthServer http =
        new HealthServer(
            io.lvsoperator.endpoints.EndpointSettings.of(
                java.net.InetAddress.getLoopbackAddress(), 0),
            op::live,
            op::ready,
            op::scrapeMetrics)) {
      var client = java.net.http.HttpClient.newHttpClient();
      java.util.function.Function<String, java.net.http.HttpResponse<String>> get =
          path -> {
            try {
              return client.send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create("http://127.0.0.1:" + http.port() + path))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          };
      eventually(() -> assertThat(cluster.lvsNode("lvs1")).isNotNull());
      assertThat(get.apply("/healthz").statusCode()).isEqualTo(200);
      eventually(() -> assertThat(get.apply("/readyz").statusCode()).isEqualTo(200));
      eventually(
          () ->
              assertThat(get.apply("/metrics").body())
                  .contains(
                      "lvs_operator_reconciles_total{controller=\"VirtualServer\",outcome=\"ok\"}")
                  .contains("lvs_operator_reconciles_total{controller=\"Node\",outcome=\"ok\"}")
                  .contains("lvs_operator_reconcile_duration_seconds_count")
                  .contains("lvs_operator_compile_duration_seconds_count")
                  .contains("lvs_operator_managed_objects{kind=\"VirtualServer\"} 1.0")
                  .contains("lvs_operator_managed_objects{kind=\"LvsNode\"} 4.0")
                  .contains("lvs_operator_writes_total{kind=\"VirtualServerStatus\"}"));
      op.close();
      assertThat(get.apply("/healthz").statusCode()).isEqualTo(503);
      assertThat(get.apply("/readyz").statusCode()).isEqualTo(503);
    }
  }

  private Map<String, String> resourceVersions() {
    Map<String, String> out = new HashMap<>();
    cluster
        .client
        .resources(LvsNode.class)
        .list()
        .getItems()
        .forEach(o -> out.put("LvsNode/" + o.getMetadata().getName(), TestingCluster.rv(o)));
    cluster
        .client
        .resources(io.lvsoperator.api.v1alpha1.LvsNodeSlice.class)
        .list()
        .getItems()
        .forEach(o -> out.put("LvsNodeSlice/" + o.getMetadata().getName(), TestingCluster.rv(o)));
    cluster
        .client
        .secrets()
        .inNamespace("default")
        .list()
        .getItems()
        .forEach(o -> out.put("Secret/" + o.getMetadata().getName(), TestingCluster.rv(o)));
    cluster
        .client
        .resources(VirtualServer.class)
        .inAnyNamespace()
        .list()
        .getItems()
        .forEach(o -> out.put("VirtualServer/" + o.getMetadata().getName(), TestingCluster.rv(o)));
    cluster
        .client
        .resources(io.lvsoperator.api.v1alpha1.RealServer.class)
        .inAnyNamespace()
        .list()
        .getItems()
        .forEach(o -> out.put("RealServer/" + o.getMetadata().getName(), TestingCluster.rv(o)));
    return out;
  }

  private static void await(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
