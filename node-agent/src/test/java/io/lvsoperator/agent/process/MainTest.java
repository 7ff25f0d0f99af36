package io.lvsoperator.agent.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) throws Exception {
    return Main.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void compileTheReferenceScenarioForOneNode() throws Exception {
    int rc = run("compile", "--manifests", "../examples/reference", "--node-name", "lvs2");
    assertThat(err.toString()).isEmpty();
    assertThat(rc).isZero();
    assertThat(out.toString())
        .contains("# node lvs2")
        .contains("virtualRouterId: 51")
        .contains("priority: 50")
        .contains("label: eth0:1")
        .doesNotContain("# node lvs1");
  }

  @Test
  void badManifestNamesFileFieldAndValueAndFails(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("web.yaml"),
        """
        apiVersion: lvsoperator.io/v1alpha1
        kind: VirtualServer
        metadata: {name: web}
        spec:
          vip: 10.0.0.1
          port: 80
          vrrp: {advertIntervalMs: 15}
          directors: {nodes: [{name: a}]}
        ---
        apiVersion: lvsoperator.io/v1alpha1
        kind: VirtualServer
        metadata: {name: typo}
        spec:
          vip: 10.0.0.2
          prot: 80
        """);
    int rc = run("compile", "--manifests", dir.toString());
    assertThat(rc).isEqualTo(1);
    assertThat(err.toString())
        .contains(
            "web.yaml document 1: VirtualServer default/web: spec.vrrp.advertIntervalMs: 15 must"
                + " be a multiple of 10")
        .contains("web.yaml document 2 (VirtualServer typo): spec.prot: unknown field");
  }

  @Test
  void commandHelpPrintsUsageWithEveryOption() throws Exception {
    assertThat(run("standalone", "--help")).isZero();
    assertThat(out.toString())
        .contains("Usage:")
        .contains("standalone --manifests DIR --node-name NAME")
        .contains("--node-label")
        .contains("--node-address")
        .contains("--state-dir")
        .contains("--dr-interface")
        .contains("--handover-timeout")
        .contains("--http-port")
        .contains("--cache-dir");
  }

  @Test
  void unknownCommandPrintsUsage() throws Exception {
    assertThat(run("frobnicate")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown command: frobnicate").contains("Usage:");
  }
}
