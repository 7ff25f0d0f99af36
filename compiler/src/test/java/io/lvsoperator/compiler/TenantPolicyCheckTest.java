package io.lvsoperator.compiler;

import static io.lvsoperator.compiler.TestingManifests.node;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.lvsoperator.api.manifest.ManifestReader;
import io.lvsoperator.api.manifest.ManifestSet;
import io.lvsoperator.api.v1alpha1.TenantPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure check: each object's fields against the TenantPolicies naming its namespace. */
class TenantPolicyCheckTest {
  static final List<NodeInfo> NODES =
      List.of(
          node("lvs1", "172.20.1.1", "role", "director"),
          node("lvs2", "172.20.1.2", "role", "director"),
          node("web1", "10.0.20.7"));

  static final String TEAM_A =
      """
      metadata: {name: team-a}
      spec:
        namespaces: [team-a]
        vipRanges: [10.0.10.0/24, "fd00:10::/64"]
        realServerRanges: [10.0.20.0/24, "fd00:20::/64", 127.0.0.0/8, 169.254.0.0/16, "::1/128", "fe80::/10"]
        directorNodes: {names: [lvs1]}
      """;

  static TenantPolicy policy(String yaml) {
    try {
      return new ObjectMapper(new YAMLFactory()).readValue(yaml, TenantPolicy.class);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static TenantPolicyCheck check(boolean required, String... policies) {
    return new TenantPolicyCheck(
        TenantPolicies.of(
            java.util.Arrays.stream(policies).map(TenantPolicyCheckTest::policy).toList(),
            required),
        NODES);
  }

  static ManifestSet objects(String namespace, String kind, String spec) {
    ManifestSet set =
        ManifestReader.readString(
            "test",
            """
            apiVersion: lvsoperator.io/v1alpha1
            kind: %s
            metadata: {name: x, namespace: %s}
            spec:
            %s"""
                .formatted(kind, namespace, spec.indent(2)));
    assertThat(set.problems()).isEmpty();
    return set;
  }

  static List<String> vs(TenantPolicyCheck check, String namespace, String spec) {
    return check
        .virtualServer(objects(namespace, "VirtualServer", spec).virtualServers().getFirst())
        .stream()
        .map(FieldError::toString)
        .toList();
  }

  static String simple(String vip, String realServer) {
    return """
        vip: %s
        port: 80
        directors: {nodes: [{name: lvs1}]}
        realServers: [{address: "%s"}]
        """
        .formatted(vip, realServer);
  }

  @Test
  void aNamespaceNoPolicyNamesIsNotRestricted() {
    assertThat(vs(check(false, TEAM_A), "default", simple("127.0.0.5", "127.0.0.1"))).isEmpty();
    assertThat(vs(check(false), "team-a", simple("172.20.1.1", "169.254.0.1"))).isEmpty();
  }

  @Test
  void requiredRefusesEveryObjectOfANamespaceNoPolicyNames() {
    assertThat(vs(check(true, TEAM_A), "default", simple("10.0.10.1", "10.0.20.1")))
        .containsExactly(
            "metadata.namespace: default is named by no TenantPolicy, and a policy is required"
                + " (tenantPolicy.required): nothing of it runs");
    assertThat(vs(check(true, TEAM_A), "team-a", simple("10.0.10.1", "10.0.20.1"))).isEmpty();
  }

  @Test
  void vipOutsideTheRangesIsRefused() {
    assertThat(vs(check(false, TEAM_A), "team-a", simple("10.0.11.1", "10.0.20.1")))
        .containsExactly(
            "spec.vip: 10.0.11.1 is outside the VIP ranges of TenantPolicy team-a (10.0.10.0/24,"
                + " fd00:10::/64)");
  }

  @Test
  void ipv6VipsAndRealServers() {
    TenantPolicyCheck c = check(false, TEAM_A);
    assertThat(vs(c, "team-a", simple("fd00:10::5", "fd00:20::1"))).isEmpty();
    assertThat(vs(c, "team-a", simple("fd00:11::5", "fd00:21::1")))
        .containsExactly(
            "spec.vip: fd00:11::5 is outside the VIP ranges of TenantPolicy team-a (10.0.10.0/24,"
                + " fd00:10::/64)",
            "spec.realServers[0].address: fd00:21::1 is outside the real-server ranges of"
                + " TenantPolicy team-a (10.0.20.0/24, fd00:20::/64, 127.0.0.0/8, 169.254.0.0/16,"
                + " ::1/128, fe80::/10)");
    assertThat(vs(c, "team-a", simple("10.0.10.1", "::1")))
        .containsExactly(
            "spec.realServers[0].address: ::1 is loopback, refused by TenantPolicy team-a");
    assertThat(vs(c, "team-a", simple("10.0.10.1", "fe80::1")))
        .containsExactly(
            "spec.realServers[0].address: fe80::1 is link-local, refused by TenantPolicy team-a");
  }

  @Test
  void loopbackLinkLocalAndNodeAddressesAreRefusedAsRealServersUnlessAllowed() {
    TenantPolicyCheck strict = check(false, TEAM_A);
    assertThat(vs(strict, "team-a", simple("10.0.10.1", "127.0.0.1")))
        .containsExactly(
            "spec.realServers[0].address: 127.0.0.1 is loopback, refused by TenantPolicy team-a");
    assertThat(vs(strict, "team-a", simple("10.0.10.1", "169.254.7.7")))
        .containsExactly(
            "spec.realServers[0].address: 169.254.7.7 is link-local, refused by TenantPolicy"
                + " team-a");
    assertThat(vs(strict, "team-a", simple("10.0.10.1", "10.0.20.7")))
        .containsExactly(
            "spec.realServers[0].address: 10.0.20.7 is the address of node web1, refused by"
                + " TenantPolicy team-a");

    TenantPolicyCheck lenient =
        check(false, TEAM_A + "  allow: [Loopback, LinkLocal, NodeAddresses]\n");
    for (String rs : List.of("127.0.0.1", "::1", "169.254.7.7", "fe80::1", "10.0.20.7")) {
      assertThat(vs(lenient, "team-a", simple("10.0.10.1", rs))).as(rs).isEmpty();
    }
  }

  @Test
  void allowNeverOpensAnAddressOutsideTheRanges() {
    String noLoopbackRange =
        """
        metadata: {name: narrow}
        spec:
          namespaces: [team-a]
          vipRanges: [10.0.10.0/24]
          realServerRanges: [10.0.20.0/24]
          directorNodes: {names: [lvs1]}
          allow: [Loopback]
        """;
    assertThat(vs(check(false, noLoopbackRange), "team-a", simple("10.0.10.1", "127.0.0.1")))
        .containsExactly(
            "spec.realServers[0].address: 127.0.0.1 is outside the real-server ranges of"
                + " TenantPolicy narrow (10.0.20.0/24)");
  }

  @Test
  void aNodesAddressOrASpecialAddressIsNeverAVip() {
    String wide =
        """
        metadata: {name: wide}
        spec:
          namespaces: [team-a]
          vipRanges: [0.0.0.0/0, "::/0"]
          realServerRanges: [0.0.0.0/0]
          directorNodes: {names: [lvs1]}
          allow: [Loopback, LinkLocal, NodeAddresses]
        """;
    TenantPolicyCheck c = check(false, wide);
    assertThat(vs(c, "team-a", simple("172.20.1.2", "10.0.20.1")))
        .containsExactly(
            "spec.vip: 172.20.1.2 is the address of node lvs2, never a VIP, refused by"
                + " TenantPolicy wide");
    assertThat(vs(c, "team-a", simple("127.0.0.9", "10.0.20.1")))
        .containsExactly(
            "spec.vip: 127.0.0.9 is loopback, never a VIP, refused by TenantPolicy wide");
  }

  @Test
  void sorryServerAndAdditionalAddressRangesAreChecked() {
    String spec =
        simple("10.0.10.1", "10.0.20.1")
            + """
            sorryServer: {address: 127.0.0.1, port: 80}
            additionalAddresses:
              - {address: 10.0.10.250-255}
              - {address: 10.0.11.1-3, port: 81}
            """;
    assertThat(vs(check(false, TEAM_A), "team-a", spec))
        .containsExactly(
            "spec.additionalAddresses[1].address: 10.0.11.1 is outside the VIP ranges of"
                + " TenantPolicy team-a (10.0.10.0/24, fd00:10::/64)",
            "spec.sorryServer.address: 127.0.0.1 is loopback, refused by TenantPolicy team-a");
    String narrow =
        """
        metadata: {name: narrow}
        spec:
          namespaces: [team-a]
          vipRanges: [10.0.10.0/25]
          realServerRanges: [10.0.20.0/24]
          directorNodes: {names: [lvs1]}
        """;
    String range =
        "vip: 10.0.10.1\nport: 80\ndirectors: {nodes: [{name: lvs1}]}\n"
            + "additionalAddresses: [{address: 10.0.10.120-130}]\n";
    assertThat(vs(check(false, narrow), "team-a", range))
        .as("a range partly outside: one message, naming the first address outside")
        .containsExactly(
            "spec.additionalAddresses[0].address: 10.0.10.128 is outside the VIP ranges of"
                + " TenantPolicy narrow (10.0.10.0/25)");
  }

  @Test
  void severalPoliciesNamingANamespaceMustEachAllowWhatItUses() {
    String teamAToo =
        """
        metadata: {name: team-a-lab}
        spec:
          namespaces: [team-a, lab]
          vipRanges: [10.0.10.0/28]
          realServerRanges: [10.0.20.0/24, 127.0.0.0/8]
          directorNodes: {names: [lvs1, lvs2]}
          allow: [Loopback]
        """;
    TenantPolicyCheck both = check(false, TEAM_A, teamAToo);
    assertThat(vs(both, "team-a", simple("10.0.10.1", "10.0.20.1"))).isEmpty();
    assertThat(vs(both, "team-a", simple("10.0.10.100", "127.0.0.1")))
        .containsExactly(
            "spec.vip: 10.0.10.100 is outside the VIP ranges of TenantPolicy team-a-lab"
                + " (10.0.10.0/28)",
            "spec.realServers[0].address: 127.0.0.1 is loopback, refused by TenantPolicy team-a");
    assertThat(vs(both, "lab", simple("10.0.10.100", "127.0.0.1")))
        .as("lab is named by one policy only")
        .containsExactly(
            "spec.vip: 10.0.10.100 is outside the VIP ranges of TenantPolicy team-a-lab"
                + " (10.0.10.0/28)");
  }

  @Test
  void directorsNamedOrSelected() {
    TenantPolicyCheck c = check(false, TEAM_A);
    assertThat(
            vs(
                c,
                "team-a",
                "vip: 10.0.10.1\nport: 80\ndirectors: {nodes: [{name: lvs1}, {name: lvs2}]}\n"))
        .containsExactly(
            "spec.directors.nodes[1].name: lvs2 is not a director node TenantPolicy team-a allows");
    NodeInfo lvs1 = NODES.get(0);
    NodeInfo lvs2 = NODES.get(1);
    assertThat(c.mayDirect("team-a", lvs1)).isTrue();
    assertThat(c.mayDirect("team-a", lvs2)).isFalse();
    assertThat(c.mayDirect("default", lvs2)).as("a namespace no policy names").isTrue();
    TenantPolicyCheck byLabel =
        check(false, TEAM_A.replace("{names: [lvs1]}", "{nodeSelector: {role: director}}"));
    assertThat(byLabel.mayDirect("team-a", lvs2)).isTrue();
    assertThat(byLabel.mayDirect("team-a", NODES.get(2))).isFalse();
    assertThat(
            vs(
                byLabel,
                "team-a",
                "vip: 10.0.10.1\nport: 80\ndirectors: {nodes: [{name: lvs2}, {name: web1}]}\n"))
        .containsExactly(
            "spec.directors.nodes[1].name: web1 is not a director node TenantPolicy team-a allows");
  }

  @Test
  void theNodesOfDrRealServersMustBeAllowed() {
    String spec =
        "vip: 10.0.10.1\nport: 80\nforwarding: DR\ndirectors: {nodes: [{name: lvs1}]}\n"
            + "realServers: [{address: 10.0.20.1, node: web1}]\n";
    assertThat(vs(check(false, TEAM_A), "team-a", spec))
        .containsExactly(
            "spec.realServers[0].node: web1 is not a real-server node TenantPolicy team-a allows");
    assertThat(vs(check(false, TEAM_A + "  realServerNodes: {names: [web1]}\n"), "team-a", spec))
        .isEmpty();
    var rs =
        objects("team-a", "RealServer", "address: 10.0.20.2\nport: 80\nnode: lvs2\n")
            .realServers()
            .getFirst();
    assertThat(check(false, TEAM_A).realServer(rs))
        .extracting(FieldError::toString)
        .containsExactly("spec.node: lvs2 is not a real-server node TenantPolicy team-a allows");
    assertThat(
            check(false, TEAM_A + "  realServerNodes: {nodeSelector: {role: director}}\n")
                .realServer(rs))
        .as("allowed by the node's labels")
        .isEmpty();
  }

  @Test
  void realServerObjectsAndVrrpInstances() {
    TenantPolicyCheck c = check(false, TEAM_A);
    var rs =
        objects("team-a", "RealServer", "address: 127.0.0.1\nport: 80\nvirtualServer: web\n")
            .realServers()
            .getFirst();
    assertThat(c.realServer(rs))
        .extracting(FieldError::toString)
        .containsExactly("spec.address: 127.0.0.1 is loopback, refused by TenantPolicy team-a");
    var vi =
        objects(
                "team-a",
                "VrrpInstance",
                """
                vrrp: {interface: eth0}
                directors: {nodes: [{name: lvs1}]}
                addresses: [{address: 10.0.10.1}, {address: 10.9.0.1}]
                excludedAddresses: [{address: "fd00:10::1"}, {address: 169.254.0.1}]
                """)
            .vrrpInstances()
            .getFirst();
    assertThat(c.vrrpInstance(vi))
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.addresses[1].address: 10.9.0.1 is outside the VIP ranges of TenantPolicy team-a"
                + " (10.0.10.0/24, fd00:10::/64)",
            "spec.excludedAddresses[1].address: 169.254.0.1 is link-local, never a VIP, refused by"
                + " TenantPolicy team-a");
  }

  @Test
  void aPolicyEntryThatDoesNotParseAllowsNothingAndIsReported() {
    TenantPolicies p =
        TenantPolicies.of(List.of(policy(TEAM_A.replace("10.0.10.0/24", "10.0.10.0/33"))), false);
    assertThat(p.problems())
        .containsExactly(
            "TenantPolicy team-a: spec.vipRanges[0]: 10.0.10.0/33 is not a CIDR like 10.0.10.0/24"
                + " or fd00::/64 (it allows nothing)");
    assertThat(vs(new TenantPolicyCheck(p, NODES), "team-a", simple("10.0.10.1", "10.0.20.1")))
        .containsExactly(
            "spec.vip: 10.0.10.1 is outside the VIP ranges of TenantPolicy team-a (fd00:10::/64)");
  }

  @Test
  void cidrContainment() throws Exception {
    Cidr v4 = Cidr.parse("10.0.10.7/23").orElseThrow();
    assertThat(v4.contains(InetAddress.ofLiteral("10.0.11.255"))).isTrue();
    assertThat(v4.contains(InetAddress.ofLiteral("10.0.12.0"))).isFalse();
    assertThat(v4.contains(InetAddress.ofLiteral("::ffff:10.0.10.1")))
        .as("an IPv4-mapped IPv6 literal is the IPv4 address")
        .isTrue();
    Cidr v6 = Cidr.parse("fd00:10::/33").orElseThrow();
    assertThat(v6.contains(InetAddress.ofLiteral("fd00:10:7fff::1"))).isTrue();
    assertThat(v6.contains(InetAddress.ofLiteral("fd00:10:8000::1"))).isFalse();
    assertThat(v6.contains(InetAddress.ofLiteral("10.0.10.1"))).isFalse();
    assertThat(Cidr.parse("0.0.0.0/0").orElseThrow().contains(InetAddress.ofLiteral("1.2.3.4")))
        .isTrue();
    assertThat(Cidr.parse("::/0").orElseThrow().contains(InetAddress.ofLiteral("10.0.0.1")))
        .isFalse();
    for (String bad : List.of("10.0.0.0", "10.0.0.0/33", "fd00::/129", "x/8", "10.0.0.0/-1")) {
      assertThat(Cidr.parse(bad)).as(bad).isEmpty();
    }
  }
}
