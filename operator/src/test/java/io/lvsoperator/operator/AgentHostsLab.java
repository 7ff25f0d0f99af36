package io.lvsoperator.operator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Hosts in network namespaces on one bridge (itself in a namespace), plus a veth from the root
 * namespace into that bridge so processes in the hosts can reach a server of this JVM. Every name
 * carries a random suffix; {@link #close()} kills every process it started and deletes every
 * namespace and link, also after a failure.
 */
final class AgentHostsLab implements AutoCloseable {
  final String suffix =
      HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(3);
  final Path dir;
  private final String switchNs = "e2sw" + suffix;
  private final List<String> namespaces = new ArrayList<>();
  private final List<String> rootLinks = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();

  AgentHostsLab(Path dir) throws Exception {
    this.dir = dir;
    addNamespace(switchNs);
    sh("ip", "-n", switchNs, "link", "add", "br0", "type", "bridge");
    sh("ip", "-n", switchNs, "link", "set", "br0", "up");
  }

  /** Whether this JVM runs as root and {@code ip netns} works; the reason when not. */
  static String unusableBecause() {
    try {
      String uid = output("id", "-u").strip();
      if (!uid.equals("0")) {
        return "needs root for network namespaces (uid " + uid + ")";
      }
      return run("ip", "netns", "list") == 0 ? null : "`ip netns list` fails";
    } catch (Exception e) {
      return "cannot run id/ip: " + e.getMessage();
    }
  }

  private void addNamespace(String ns) throws Exception {
    sh("ip", "netns", "add", ns);
    namespaces.add(ns);
  }

  /** A host namespace with eth0 on the bridge, addressed {@code cidr}; returns its name. */
  String host(String name, String cidr) throws Exception {
    String ns = "e2" + name + suffix;
    addNamespace(ns);
    String inside = "e2i" + name + suffix;
    String outside = "e2o" + name + suffix;
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

  /**
   * Plugs the root namespace into the bridge with {@code address}/32 and host routes to {@code
   * peers} only, so nothing else on this machine is routed differently.
   */
  void rootPort(String address, String... peers) throws Exception {
    String root = "e2r" + suffix;
    String bridged = "e2b" + suffix;
    sh("ip", "link", "add", root, "type", "veth", "peer", "name", bridged);
    rootLinks.add(root);
    sh("ip", "link", "set", bridged, "netns", switchNs);
    sh("ip", "-n", switchNs, "link", "set", bridged, "master", "br0", "up");
    sh("ip", "addr", "add", address + "/32", "dev", root);
    sh("ip", "link", "set", root, "up");
    for (String peer : peers) {
      sh("ip", "route", "add", peer + "/32", "dev", root, "src", address);
    }
  }

  /** Starts {@code command} in {@code ns} with {@code env} added; output appended to dir/log. */
  Process start(String ns, String log, Map<String, String> env, List<String> command)
      throws IOException {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    cmd.addAll(command);
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(log).toFile()));
    pb.environment().putAll(env);
    // In-cluster settings of a surrounding pod would win over KUBECONFIG.
    pb.environment().remove("KUBERNETES_SERVICE_HOST");
    pb.environment().remove("KUBERNETES_SERVICE_PORT");
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  String log(String name) {
    try {
      Path p = dir.resolve(name);
      // Lenient decoding: a log line with stray bytes must not hide the rest of the log.
      return Files.exists(p) ? new String(Files.readAllBytes(p), StandardCharsets.UTF_8) : "";
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
    for (String link : rootLinks) {
      try {
        run("ip", "link", "del", link); // takes its address and routes with it
      } catch (Exception e) {
        // Keep cleaning up the rest.
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
