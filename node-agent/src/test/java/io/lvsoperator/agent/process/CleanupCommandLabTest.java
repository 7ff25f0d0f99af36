package io.lvsoperator.agent.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lvsoperator.agent.host.ipvs.KernelIpvsProgrammer;
import io.lvsoperator.api.v1alpha1.Forwarding;
import io.lvsoperator.api.v1alpha1.OnFailure;
import io.lvsoperator.testing.HostCommands;
import io.lvsoperator.testing.TestingSpecs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lvs-node-agent.jar cleanup} (uninstall) against the real IPVS table (lab), {@code ipvsadm
 * -Ln} the oracle: it removes the services and the sync daemon the agent recorded as its own in its
 * state directory and leaves a hand-made service and daemon alone.
 */
class CleanupCommandLabTest {

  private String nif;

  @AfterEach
  void removeTestServices() {
    HostCommands.quietly("ipvsadm", "-D", "-t", "10.251.0.1:80");
    HostCommands.quietly("ipvsadm", "-D", "-t", "10.251.8.1:8080");
    HostCommands.quietly("ipvsadm", "--stop-daemon", "master");
    HostCommands.quietly("ipvsadm", "--stop-daemon", "backup");
    if (nif != null) {
      HostCommands.quietly("ip", "link", "del", nif);
    }
  }

  @Test
  void cleanupRemovesWhatTheAgentOwnedAndNothingElse(@TempDir Path state) throws Exception {
    assumeTrue(
        Files.exists(Path.of("/proc/net/ip_vs")),
        "no IPVS in this kernel (/proc/net/ip_vs absent): lab tests run with lab/run test");
    assumeTrue(HostCommands.hasTool("ipvsadm"), "needs ipvsadm (apt: ipvsadm) as the oracle");
    HostCommands.check("ipvsadm", "-A", "-t", "10.251.8.1:8080", "-s", "wlc");
    // A master sync daemon the agent recorded as its own, a backup one started by hand.
    nif = HostCommands.uniqueName("kccl");
    HostCommands.check("ip", "link", "add", nif, "type", "veth", "peer", "name", nif + "p");
    HostCommands.check("ip", "addr", "add", "10.251.10.1/24", "dev", nif);
    HostCommands.check("ip", "link", "set", nif, "up");
    HostCommands.check("ip", "link", "set", nif + "p", "up");
    HostCommands.check(
        "ipvsadm", "--start-daemon", "master", "--mcast-interface", nif, "--syncid", "61");
    HostCommands.check(
        "ipvsadm", "--start-daemon", "backup", "--mcast-interface", nif, "--syncid", "62");
    Files.writeString(state.resolve("ipvs-sync-daemons"), nif + " 61\n");
    try (var ipvs = new KernelIpvsProgrammer(state)) {
      var outcome =
          ipvs.program(
              1,
              List.of(
                  TestingSpecs.service("10.251.0.1", 80)
                      .vrrpInstance("eth0-51")
                      .onFailure(OnFailure.REMOVE)
                      .destination(TestingSpecs.destination("10.251.1.1", 80, 1, Forwarding.DR))
                      .build()));
      assertThat(outcome.errors()).isEmpty();
    }
    assertThat(HostCommands.check("ipvsadm", "-Ln")).contains("TCP  10.251.0.1:80 rr");

    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int rc =
        Main.run(
            new String[] {"cleanup", "--state-dir", state.toString()},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(rc).as("exit code; stderr: %s", err).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("cleanup done");
    assertThat(HostCommands.check("ipvsadm", "-Ln"))
        .doesNotContain("10.251.0.1:80")
        .contains("TCP  10.251.8.1:8080 wlc");
    assertThat(HostCommands.check("ipvsadm", "-L", "--daemon"))
        .doesNotContain("master sync daemon")
        .contains("backup sync daemon (mcast=" + nif + ", syncid=62");
  }
}
