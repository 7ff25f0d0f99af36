package io.lvsoperator.compiler;

import static io.lvsoperator.compiler.TenantPolicyCheckTest.NODES;
import static io.lvsoperator.compiler.TenantPolicyCheckTest.TEAM_A;
import static io.lvsoperator.compiler.TenantPolicyCheckTest.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvsoperator.api.manifest.ManifestReader;
import io.lvsoperator.api.manifest.ManifestSet;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The compiler under TenantPolicies: what a policy refuses does not run, nothing else changes. */
class TenantPolicyCompileTest {
  private static final ObjectKey WEB = new ObjectKey("team-a", "web");

  static String vs(String namespace, String name, String vip, String realServer) {
    return """
        apiVersion: lvsoperator.io/v1alpha1
        kind: VirtualServer
        metadata: {name: %s, namespace: %s, generation: 1}
        spec:
          vip: %s
          port: 80
          directors: {nodes: [{name: lvs1}]}
          realServers: [{address: %s}]
        ---
        """
        .formatted(name, namespace, vip, realServer);
  }

  static ManifestSet read(String text) {
    ManifestSet set = ManifestReader.readString("test", text);
    assertThat(set.problems()).isEmpty();
    return set;
  }

  static CompileResult compile(ManifestSet set, TenantPolicies policies) {
    return compile(set, policies, Map.of());
  }

  static CompileResult compile(
      ManifestSet set, TenantPolicies policies, Map<ObjectKey, VirtualServer> lastGood) {
    return Compiler.compile(
        new CompilerInput(set.virtualServers(), set.realServers(), NODES, Map.of(), lastGood)
            .withVrrpInstances(set.vrrpInstances(), Map.of())
            .withTenantPolicies(policies));
  }

  static TenantPolicies policies(String... yaml) {
    return TenantPolicies.of(
        java.util.Arrays.stream(yaml).map(TenantPolicyCheckTest::policy).toList(), false);
  }

  static List<String> vips(CompileResult r, String node) {
    LvsNodeSpec spec = r.nodes().get(node);
    if (spec == null) {
      return List.of();
    }
    return spec.vrrpInstances().stream()
        .flatMap(i -> i.vips().stream())
        .map(LvsNodeSpec.Vip::address)
        .toList();
  }

  @Test
  void aRefusedVirtualServerDoesNotRunAndTheOthersAreUntouched() {
    ManifestSet set =
        read(
            vs("team-a", "web", "10.0.10.1", "127.0.0.1")
                + vs("team-a", "api", "10.0.10.2", "10.0.20.1")
                + vs("default", "legacy", "172.20.1.100", "127.0.0.1"));
    CompileResult without = compile(set, TenantPolicies.NONE);
    assertThat(vips(without, "lvs1")).contains("10.0.10.1", "10.0.10.2", "172.20.1.100");

    CompileResult with = compile(set, policies(TEAM_A));

    VirtualServerResult web = with.virtualServers().get(WEB);
    assertThat(web.policyViolations())
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.realServers[0].address: 127.0.0.1 is loopback, refused by TenantPolicy team-a");
    assertThat(web.errors()).isEqualTo(web.policyViolations());
    assertThat(web.programmedGeneration()).isNull();
    assertThat(vips(with, "lvs1")).containsExactlyInAnyOrder("10.0.10.2", "172.20.1.100");
    assertThat(with.virtualServers().get(new ObjectKey("team-a", "api")).ok()).isTrue();
    assertThat(with.virtualServers().get(new ObjectKey("default", "legacy")).ok())
        .as("a namespace no policy names keeps running as before")
        .isTrue();
  }

