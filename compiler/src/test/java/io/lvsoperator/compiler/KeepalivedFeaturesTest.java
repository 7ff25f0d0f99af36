package io.lvsoperator.compiler;

import static io.lvsoperator.compiler.TestingManifests.input;
import static io.lvsoperator.compiler.TestingManifests.node;
import static io.lvsoperator.compiler.TestingManifests.vri;
import static io.lvsoperator.compiler.TestingManifests.vs;
import static io.lvsoperator.compiler.TestingManifests.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvsoperator.api.manifest.ManifestSet;
import io.lvsoperator.api.v1alpha1.Forwarding;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * keepalived's sorry_server, quorum/hysteresis, virtual_server_group, fwmark services, notify
 * scripts and lvs_sync_daemon, from the VirtualServer to the node spec.
 */
class KeepalivedFeaturesTest {
  private static final String DIRECTORS = "directors: {nodes: [{name: n1}, {name: n2}]}\n";
  private static final String TWO_REAL_SERVERS =
      "realServers: [{address: 10.0.1.1, node: n3}, {address: 10.0.1.2}]\n";

  static List<NodeInfo> nodes() {
    return List.of(node("n1", "192.0.2.1"), node("n2", "192.0.2.2"), node("n3", "192.0.2.3"));
  }

  static CompileResult compile(String manifests) {
    return Compiler.compile(input(yaml(manifests), nodes()));
  }

  static ObjectKey key(String name) {
    return new ObjectKey("default", name);
  }

  @Test
  void aSorryServerAndQuorumReachEveryServiceOfTheVirtualServer() {
    var result =
        compile(
            vs(
                "web",
                "vip: 10.0.0.1\nport: 80\n"
                    + DIRECTORS
                    + TWO_REAL_SERVERS
                    + "sorryServer: {address: 10.0.9.9}\nquorum: 2\nhysteresis: 1\n"
                    + "additionalAddresses: [{address: 10.0.0.2, port: 8080}]"));
    var services = result.nodes().get("n1").ipvsServices();
    assertThat(services).hasSize(2);
    for (var s : services) {
      assertThat(s.quorum()).isEqualTo(2);
      assertThat(s.hysteresis()).isEqualTo(1);
      // DR cannot change the port: the sorry server takes each service's own.
      assertThat(s.sorryServer())
          .isEqualTo(new LvsNodeSpec.Destination("10.0.9.9", s.port(), 1, Forwarding.DR, false));
    }
  }

  @Test
  void withoutQuorumSettingsTheServiceCarriesTheDefaultsAsAbsent() {
    var s =
        compile(vs("web", "vip: 10.0.0.1\nport: 80\n" + DIRECTORS + TWO_REAL_SERVERS))
            .nodes()
            .get("n1")
            .ipvsServices()
            .getFirst();
    assertThat(s.quorum()).isNull();
    assertThat(s.hysteresis()).isNull();
    assertThat(s.quorumOrDefault()).isEqualTo(1);
    assertThat(s.hysteresisOrDefault()).isZero();
    assertThat(s.sorryServer()).isNull();
    assertThat(s.firewallMark()).isNull();
  }

  @Test
  void aNatSorryServerKeepsItsOwnPort() {
    var s =
        compile(
                vs(
                    "web",
                    "vip: 10.0.0.1\nport: 80\nforwarding: NAT\n"
                        + DIRECTORS
                        + "realServers: [{address: 10.0.1.1, port: 8080}]\n"
                        + "sorryServer: {address: 10.0.9.9, port: 8081}"))
            .nodes()
            .get("n1")
            .ipvsServices()
            .getFirst();
    assertThat(s.sorryServer())
        .isEqualTo(new LvsNodeSpec.Destination("10.0.9.9", 8081, 1, Forwarding.NAT, false));
  }

