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
    // A document that cannot be read stops the compile, as it refuses a standalone reload.
    assertThat(err.toString())
        .isEqualTo(
            dir.resolve("web.yaml")
                + " document 2: VirtualServer default/typo: spec.prot: unknown field\n");

    Files.writeString(
        dir.resolve("web.yaml"),
        Files.readString(dir.resolve("web.yaml")).replace("prot: 80", "port: 80"));
    err.reset();
    assertThat(run("compile", "--manifests", dir.toString())).isEqualTo(1);
    assertThat(err.toString())
        .contains(
            "web.yaml document 1: VirtualServer default/web: spec.vrrp.advertIntervalMs: 15 must"
                + " be a multiple of 10")
        .contains("web.yaml document 2: VirtualServer default/typo: spec.directors: is required");
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
  void compileReadsVrrpInstancesAndTheirDirectors(@TempDir Path dir) throws Exception {
    String corpus = "../keepalived-import/src/test/resources/corpus/multi-vip/";
    assertThat(
            run(
                "import",
                "keepalived",
                "--config",
                corpus + "lvs1.conf",
                "--config",
                corpus + "lvs2.conf",
                "--out",
                dir.resolve("out").toString()))
        .isZero();
    assertThat(Files.exists(dir.resolve("out/vrrpinstance-vi-1.yaml"))).isTrue();
    err.reset();
    out.reset();

    int rc = run("compile", "--manifests", dir.resolve("out").toString(), "--node-name", "lvs2");

    assertThat(err.toString()).isEmpty();
    assertThat(rc).isZero();
    assertThat(out.toString())
        .contains("# node lvs2")
        .contains("virtualRouterId: 80")
        .contains("priority: 110")
        .contains("address: 10.30.0.100");
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
        .contains("--vrrp-rt-priority")
        .contains("--http-port")
        .contains("--http-address")
        .contains("--cache-dir");
  }

  /**
   * Bad options end the start before the agent exists: it would create its state directory and
   * remove the VIPs a killed run left behind first thing, so an untouched state directory shows
   * that nothing was applied.
   */
  @Test
  void badOptionsAndATakenPortStopTheStartBeforeAnythingIsApplied(@TempDir Path dir)
      throws Exception {
    Path state = dir.resolve("state");
    String manifests = "../examples/reference";
    java.util.function.Function<String[], Integer> standalone =
        extra -> {
          var args =
              new java.util.ArrayList<>(
                  java.util.List.of("standalone", "--manifests", manifests, "--node-name", "lvs1"));
          args.addAll(java.util.List.of(extra));
          err.reset();
          try {
            return run(args.toArray(String[]::new));
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        };

    assertThat(standalone.apply(new String[] {"--state-dir"})).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("--state-dir: needs a directory\n");

    assertThat(
            standalone.apply(
                new String[] {"--state-dir", state.toString(), "--http-port", "99999"}))
        .isEqualTo(2);
    assertThat(err.toString()).isEqualTo("--http-port: 99999 is not a port (1-65535)\n");

    assertThat(
            standalone.apply(
                new String[] {"--state-dir", state.toString(), "--vrrp-rt-priority", "100"}))
        .isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo("--vrrp-rt-priority: 100 is not 0 (time-shared) to 99 (SCHED_RR priority)\n");
    assertThat(standalone.apply(new String[] {"--vrrp-rt-priority", "high"})).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo("--vrrp-rt-priority: high is not 0 (time-shared) to 99 (SCHED_RR priority)\n");

    assertThat(
            standalone.apply(new String[] {"--http-address", "localhost", "--http-port", "9101"}))
        .isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo("--http-address: localhost is not an IP address (0.0.0.0 for every address)\n");

    try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertThat(
              standalone.apply(
                  new String[] {
                    "--state-dir",
                    state.toString(),
                    "--http-address",
                    "127.0.0.1",
                    "--http-port",
                    Integer.toString(taken.getLocalPort())
                  }))
          .isEqualTo(1);
      assertThat(err.toString())
          .startsWith("error: http: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ")
          .contains("in use");
    }
    assertThat(state).doesNotExist();
  }

  @Test
  void theVrrpThreadsAreRealTimeUnlessTurnedOff() {
    var err = new PrintStream(new java.io.ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    assertThat(
            AgentCommands.Options.parse(java.util.List.of(), java.util.Map.of(), err)
                .vrrpRtPriority())
        .isEqualTo(10);
    assertThat(
            AgentCommands.Options.parse(
                    java.util.List.of("--vrrp-rt-priority", "0"), java.util.Map.of(), err)
                .vrrpRtPriority())
        .isZero();
  }

  @Test
  void theHttpPortFromTheEnvironmentIsCheckedToo() {
    var err = new java.io.ByteArrayOutputStream();
    var options =
        AgentCommands.Options.parse(
            java.util.List.of(),
            java.util.Map.of("AGENT_HTTP_PORT", "99999"),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(options).isNull();
    assertThat(err.toString()).isEqualTo("AGENT_HTTP_PORT: 99999 is not a port (1-65535)\n");
    assertThat(
            AgentCommands.Options.parse(
                    java.util.List.of(),
                    java.util.Map.of("AGENT_HTTP_PORT", "9101", "AGENT_HTTP_ADDRESS", "10.0.0.1"),
                    new PrintStream(err, true, StandardCharsets.UTF_8))
                .http())
        .isEqualTo(
            io.lvsoperator.endpoints.EndpointSettings.of(
                java.net.InetAddress.ofLiteral("10.0.0.1"), 9101));
  }

  @Test
  void unknownCommandPrintsUsage() throws Exception {
    assertThat(run("frobnicate")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown command: frobnicate").contains("Usage:");
  }
}