  @Test
  void aRefusedUpdateKeepsTheLastGoodVersionRunning() {
    ManifestSet good = read(vs("team-a", "web", "10.0.10.1", "10.0.20.1"));
    VirtualServer last = good.virtualServers().getFirst();
    ManifestSet bad =
        read(
            vs("team-a", "web", "10.0.10.1", "169.254.0.9")
                .replace("generation: 1", "generation: 2"));

    CompileResult r = compile(bad, policies(TEAM_A), Map.of(WEB, last));

    VirtualServerResult web = r.virtualServers().get(WEB);
    assertThat(web.programmedGeneration()).isEqualTo(1L);
    assertThat(web.policyViolations())
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.realServers[0].address: 169.254.0.9 is link-local, refused by TenantPolicy"
                + " team-a");
    assertThat(r.nodes().get("lvs1").ipvsServices().getFirst().destinations())
        .extracting(d -> d.address())
        .containsExactly("10.0.20.1");
  }

  @Test
  void aPolicyTightenedUnderTheLastGoodVersionStopsItToo() {
    ManifestSet good = read(vs("team-a", "web", "10.0.10.1", "10.0.20.1"));
    ManifestSet bad =
        read(
            vs("team-a", "web", "10.0.10.1", "127.0.0.1")
                .replace("generation: 1", "generation: 2"));
    String tightened = TEAM_A.replace("[10.0.10.0/24, ", "[10.0.11.0/24, ");

    CompileResult r =
        compile(bad, policies(tightened), Map.of(WEB, good.virtualServers().getFirst()));

    VirtualServerResult web = r.virtualServers().get(WEB);
    assertThat(web.programmedGeneration()).isNull();
    assertThat(web.policyViolations())
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.vip: 10.0.10.1 is outside the VIP ranges of TenantPolicy team-a (10.0.11.0/24,"
                + " fd00:10::/64)",
            "spec.realServers[0].address: 127.0.0.1 is loopback, refused by TenantPolicy team-a",
            "spec.vip: 10.0.10.1 is outside the VIP ranges of TenantPolicy team-a (10.0.11.0/24,"
                + " fd00:10::/64) (in generation 1, the last good one)");
    assertThat(r.nodes()).doesNotContainKey("lvs1");
  }

  @Test
  void nodesTheSelectorPicksButThePolicyRefusesAreLeftOut() {
    ManifestSet set =
        read(
            """
            apiVersion: lvsoperator.io/v1alpha1
            kind: VirtualServer
            metadata: {name: web, namespace: team-a}
            spec:
              vip: 10.0.10.1
              directors: {nodeSelector: {role: director}}
            """);
    CompileResult r = compile(set, policies(TEAM_A));
    assertThat(r.virtualServers().get(WEB).directors())
        .extracting(DirectorAssignment::node)
        .containsExactly("lvs1");
    assertThat(r.nodes()).containsOnlyKeys("lvs1");
    assertThat(compile(set, TenantPolicies.NONE).nodes()).containsOnlyKeys("lvs1", "lvs2");
  }

  @Test
  void aRefusedRealServerObjectServesNothing() {
    ManifestSet set =
        read(
            vs("team-a", "web", "10.0.10.1", "10.0.20.1")
                + """
                apiVersion: lvsoperator.io/v1alpha1
                kind: RealServer
                metadata: {name: rs-lo, namespace: team-a}
                spec: {address: 127.0.0.1, port: 80, virtualServer: web}
                ---
                apiVersion: lvsoperator.io/v1alpha1
                kind: RealServer
                metadata: {name: rs-ok, namespace: team-a}
                spec: {address: 10.0.20.2, port: 80, virtualServer: web}
                """);
    CompileResult r = compile(set, policies(TEAM_A));
    RealServerResult lo = r.realServers().get(new ObjectKey("team-a", "rs-lo"));
    assertThat(lo.policyViolations())
        .extracting(FieldError::toString)
        .containsExactly("spec.address: 127.0.0.1 is loopback, refused by TenantPolicy team-a");
    assertThat(lo.virtualServers()).isEmpty();
    assertThat(r.realServers().get(new ObjectKey("team-a", "rs-ok")).virtualServers())
        .containsExactly(WEB);
    assertThat(r.nodes().get("lvs1").ipvsServices().getFirst().destinations())
        .extracting(d -> d.address())
        .containsExactly("10.0.20.1", "10.0.20.2");
  }

  @Test
  void aRefusedVrrpInstanceRunsNoneOfItsMembers() {
    ManifestSet set =
        read(
            """
            apiVersion: lvsoperator.io/v1alpha1
            kind: VrrpInstance
            metadata: {name: vi, namespace: team-a}
            spec:
              directors: {nodes: [{name: lvs1}, {name: lvs2}]}
              addresses: [{address: 10.0.10.9}]
            ---
            apiVersion: lvsoperator.io/v1alpha1
            kind: VirtualServer
            metadata: {name: web, namespace: team-a}
            spec: {vip: 10.0.10.1, port: 80, vrrpInstance: vi}
            """);
    CompileResult r = compile(set, policies(TEAM_A));
    VrrpInstanceResult vi = r.vrrpInstances().get(new ObjectKey("team-a", "vi"));
    assertThat(vi.policyViolations())
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.directors.nodes[1].name: lvs2 is not a director node TenantPolicy team-a allows");
    assertThat(vi.programmedGeneration()).isNull();
    assertThat(r.virtualServers().get(WEB).programmedGeneration()).isNull();
    assertThat(r.nodes()).isEmpty();
    String bothDirectors = TEAM_A.replace("{names: [lvs1]}", "{names: [lvs1, lvs2]}");
    assertThat(compile(set, policies(bothDirectors)).nodes()).containsOnlyKeys("lvs1", "lvs2");
  }

  @Test
  void policiesDoNotChangeAnythingTheyAllow() {
    ManifestSet set =
        read(
            vs("team-a", "web", "10.0.10.1", "10.0.20.1")
                + vs("team-b", "web", "10.0.30.1", "127.0.0.1"));
    assertThat(compile(set, policies(TEAM_A)).nodes())
        .isEqualTo(compile(set, TenantPolicies.NONE).nodes());
    assertThat(policy(TEAM_A).getSpec().namespaces()).containsExactly("team-a");
  }
}