  @Test
  void additionalAddressesAreOneServiceEachWithTheSameRealServersAndJoinTheInstance() {
    var result =
        compile(
            vs(
                "web",
                "vip: 10.0.0.1\nport: 80\n"
                    + DIRECTORS
                    + TWO_REAL_SERVERS
                    + "additionalAddresses:\n"
                    + "  - {address: 10.0.0.10-12}\n"
                    + "  - {address: 10.0.0.1, port: 443}\n"
                    + "  - {address: 10.0.0.20}"));
    var n1 = result.nodes().get("n1");
    assertThat(n1.ipvsServices())
        .extracting(s -> s.address() + ":" + s.port())
        .containsExactly(
            "10.0.0.1:80",
            "10.0.0.1:443",
            "10.0.0.10:80",
            "10.0.0.11:80",
            "10.0.0.12:80",
            "10.0.0.20:80");
    var https = n1.ipvsServices().stream().filter(s -> s.port() == 443).findFirst().orElseThrow();
    assertThat(https.destinations())
        .extracting(LvsNodeSpec.Destination::port)
        .as("DR keeps the port of the service")
        .containsOnly(443);
    assertThat(n1.ipvsServices())
        .extracting(LvsNodeSpec.IpvsService::source)
        .containsOnly("default/web");
    var instance = n1.vrrpInstances().getFirst();
    assertThat(instance.vips())
        .extracting(LvsNodeSpec.Vip::address)
        .containsExactly("10.0.0.1", "10.0.0.10", "10.0.0.11", "10.0.0.12", "10.0.0.20");
    assertThat(result.nodes().get("n3").realServerVips())
        .containsExactly("10.0.0.1", "10.0.0.10", "10.0.0.11", "10.0.0.12", "10.0.0.20");
    assertThat(result.nodes().get("n3").sources().getFirst().realServerVips())
        .containsExactly("10.0.0.1", "10.0.0.10", "10.0.0.11", "10.0.0.12", "10.0.0.20");
  }

  @Test
  void anAdditionalPairAnOlderVirtualServerServesIsAConflict() {
    ManifestSet set =
        yaml(
            vs("old", "vip: 10.0.0.11\nport: 80\n" + DIRECTORS)
                + vs(
                    "new",
                    "vip: 10.0.0.1\nport: 80\n"
                        + DIRECTORS
                        + "additionalAddresses: [{address: 10.0.0.10-12}]"));
    set.virtualServers().get(0).getMetadata().setCreationTimestamp("2026-01-01T00:00:00Z");
    set.virtualServers().get(1).getMetadata().setCreationTimestamp("2026-01-02T00:00:00Z");
    var result = Compiler.compile(input(set, nodes()));
    assertThat(result.virtualServers().get(key("new")).conflicts())
        .extracting(Conflict::toString)
        .containsExactly(
            "VIP_PORT with default/old: 10.0.0.11:80/TCP is already served by the older"
                + " default/old");
    assertThat(result.nodes().get("n1").ipvsServices())
        .extracting(LvsNodeSpec.IpvsService::address)
        .containsExactly("10.0.0.11");
  }

  @Test
  void anAdditionalAddressAnotherInstanceHoldsIsAConflict() {
    ManifestSet set =
        yaml(
            vri("vi", DIRECTORS + "addresses: [{address: 10.0.0.5}]")
                + vs(
                    "web",
                    "vip: 10.0.0.1\nport: 80\n"
                        + DIRECTORS
                        + "additionalAddresses: [{address: 10.0.0.4-6}]"));
    var result = Compiler.compile(input(set, nodes()));
    assertThat(result.virtualServers().get(key("web")).conflicts())
        .extracting(Conflict::message)
        .containsExactly(
            "spec.additionalAddresses[0]: 10.0.0.5 is already held by the older VrrpInstance"
                + " default/vi (spec.addresses[0]); an address belongs to one VRRP instance");
  }

  @Test
  void aFirewallMarkServiceIsKeyedByTheMarkAndItsRealServersNeedAPort() {
    var result =
        compile(
            vs(
                    "marked",
                    "vip: 10.0.0.1\nfirewallMark: 7\n"
                        + DIRECTORS
                        + "realServers: [{address: 10.0.1.1, port: 80}]\n"
                        + "sorryServer: {address: 10.0.9.9, port: 8080}")
                + vs("same-mark", "vip: 10.0.0.2\nport: 80\nfirewallMark: 7\n" + DIRECTORS));
    var s = result.nodes().get("n1").ipvsServices().getFirst();
    assertThat(s.firewallMark()).isEqualTo(7L);
    assertThat(s.address()).isEqualTo("10.0.0.1");
    assertThat(s.port()).isZero();
    assertThat(s.destinations())
        .containsExactly(new LvsNodeSpec.Destination("10.0.1.1", 80, 1, Forwarding.DR, false));
    assertThat(s.sorryServer().port()).isEqualTo(8080);
    assertThat(result.virtualServers().get(key("same-mark")).conflicts())
        .extracting(Conflict::message)
        .containsExactly("fwmark 7 is already served by the older default/marked");
  }

