package io.lvsoperator.agent.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvsoperator.agent.node.SpecConversion;
import io.lvsoperator.agent.vrrp.codec.VrrpCodec;
import io.lvsoperator.agent.vrrp.codec.VrrpTestPackets;
import io.lvsoperator.api.manifest.ManifestReader;
import io.lvsoperator.api.manifest.ManifestSet;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.api.v1alpha1.Patterns;
import io.lvsoperator.compiler.CompileResult;
import io.lvsoperator.compiler.Compiler;
import io.lvsoperator.compiler.CompilerInput;
import io.lvsoperator.compiler.NodeInfo;
import io.lvsoperator.compiler.ObjectKey;
import io.lvsoperator.compiler.SecretKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A VRRP PASS password from the manifest to the advert's bytes, with one rule on the way: what the
 * compiler accepts the agent runs and sends as written; what it refuses the agent refuses too.
 */
class PassPasswordEndToEndTest {
  private static final List<NodeInfo> NODES =
      List.of(NodeInfo.named("lvs1"), NodeInfo.named("lvs2"));

  @Test
  void theReferenceScenarioSendsKeepalivedsVeryBytes() throws Exception {
    ManifestSet set = ManifestReader.readDirectory(Path.of("..", "examples", "reference"));
    LvsNodeSpec.VrrpInstance compiled = compile(set).nodes().get("lvs1").vrrpInstances().getFirst();

    byte[] ours =
        VrrpCodec.encode(
            SpecConversion.vrrpInstance(compiled).advertisement(),
            VrrpTestPackets.ip("172.20.1.1"),
            VrrpTestPackets.ip("224.0.0.18"));

    // keepalived 2.2.7 with auth_pass 1111 (keepalived-v2-pass.conf), its first advert after the
    // 20-byte IP header: the same 20 bytes, "1111" and four zero bytes at the end.
    byte[] packet =
        VrrpTestPackets.capturedIpPackets("keepalived-2.2.7-v2-pass.tcpdump.txt").getFirst();
    assertThat(ours).isEqualTo(Arrays.copyOfRange(packet, 20, packet.length));
    assertThat(Arrays.copyOfRange(ours, ours.length - 8, ours.length))
        .isEqualTo(new byte[] {'1', '1', '1', '1', 0, 0, 0, 0});
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(
      strings = {
        "1",
        "1111",
        "12345678",
        "~!@#$%^&",
        "123456789",
        "1234567890abcdef",
        "11 11",
        "pässwort",
        "tab\there",
        "é"
      })
  void theCompilerAndTheAgentApplyOneRule(String password) {
    ManifestSet set = ManifestReader.readString("pass.yaml", manifest(password));
    assertThat(set.problems()).isEmpty();

    CompileResult result = compile(set);
    boolean compilerAccepts = result.virtualServers().get(new ObjectKey("default", "web")).ok();

    assertThat(compilerAccepts).isEqualTo(password.matches(Patterns.VRRP_AUTH_PASS));
    if (compilerAccepts) {
      LvsNodeSpec.VrrpInstance compiled = result.nodes().get("lvs1").vrrpInstances().getFirst();
      byte[] advert =
          VrrpCodec.encode(
              SpecConversion.vrrpInstance(compiled).advertisement(),
              VrrpTestPackets.ip("172.20.1.1"),
              VrrpTestPackets.ip("224.0.0.18"));
      byte[] expected = Arrays.copyOf(password.getBytes(StandardCharsets.US_ASCII), 8);
      assertThat(Arrays.copyOfRange(advert, advert.length - 8, advert.length)).isEqualTo(expected);
    } else {
      assertThat(result.virtualServers().get(new ObjectKey("default", "web")).errors())
          .singleElement()
          .asString()
          .startsWith("spec.vrrp.authPassSecretRef: vrrp-auth/password holds a password")
          .doesNotContain(password);
      // The same instance as if a compiler had let the password through: the agent refuses it.
      VrrpInstanceConfig ok =
          SpecConversion.vrrpInstance(
              compile(ManifestReader.readString("ok.yaml", manifest("1111")))
                  .nodes()
                  .get("lvs1")
                  .vrrpInstances()
                  .getFirst());
      assertThatThrownBy(
              () ->
                  new VrrpInstanceConfig(
                      ok.name(),
                      ok.interfaceName(),
                      ok.virtualRouterId(),
                      ok.priority(),
                      ok.version(),
                      ok.advertIntervalCentis(),
                      ok.preempt(),
                      ok.preemptDelay(),
                      ok.accept(),
                      password,
                      ok.unicastPeers(),
                      ok.virtualAddresses(),
                      ok.trackInterfaces(),
                      ok.garp()))
          .isInstanceOf(VrrpConfigException.class)
          .hasMessageContaining("PASS is 1 to 8 printable ASCII characters");
    }
  }

  @Test
  void theAgentsRuleIsTheCompilersPattern() {
    assertThat(VrrpInstanceConfig.AUTH_PASS.pattern()).isEqualTo(Patterns.VRRP_AUTH_PASS);
  }

  private static CompileResult compile(ManifestSet set) {
    return Compiler.compile(
        new CompilerInput(
            set.virtualServers(),
            set.realServers(),
            NODES,
            SecretKey.valuesOf(set.secrets()),
            Map.of()));
  }

  private static String manifest(String password) {
    return """
        apiVersion: lvsoperator.io/v1alpha1
        kind: VirtualServer
        metadata: {name: web, namespace: default}
        spec:
          vip: 172.20.1.100
          vrrp: {version: 2, advertIntervalMs: 1000, authPassSecretRef: {name: vrrp-auth, key: password}}
          directors: {nodes: [{name: lvs1, priority: 100}]}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: vrrp-auth, namespace: default}
        stringData: {password: "%s"}
        """
        .formatted(password.replace("\t", "\\t"));
  }
}
