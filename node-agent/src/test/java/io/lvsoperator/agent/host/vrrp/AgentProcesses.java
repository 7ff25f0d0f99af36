package io.lvsoperator.agent.host.vrrp;

import io.lvsoperator.testing.NetnsLab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The agent's processes in a {@link NetnsLab}: the jar in standalone mode, or the VRRP engine. */
final class AgentProcesses {
  private AgentProcesses() {}

  /**
   * A manifests directory {@code dir/manifests} with one VirtualServer "vip" for 172.20.1.100;
   * {@code rest} is the YAML that follows {@code vip:} under {@code spec:} (indented by two), and
   * may end with more documents.
   */
  static Path vipManifests(Path dir, String rest) throws IOException {
    Path manifests = Files.createDirectories(dir.resolve("manifests"));
    Files.writeString(
        manifests.resolve("vip.yaml"),
        """
        apiVersion: lvsoperator.io/v1alpha1
        kind: VirtualServer
        metadata: {name: vip, namespace: default}
        spec:
          vip: 172.20.1.100
        """
            + rest);
    return manifests;
  }

  /**
   * Starts the agent jar in {@code ns}: {@code java JVM_FLAGS -jar JAR standalone --manifests
   * MANIFESTS --node-name NODE --state-dir STATE_DIR EXTRA...}, output to {@code log}.
   */
  static Process standalone(
      NetnsLab lab,
      String ns,
      String log,
      Path jar,
      List<String> jvmFlags,
      Path manifests,
      String node,
      Path stateDir,
      String... extra)
      throws IOException {
    List<String> cmd = standaloneCommand(jar, jvmFlags, manifests, node, stateDir);
    cmd.addAll(List.of(extra));
    return lab.start(ns, log, cmd.toArray(String[]::new));
  }

  /** The command {@link #standalone} runs, without the extra arguments; a mutable list. */
  static List<String> standaloneCommand(
      Path jar, List<String> jvmFlags, Path manifests, String node, Path stateDir) {
    List<String> cmd = new ArrayList<>();
    cmd.add(NetnsLab.java());
    cmd.addAll(jvmFlags);
    cmd.addAll(
        List.of(
            "-jar",
            jar.toAbsolutePath().toString(),
            "standalone",
            "--manifests",
            manifests.toString(),
            "--node-name",
            node,
            "--state-dir",
            stateDir.toString()));
    return cmd;
  }

  /** Starts a {@link VrrpTestAgent} in {@code ns} with this JVM's class path. */
  static Process testAgent(NetnsLab lab, String ns, String log, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(NetnsLab.java());
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(VrrpTestAgent.class.getName());
    cmd.addAll(List.of(args));
    return lab.start(ns, log, cmd.toArray(String[]::new));
  }
}
