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
  void compileTheInstancesExampleWithItsVrrpInstance() throws Exception {
    int rc = run("compile", "--manifests", "../examples/instances", "--node-name", "lvs2");
    assertThat(err.toString()).isEmpty();
    assertThat(rc).isZero();
    assertThat(out.toString())
        .contains("# node lvs2")
        .contains("virtualRouterId: 52")
        .contains("priority: 50")
        .contains("definedBy: default/web")
        .contains("address: 172.20.1.110")
        .contains("address: 172.20.1.112")
        .contains("excludedVips:")
        .contains("address: 172.20.1.120");
  }

  @Test
  void compileNamesABrokenVrrpInstanceAndItsFile(@TempDir Path dir) throws Exception {
    Files.copy(
        Path.of("../examples/instances/virtualservers.yaml"), dir.resolve("virtualservers.yaml"));
    Files.writeString(
        dir.resolve("vrrpinstance.yaml"),
        Files.readString(Path.of("../examples/instances/vrrpinstance.yaml"))
            .replace("advertIntervalMs: 1000", "advertIntervalMs: 15"));
    int rc = run("compile", "--manifests", dir.toString());
    assertThat(rc).isEqualTo(1);
    assertThat(err.toString())
        .contains(
            "vrrpinstance.yaml document 1: VrrpInstance default/web: spec.vrrp.advertIntervalMs:"
                + " 15 must be a multiple of 10");
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
  void importKeepalivedWritesTheReferenceScenario(@TempDir Path dir) throws Exception {
    String seed = "../keepalived-import/src/test/resources/corpus/seed/";
    int rc =
        run(
            "import",
            "keepalived",
            "--config",
            "lvs1=" + seed + "lvs1/keepalived.conf",
            "--config",
            "lvs2=" + seed + "lvs2/keepalived.conf",
            "--out",
            dir.resolve("out").toString(),
            "--name",
            "172.20.1.100:80=web");

    assertThat(rc).isZero();
    assertThat(Files.readString(dir.resolve("out/virtualserver-web.yaml")))
        .contains("  scheduler: rr                  # lb_algo rr (");
    assertThat(out.toString()).contains("4 object(s) written to");
    assertThat(run("compile", "--manifests", dir.resolve("out").toString())).isZero();
  }

  @Test
  void importNeedsToKnowWhatFrom() throws Exception {
    assertThat(run("import", "--config", "x.conf")).isEqualTo(2);
    assertThat(err.toString()).contains("import keepalived --config FILE --out DIR");
  }

  @Test
  void helpListsTheImportCommand() throws Exception {
    assertThat(run("import", "keepalived", "--help")).isZero();
    assertThat(out.toString())
        .contains("  import keepalived --config [NODE=]FILE")
        .contains("--allow-partial")
        .contains("--real-server-node IP=NODE");
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
