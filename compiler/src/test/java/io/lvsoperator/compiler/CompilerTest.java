package io.lvsoperator.compiler;

import static io.lvsoperator.compiler.TestingManifests.input;
import static io.lvsoperator.compiler.TestingManifests.json;
import static io.lvsoperator.compiler.TestingManifests.node;
import static io.lvsoperator.compiler.TestingManifests.reference;
import static io.lvsoperator.compiler.TestingManifests.referenceNodes;
import static io.lvsoperator.compiler.TestingManifests.vs;
import static io.lvsoperator.compiler.TestingManifests.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvsoperator.api.manifest.ManifestSet;
import io.lvsoperator.api.v1alpha1.Forwarding;
import io.lvsoperator.api.v1alpha1.HealthCheckType;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.api.v1alpha1.OnFailure;
import io.lvsoperator.api.v1alpha1.Protocol;
import io.lvsoperator.api.v1alpha1.Scheduler;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CompilerTest {

  @Test
  void anInvalidRealServerRunsAsItsLastGoodVersionAndIsStillReported() throws Exception {
    ManifestSet good = reference();
    Map<ObjectKey, io.lvsoperator.api.v1alpha1.RealServer> lastGood = new java.util.HashMap<>();
    good.realServers().forEach(rs -> lastGood.put(ObjectKey.of(rs), rs));
    var before = Compiler.compile(input(good, referenceNodes())).nodes().get("lvs1");
    // rs1 (the first document) gets a port out of range.
    String text =
        java.nio.file.Files.readString(TestingManifests.EXAMPLES.resolve("realservers.yaml"));
    int second = text.indexOf("kind: RealServer", text.indexOf("kind: RealServer") + 1);
    ManifestSet broken =
        yaml(
            java.nio.file.Files.readString(TestingManifests.EXAMPLES.resolve("virtualserver.yaml"))
                + "\n---\n"
                + text.substring(0, second).replace("port: 80", "port: 80000")
                + text.substring(second));
    var in = input(broken, referenceNodes());
    CompilerInput withLastGood =
        new CompilerInput(
            in.virtualServers(), in.realServers(), in.nodes(), in.secrets(), Map.of(), lastGood);

    CompileResult result = Compiler.compile(withLastGood);

    var rs1 = result.realServers().get(new ObjectKey("default", "rs1"));
    assertThat(rs1.errors()).extracting(FieldError::toString).anyMatch(e -> e.contains("80000"));
    assertThat(result.nodes().get("lvs1").ipvsServices())
        .as("rs1 runs as it was")
        .isEqualTo(before.ipvsServices());
    assertThat(Compiler.compile(in).nodes().get("lvs1").ipvsServices().getFirst().destinations())
        .as("without a last good version it is left out")
        .hasSize(1);
  }

  @Test
  void referenceScenarioCompilesToWhatKeepalivedRunsOnEachDirector() throws Exception {
    CompileResult result = Compiler.compile(input(reference(), referenceNodes()));

    var web = result.virtualServers().get(new ObjectKey("default", "web"));
    assertThat(web.errors()).isEmpty();
    assertThat(web.conflicts()).isEmpty();
    assertThat(web.ok()).isTrue();
    assertThat(web.virtualRouterId()).isEqualTo(51);
    assertThat(web.directors())
        .containsExactly(new DirectorAssignment("lvs1", 100), new DirectorAssignment("lvs2", 50));
    assertThat(result.nodes()).containsOnlyKeys("lvs1", "lvs2", "rs1", "rs2");

    var healthCheck =
        new LvsNodeSpec.CompiledHealthCheck(
            HealthCheckType.HTTP_GET,
            "/",
            List.of("200"),
            null,
            null,
            null,
            null,
            6000,
            3000,
            3,
            3000,
            1,
            4);
    var service =
        new LvsNodeSpec.IpvsService(
            "172.20.1.100",
            80,
            Protocol.TCP,
            Scheduler.rr,
            0,
            "255.255.255.255",
            "eth0-51",
            healthCheck,
            OnFailure.REMOVE,
            List.of(
                new LvsNodeSpec.Destination("172.20.1.10", 80, 1, Forwarding.DR, false),
                new LvsNodeSpec.Destination("172.20.1.11", 80, 1, Forwarding.DR, false)),
            "default/web");
    var sources = List.of(new LvsNodeSpec.Source("default", "web", 0));
    for (var director : List.of(Map.entry("lvs1", 100), Map.entry("lvs2", 50))) {
      var expected =
          new LvsNodeSpec(
              List.of(
                  new LvsNodeSpec.VrrpInstance(
                      "eth0-51",
                      "eth0",
                      51,
                      director.getValue(),
                      2,
                      1000,
                      true,
                      0,
                      true,
                      "1111",
                      List.of(),
                      List.of(
                          new LvsNodeSpec.Vip("172.20.1.100", 16, "eth0:1", null, "default/web")),
                      List.of("eth0"),
                      new LvsNodeSpec.Garp(5, 100, 0))),
              List.of(service),
              List.of(),
              sources);
      assertThat(result.nodes().get(director.getKey())).isEqualTo(expected);
    }
    for (String rs : List.of("rs1", "rs2")) {
      assertThat(result.nodes().get(rs))
          .isEqualTo(
              new LvsNodeSpec(
                  List.of(),
                  List.of(),
                  List.of("172.20.1.100"),
                  List.of(new LvsNodeSpec.Source("default", "web", 0, List.of("172.20.1.100")))));
    }
    assertThat(result.realServers().get(new ObjectKey("default", "rs1")).virtualServers())
        .containsExactly(new ObjectKey("default", "web"));
  }

  @Test
  void shuffledInputGivesByteIdenticalOutput() throws Exception {
    ManifestSet set =
        yaml(
            vs(
                    "a",
                    base("10.0.0.1", 80)
                        + "realServers: [{address: 10.0.1.2}, {address: 10.0.1.1}]")
                + vs("b", base("10.0.0.2", 80))
                + vs("c", base("10.0.0.1", 443))
                + vs("d", base("10.0.0.3", 80) + "healthCheck: {type: HTTP_GET}")
                + vs("e", "vip: 10.0.0.4\ndirectors: {nodeSelector: {role: lb}}"));
    List<NodeInfo> nodes =
        List.of(
            node("n1", "192.0.2.1", "role", "lb"),
            node("n2", "192.0.2.2", "role", "lb"),
            node("n3", "192.0.2.3"));
    String expected = json(Compiler.compile(input(set, nodes)));
    Random random = new Random(42);
    for (int i = 0; i < 20; i++) {
      List<VirtualServer> vss = new ArrayList<>(set.virtualServers());
      List<NodeInfo> ns = new ArrayList<>(nodes);
      Collections.shuffle(vss, random);
      Collections.shuffle(ns, random);
      var shuffled = new ManifestSet(vss, set.realServers(), set.secrets(), set.nodes(), List.of());
      assertThat(json(Compiler.compile(input(shuffled, ns)))).isEqualTo(expected);
    }
  }

  @Test
  void virtualServersSharingAVipShareOneVrrpInstance() {
    ManifestSet set = yaml(vs("http", base("10.0.0.1", 80)) + vs("https", base("10.0.0.1", 443)));
    CompileResult result = Compiler.compile(input(set, nodes()));
    LvsNodeSpec n1 = result.nodes().get("n1");
    assertThat(n1.vrrpInstances()).hasSize(1);
    assertThat(n1.ipvsServices())
        .extracting(LvsNodeSpec.IpvsService::port)
        .containsExactly(80, 443);
    assertThat(n1.ipvsServices())
        .extracting(LvsNodeSpec.IpvsService::vrrpInstance)
        .containsOnly(n1.vrrpInstances().getFirst().name());
    assertThat(n1.sources()).extracting(LvsNodeSpec.Source::name).containsExactly("http", "https");
  }

  @Test
  void newerVirtualServerWithTheSameVipPortAndProtocolReportsConflictAndOlderKeepsWorking() {
    ManifestSet set = yaml(vs("old", base("10.0.0.1", 80)) + vs("new", base("10.0.0.1", 80)));
    set.virtualServers().get(0).getMetadata().setCreationTimestamp("2026-01-01T00:00:00Z");
    set.virtualServers().get(1).getMetadata().setCreationTimestamp("2026-02-01T00:00:00Z");
    CompileResult result = Compiler.compile(input(set, nodes()));
    var newer = result.virtualServers().get(new ObjectKey("default", "new"));
    assertThat(newer.conflicts())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.kind()).isEqualTo(Conflict.Kind.VIP_PORT);
              assertThat(c.other()).isEqualTo(new ObjectKey("default", "old"));
            });
    assertThat(newer.ok()).isFalse();
    assertThat(result.virtualServers().get(new ObjectKey("default", "old")).ok()).isTrue();
    assertThat(result.nodes().get("n1").ipvsServices()).hasSize(1);
    assertThat(result.nodes().get("n1").sources())
        .extracting(LvsNodeSpec.Source::name)
        .containsExactly("old");
  }

  @Test
  void sameVipWithDifferentVrrpSettingsIsAConflict() {
    ManifestSet set =
        yaml(
            vs("a", base("10.0.0.1", 80))
                + vs("b", base("10.0.0.1", 443) + "vrrp: {advertIntervalMs: 200}"));
    CompileResult result = Compiler.compile(input(set, nodes()));
    assertThat(result.virtualServers().get(new ObjectKey("default", "b")).conflicts())
        .extracting(Conflict::kind)
        .containsExactly(Conflict.Kind.VRRP_SETTINGS);
  }

  @Test
  void explicitVridClashOnTheSameInterfaceIsAConflictAndOnAnotherInterfaceIsNot() {
    ManifestSet set =
        yaml(
            vs("a", base("10.0.0.1", 80) + "vrrp: {virtualRouterId: 7}")
                + vs("b", base("10.0.0.2", 80) + "vrrp: {virtualRouterId: 7}")
                + vs("c", base("10.0.0.3", 80) + "vrrp: {virtualRouterId: 7, interface: eth1}"));
    CompileResult result = Compiler.compile(input(set, nodes()));
    var b = result.virtualServers().get(new ObjectKey("default", "b"));
    assertThat(b.conflicts()).extracting(Conflict::kind).containsExactly(Conflict.Kind.VRID);
    assertThat(b.conflicts().getFirst().message()).contains("virtualRouterId 7 on eth0");
    assertThat(result.virtualServers().get(new ObjectKey("default", "c")).ok()).isTrue();
  }

  @Test
  void allocatedVridsAreUniquePerInterfaceAndStayWhenObjectsAreAdded() {
    StringBuilder docs = new StringBuilder();
    for (int i = 1; i <= 40; i++) {
      docs.append(vs("vs" + i, base("10.0.0." + i, 80)));
    }
    ManifestSet first = yaml(docs.toString());
    for (int i = 0; i < first.virtualServers().size(); i++) {
      first
          .virtualServers()
          .get(i)
          .getMetadata()
          .setCreationTimestamp("2026-01-01T00:00:%02dZ".formatted(i));
    }
    CompileResult before = Compiler.compile(input(first, nodes()));
    var vrids =
        before.virtualServers().values().stream()
            .map(VirtualServerResult::virtualRouterId)
            .toList();
    assertThat(vrids).doesNotContainNull().doesNotHaveDuplicates();

    ManifestSet more =
        yaml(docs + vs("zz-new", base("10.0.1.1", 80)) + vs("aa-new", base("10.0.1.2", 80)));
    for (int i = 0; i < 40; i++) {
      more.virtualServers()
          .get(i)
          .getMetadata()
          .setCreationTimestamp("2026-01-01T00:00:%02dZ".formatted(i));
    }
    CompileResult after = Compiler.compile(input(more, nodes()));
    before
        .virtualServers()
        .forEach(
            (k, r) ->
                assertThat(after.virtualServers().get(k).virtualRouterId())
                    .as(k.toString())
                    .isEqualTo(r.virtualRouterId()));
  }

  @Test
  void prioritiesFollowDirectorOrderThenSelectorByName() {
    ManifestSet set =
        yaml(
            vs(
                "a",
                "vip: 10.0.0.1\ndirectors:\n  nodes: [{name: n3}, {name: n1}]\n  nodeSelector: {role: lb}"));
    List<NodeInfo> nodes =
        List.of(
            node("n1", "192.0.2.1", "role", "lb"),
            node("n2", "192.0.2.2", "role", "lb"),
            node("n3", "192.0.2.3"),
            node("n4", "192.0.2.4", "role", "lb"));
    var r = Compiler.compile(input(set, nodes)).virtualServers().get(new ObjectKey("default", "a"));
    assertThat(r.directors())
        .containsExactly(
            new DirectorAssignment("n3", 150),
            new DirectorAssignment("n1", 100),
            new DirectorAssignment("n2", 50),
            new DirectorAssignment("n4", 40));
  }

  @Test
  void missingDirectorNodeIsReportedAndTheOthersKeepTheirPriority() {
    ManifestSet set =
        yaml(vs("a", "vip: 10.0.0.1\ndirectors: {nodes: [{name: gone}, {name: n1}]}"));
    var result = Compiler.compile(input(set, nodes()));
    var r = result.virtualServers().get(new ObjectKey("default", "a"));
    assertThat(r.missingDirectors()).containsExactly("gone");
    assertThat(r.directors()).containsExactly(new DirectorAssignment("n1", 100));
    assertThat(result.nodes()).containsOnlyKeys("n1");
  }

  @Test
  void unicastPeersFromDirectorsAreTheOtherDirectorsAddresses() {
    ManifestSet set =
        yaml(vs("a", base("10.0.0.1", 80) + "vrrp: {unicastPeersFromDirectors: true}"));
    var nodes = Compiler.compile(input(set, nodes())).nodes();
    assertThat(nodes.get("n1").vrrpInstances().getFirst().unicastPeers())
        .containsExactly("192.0.2.2");
    assertThat(nodes.get("n2").vrrpInstances().getFirst().unicastPeers())
        .containsExactly("192.0.2.1");
  }

  @Test
  void realServersFromInlineLabelsAndReferencesAreMergedWithoutDuplicates() {
    ManifestSet set =
        yaml(
            vs(
                    "a",
                    base("10.0.0.1", 80)
                        + "realServers: [{address: 10.0.1.1, weight: 5}]\n"
                        + "realServerSelector: {matchLabels: {app: web}}")
                + """
                apiVersion: lvsoperator.io/v1alpha1
                kind: RealServer
                metadata: {name: by-label, namespace: default, labels: {app: web}}
                spec: {address: 10.0.1.2}
                ---
                apiVersion: lvsoperator.io/v1alpha1
                kind: RealServer
                metadata: {name: by-name, namespace: default}
                spec: {address: 10.0.1.3, virtualServer: a, drain: true}
                ---
                apiVersion: lvsoperator.io/v1alpha1
                kind: RealServer
                metadata: {name: duplicate, namespace: default, labels: {app: web}}
                spec: {address: 10.0.1.1, weight: 9}
                ---
                apiVersion: lvsoperator.io/v1alpha1
                kind: RealServer
                metadata: {name: other-namespace, namespace: other, labels: {app: web}}
                spec: {address: 10.0.1.4}
                """);
    var service = Compiler.compile(input(set, nodes())).nodes().get("n1").ipvsServices().getFirst();
    assertThat(service.destinations())
        .containsExactly(
            new LvsNodeSpec.Destination("10.0.1.1", 80, 5, Forwarding.DR, false),
            new LvsNodeSpec.Destination("10.0.1.2", 80, 1, Forwarding.DR, false),
            new LvsNodeSpec.Destination("10.0.1.3", 80, 1, Forwarding.DR, true));
  }

  @Test
  void vipOnlyVirtualServerHasAVrrpInstanceAndNoIpvsService() {
    ManifestSet set = yaml(vs("a", "vip: 10.0.0.1\ndirectors: {nodes: [{name: n1}]}"));
    var n1 = Compiler.compile(input(set, nodes())).nodes().get("n1");
    assertThat(n1.vrrpInstances()).hasSize(1);
    assertThat(n1.vrrpInstances().getFirst().version()).isEqualTo(3);
    assertThat(n1.vrrpInstances().getFirst().advertIntervalMs()).isEqualTo(100);
    assertThat(n1.ipvsServices()).isEmpty();
  }

  @Test
  void gratuitousArpSettingsReachTheNodeDefaultsWithoutRefresh() {
    ManifestSet set =
        yaml(
            vs("a", "vip: 10.0.0.1\ndirectors: {nodes: [{name: n1}]}")
                + vs(
                    "b",
                    "vip: 10.0.0.2\ndirectors: {nodes: [{name: n1}]}\n"
                        + "vrrp: {garpRepeat: 3, garpInterval: 200ms, garpRefresh: 60s}"));
    var instances = Compiler.compile(input(set, nodes())).nodes().get("n1").vrrpInstances();
    assertThat(instances)
        .extracting(LvsNodeSpec.VrrpInstance::garp)
        .containsExactlyInAnyOrder(
            new LvsNodeSpec.Garp(5, 100, 0), new LvsNodeSpec.Garp(3, 200, 60_000));
  }

  @Test
  void invalidVirtualServerKeepsRunningAsItsLastGoodVersion() {
    ManifestSet good = yaml(vs("a", base("10.0.0.1", 80)));
    good.virtualServers().getFirst().getMetadata().setGeneration(3L);
    ManifestSet bad =
        yaml(vs("a", base("10.0.0.1", 80) + "scheduler: rr\nvrrp: {advertIntervalMs: 15}"));
    bad.virtualServers().getFirst().getMetadata().setGeneration(4L);
    var in =
        new CompilerInput(
            bad.virtualServers(),
            List.of(),
            nodes(),
            Map.of(),
            Map.of(new ObjectKey("default", "a"), good.virtualServers().getFirst()));
    CompileResult result = Compiler.compile(in);
    var r = result.virtualServers().get(new ObjectKey("default", "a"));
    assertThat(r.errors())
        .extracting(FieldError::path)
        .containsExactly("spec.vrrp.advertIntervalMs");
    assertThat(r.programmedGeneration()).isEqualTo(3L);
    assertThat(r.ok()).isFalse();
    assertThat(result.nodes().get("n1").ipvsServices().getFirst().scheduler())
        .isEqualTo(Scheduler.wlc);
    assertThat(result.nodes().get("n1").sources())
        .containsExactly(new LvsNodeSpec.Source("default", "a", 3));

    var withoutLastGood =
        Compiler.compile(new CompilerInput(bad.virtualServers(), List.of(), nodes()));
    assertThat(withoutLastGood.nodes()).isEmpty();
    assertThat(
            withoutLastGood
                .virtualServers()
                .get(new ObjectKey("default", "a"))
                .programmedGeneration())
        .isNull();
  }

  @Test
  void invalidVirtualServerDoesNotDisturbOthers() {
    ManifestSet set = yaml(vs("bad", base("10.0.0.1", 70000)) + vs("good", base("10.0.0.2", 80)));
    var result = Compiler.compile(input(set, nodes()));
    assertThat(result.virtualServers().get(new ObjectKey("default", "good")).ok()).isTrue();
    assertThat(result.nodes().get("n1").ipvsServices())
        .extracting(LvsNodeSpec.IpvsService::address)
        .containsExactly("10.0.0.2");
  }

  @Test
  void drRealServerNodesGetTheVipOnLoopbackAndNatOnesDoNot() {
    ManifestSet set =
        yaml(
            vs("dr", base("10.0.0.1", 80) + "realServers: [{address: 10.0.1.1, node: n3}]")
                + vs(
                    "nat",
                    base("10.0.0.2", 80)
                        + "forwarding: NAT\nrealServers: [{address: 10.0.1.1, port: 8080, node: n3}]"));
    var nodes = Compiler.compile(input(set, nodes())).nodes();
    assertThat(nodes.get("n3").realServerVips()).containsExactly("10.0.0.1");
    assertThat(nodes.get("n3").vrrpInstances()).isEmpty();
  }

  @Test
  void instancesNamingTheSameSyncGroupChangeStateTogetherOnEachDirector() {
    ManifestSet set =
        yaml(
            vs("a", base("10.0.0.1", 80) + "vrrp: {syncGroup: web}")
                + vs("b", base("10.0.0.2", 80) + "vrrp: {syncGroup: web}")
                + vs("c", base("10.0.0.3", 80) + "vrrp: {syncGroup: alone}")
                + vs("d", base("10.0.0.4", 80)));
    var nodes = Compiler.compile(input(set, nodes())).nodes();
    for (String node : List.of("n1", "n2")) {
      var spec = nodes.get(node);
      var names =
          spec.vrrpInstances().stream()
              .filter(i -> i.vips().getFirst().address().matches("10\\.0\\.0\\.[12]"))
              .map(LvsNodeSpec.VrrpInstance::name)
              .sorted()
              .toList();
      assertThat(spec.syncGroups())
          .as("a group of one is no group")
          .containsExactly(new LvsNodeSpec.SyncGroup("default/web", names));
    }
  }

  static String base(String vip, int port) {
    return "vip: " + vip + "\nport: " + port + "\ndirectors: {nodes: [{name: n1}, {name: n2}]}\n";
  }

  static List<NodeInfo> nodes() {
    return List.of(node("n1", "192.0.2.1"), node("n2", "192.0.2.2"), node("n3", "192.0.2.3"));
  }
}