  @Test
  void notifyCommandsReachTheNodesOnlyWhenTheyMayRun() {
    String manifests =
        vs(
            "web",
            "vip: 10.0.0.1\nport: 80\n"
                + DIRECTORS
                + "vrrp: {notify: {master: '/bin/on-master eth0', any: /bin/log}}");
    var standalone = Compiler.compile(input(yaml(manifests), nodes()).withNotifyCommands(true));
    assertThat(standalone.nodes().get("n1").vrrpInstances().getFirst().notifyCommands())
        .isEqualTo(
            new LvsNodeSpec.Notify("/bin/on-master eth0", null, null, null, "/bin/log", 10_000));
    assertThat(standalone.virtualServers().get(key("web")).warnings()).isEmpty();

    var kubernetes = compile(manifests);
    assertThat(kubernetes.nodes().get("n1").vrrpInstances().getFirst().notifyCommands()).isNull();
    var verdict = kubernetes.virtualServers().get(key("web"));
    assertThat(verdict.warnings())
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.vrrp.notify: is ignored: notify commands run only in standalone mode (in"
                + " Kubernetes the operator records Events)");
    assertThat(verdict.ok()).as("a warning is not an error").isTrue();
  }

  @Test
  void connectionSyncReachesTheDirectorsOfItsInstance() {
    var result =
        compile(
            vri(
                    "vi",
                    DIRECTORS
                        + "vrrp: {connectionSync: {interface: eth1, syncId: 9, ttl: 2, group:"
                        + " 224.0.0.90}}\naddresses: [{address: 10.0.0.9}]")
                + vs(
                    "elsewhere",
                    "vip: 10.0.0.1\nport: 80\ndirectors: {nodes: [{name: n3}]}\n"
                        + "vrrp: {connectionSync: {interface: eth1, syncId: 1}}"));
    for (String director : List.of("n1", "n2")) {
      assertThat(result.nodes().get(director).vrrpInstances().getFirst().connectionSync())
          .isEqualTo(new LvsNodeSpec.ConnectionSync("eth1", 9, null, null, 2, "224.0.0.90"));
    }
    assertThat(result.nodes().get("n3").vrrpInstances().getFirst().connectionSync().syncId())
        .as("another node may sync for another instance")
        .isEqualTo(1);
  }

  @Test
  void aSecondInstanceSyncingConnectionsOnTheSameNodeDoesNotRun() {
    ManifestSet set =
        yaml(
            vri(
                    "vi",
                    DIRECTORS
                        + "vrrp: {connectionSync: {interface: eth1, syncId: 9}}\n"
                        + "addresses: [{address: 10.0.0.9}]")
                + vs(
                    "web",
                    "vip: 10.0.0.1\nport: 80\ndirectors: {nodes: [{name: n2}]}\n"
                        + "vrrp: {connectionSync: {interface: eth1, syncId: 2}}")
                + vs("other", "vip: 10.0.0.2\nport: 80\n" + DIRECTORS));
    var result = Compiler.compile(input(set, nodes()));
    assertThat(result.virtualServers().get(key("web")).conflicts())
        .extracting(Conflict::toString)
        .containsExactly(
            "VRRP_SETTINGS with default/vi: spec.vrrp.connectionSync: node n2 already syncs"
                + " connections for the older VrrpInstance default/vi; one instance per node may"
                + " set connectionSync");
    assertThat(result.vrrpInstances().get(key("vi")).ok()).isTrue();
    assertThat(result.virtualServers().get(key("other")).ok())
        .as("instances without connectionSync are not affected")
        .isTrue();
    assertThat(result.nodes().get("n2").ipvsServices())
        .extracting(LvsNodeSpec.IpvsService::address)
        .containsExactly("10.0.0.2");
  }
}
