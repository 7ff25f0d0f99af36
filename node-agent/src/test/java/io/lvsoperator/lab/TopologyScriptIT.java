package io.lvsoperator.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The lab's guest topology helpers ({@code lab/guest/topology.sh}) on the host's own kernel, which
 * has namespaces, veth and bridges: two namespaces on a bridge reach each other, and everything is
 * gone after the script exits, also when it fails.
 */
class TopologyScriptIT {

  private static final Path TOPOLOGY = Path.of("../lab/guest/topology.sh").toAbsolutePath();

  @Test
  void namespacesOnABridgeTalkAndAreTornDownOnFailure() throws Exception {
    assumeTrue(isRoot(), "network namespaces need root");
    assumeTrue(Files.exists(Path.of("/usr/bin/ping")), "needs ping (apt: iputils-ping)");
    String suffix = Integer.toString(ThreadLocalRandom.current().nextInt(100_000));
    String bridge = "labtb" + suffix;
    String a = "labta" + suffix;
    String b = "labtb" + suffix + "n";
    String script =
        String.join(
            "\n",
            "set -e",
            ". " + TOPOLOGY,
            "topo_cleanup_on_exit",
            "topo_bridge " + bridge,
            "topo_ns " + a + " 10.97.0.1/24 " + bridge,
            "topo_ns " + b + " 10.97.0.2/24 " + bridge,
            "topo_exec " + a + " ip -br addr show dev eth0",
            "topo_exec " + a + " ping -c 1 -W 5 10.97.0.2 >/dev/null && echo PING_OK",
            "topo_spawn " + b + " /dev/null sleep 300",
            "echo SPAWNED=$TOPO_LAST_PID",
            "exit 3");

    Result run = run("bash", "-c", script);

    assertThat(run.exitCode()).as("script output: %s", run.output()).isEqualTo(3);
    assertThat(run.output())
        .containsPattern("eth0@\\S+ +UP +10\\.97\\.0\\.1/24")
        .contains("PING_OK");
    String pid = run.output().replaceAll("(?s).*SPAWNED=(\\d+).*", "$1");
    assertThat(Path.of("/proc", pid)).as("spawned process killed").doesNotExist();
    assertThat(run("ip", "netns", "list").output()).doesNotContain(a).doesNotContain(b);
    assertThat(run("ip", "-br", "link").output()).doesNotContain(bridge).doesNotContain("v-" + a);
  }

  private static boolean isRoot() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/status")).stream()
        .filter(line -> line.startsWith("Uid:"))
        .anyMatch(line -> line.split("\\s+")[1].equals("0"));
  }

  private static Result run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("timed out: " + String.join(" ", command));
    }
    return new Result(process.exitValue(), output);
  }

  private record Result(int exitCode, String output) {}
}
