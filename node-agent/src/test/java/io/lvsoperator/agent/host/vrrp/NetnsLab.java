package io.lvsoperator.agent.host.vrrp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Network namespaces on one bridge (itself in a namespace), with processes started in them. All
 * names carry a random suffix; {@link #close()} kills every process and deletes every namespace.
 */
final class NetnsLab implements AutoCloseable {
  final String suffix =
      HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(3);
  final String switchNs = "vrsw" + suffix;
  final Path dir;
  private final List<String> namespaces = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();

  NetnsLab(Path dir) throws Exception {
    this.dir = dir;
    addNamespace(switchNs);
    sh("ip", "-n", switchNs, "link", "add", "br0", "type", "bridge");
    sh("ip", "-n", switchNs, "link", "set", "br0", "up");
  }

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

  /** The resident set of process {@code pid}, as /proc reports it ("VmRSS: 81016 kB"). */
  static String rss(long pid) throws IOException {
    return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
        .filter(l -> l.startsWith("VmRSS"))
        .findFirst()
        .orElse("VmRSS: ?")
        .replaceAll("\\s+", " ");
  }

  static boolean usable() {
    try {
      Process p = new ProcessBuilder("id", "-u").start();
      String uid = new String(p.getInputStream().readAllBytes()).strip();
      return p.waitFor() == 0 && uid.equals("0") && run("ip", "netns", "list") == 0;
    } catch (Exception e) {
      return false;
    }
  }

  static boolean installed(String tool) {
    return Files.isExecutable(Path.of("/usr/sbin", tool))
        || Files.isExecutable(Path.of("/usr/bin", tool))
        || Files.isExecutable(Path.of("/sbin", tool));
  }

  private void addNamespace(String ns) throws Exception {
    sh("ip", "netns", "add", ns);
    namespaces.add(ns);
  }

  /** A host namespace with eth0 on the bridge, addressed {@code cidr}; returns its name. */
  String host(String name, String cidr) throws Exception {
    String ns = "vr" + name + suffix;
    addNamespace(ns);
    String inside = "vi" + name + suffix;
    String outside = "vo" + name + suffix;
    sh("ip", "link", "add", inside, "type", "veth", "peer", "name", outside);
    sh("ip", "link", "set", inside, "netns", ns);
    sh("ip", "link", "set", outside, "netns", switchNs);
    sh("ip", "-n", ns, "link", "set", inside, "name", "eth0");
    sh("ip", "-n", switchNs, "link", "set", outside, "master", "br0", "up");
    sh("ip", "-n", ns, "addr", "add", cidr, "dev", "eth0");
    sh("ip", "-n", ns, "link", "set", "eth0", "up");
    sh("ip", "-n", ns, "link", "set", "lo", "up");
    return ns;
  }

  /** Starts {@code command} in {@code ns}, stdout and stderr to {@code <dir>/<log>}. */
  Process start(String ns, String log, String... command) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    cmd.addAll(List.of(command));
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(log).toFile()))
            .start();
    processes.add(p);
    return p;
  }

  /**
   * Starts the agent jar in {@code ns}: {@code java JVM_FLAGS -jar JAR standalone --manifests
   * MANIFESTS --node-name NODE --state-dir STATE_DIR EXTRA...}, output to {@code log}.
   */
  Process standalone(
      String ns,
      String log,
      Path jar,
      List<String> jvmFlags,
      Path manifests,
      String node,
      Path stateDir,
      String... extra)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
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
    cmd.addAll(List.of(extra));
    return start(ns, log, cmd.toArray(String[]::new));
  }

  /** Starts a {@link VrrpTestAgent} in {@code ns} with this JVM's class path. */
  Process agent(String ns, String log, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(VrrpTestAgent.class.getName());
    cmd.addAll(List.of(args));
    return start(ns, log, cmd.toArray(String[]::new));
  }

  String log(String name) {
    try {
      Path p = dir.resolve(name);
      return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** {@code ip -br addr show dev eth0} in {@code ns}: the independent view of who holds a VIP. */
  String addresses(String ns) throws Exception {
    return output("ip", "-n", ns, "-br", "addr", "show", "dev", "eth0");
  }

  boolean holds(String ns, String vip) throws Exception {
    return addresses(ns).contains(" " + vip + "/");
  }

  static String output(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    return out;
  }

  static int run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
  }

  static void sh(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
    }
  }

  @Override
  public void close() {
    for (Process p : processes) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    for (Process p : processes) {
      try {
        p.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (String ns : namespaces.reversed()) {
      try {
        run("ip", "netns", "del", ns);
      } catch (Exception e) {
        // Keep deleting the others.
      }
    }
  }
}
