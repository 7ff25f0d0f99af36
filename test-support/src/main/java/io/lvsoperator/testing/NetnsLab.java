package io.lvsoperator.testing;

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
 * The one harness of the tests that need hosts: network namespaces on one bridge (itself in a
 * namespace), processes started in them, and optionally a port from the root namespace into the
 * bridge (so processes in the hosts reach a server of this JVM). Every name carries the lab's
 * prefix and a random suffix, so tests running at the same time never collide. {@link #close()}
 * kills every process it started (with their children) and deletes every namespace and link it
 * made; a constructor or {@link #host} that fails halfway removes what it had made.
 */
public final class NetnsLab implements AutoCloseable {
  private final String prefix;
  private final String suffix =
      HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(3);
  private final Path dir;
  private final String switchNs;
  private final List<String> namespaces = new ArrayList<>();
  private final List<String> rootLinks = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();

  /**
   * A bridge in a namespace of its own.
   *
   * @param prefix two characters that start every name (interface names have at most 15)
   * @param dir where process logs go
   */
  public NetnsLab(String prefix, Path dir) {
    if (prefix.length() > 2) {
      throw new IllegalArgumentException("prefix '" + prefix + "': at most 2 characters");
    }
    this.prefix = prefix;
    this.dir = dir;
    this.switchNs = prefix + "sw" + suffix;
    try {
      addNamespace(switchNs);
      HostCommands.check("ip", "-n", switchNs, "link", "add", "br0", "type", "bridge");
      HostCommands.check("ip", "-n", switchNs, "link", "set", "br0", "up");
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Null when this JVM can build labs (root, {@code ip netns} works); else why not. */
  public static String unusableBecause() {
    try {
      String uid = HostCommands.check("id", "-u").strip();
      if (!uid.equals("0")) {
        return "needs root for network namespaces (uid " + uid + ")";
      }
      return HostCommands.run("ip", "netns", "list").exitCode() == 0
          ? null
          : "`ip netns list` fails";
    } catch (RuntimeException e) {
      return "cannot run id/ip: " + e.getMessage();
    }
  }

  public static boolean usable() {
    return unusableBecause() == null;
  }

  /** The random part of every name of this lab. */
  public String suffix() {
    return suffix;
  }

  /** Where process logs go. */
  public Path dir() {
    return dir;
  }

  /** The namespace of the bridge {@code br0} (to capture what crosses it). */
  public String switchNamespace() {
    return switchNs;
  }

  private void addNamespace(String ns) {
    HostCommands.check("ip", "netns", "add", ns);
    namespaces.add(ns);
  }

  /** A host namespace with eth0 on the bridge, addressed {@code cidr}; returns its name. */
  public String host(String name, String cidr) {
    String ns = prefix + name + suffix;
    addNamespace(ns);
    String inside = prefix + "i" + name + suffix;
    String outside = prefix + "o" + name + suffix;
    HostCommands.check("ip", "link", "add", inside, "type", "veth", "peer", "name", outside);
    try {
      HostCommands.check("ip", "link", "set", inside, "netns", ns);
      HostCommands.check("ip", "link", "set", outside, "netns", switchNs);
    } catch (RuntimeException e) {
      // Still in the root namespace: deleting one end deletes the pair.
      HostCommands.quietly("ip", "link", "del", inside);
      HostCommands.quietly("ip", "link", "del", outside);
      throw e;
    }
    HostCommands.check("ip", "-n", ns, "link", "set", inside, "name", "eth0");
    HostCommands.check("ip", "-n", switchNs, "link", "set", outside, "master", "br0", "up");
    HostCommands.check("ip", "-n", ns, "addr", "add", cidr, "dev", "eth0");
    HostCommands.check("ip", "-n", ns, "link", "set", "eth0", "up");
    HostCommands.check("ip", "-n", ns, "link", "set", "lo", "up");
    return ns;
  }

  /**
   * Plugs the root namespace into the bridge with {@code address}/32 and host routes to {@code
   * peers} only, so nothing else on this machine is routed differently.
   */
  public void rootPort(String address, String... peers) {
    String root = prefix + "r" + suffix;
    String bridged = prefix + "b" + suffix;
    HostCommands.check("ip", "link", "add", root, "type", "veth", "peer", "name", bridged);
    rootLinks.add(root);
    HostCommands.check("ip", "link", "set", bridged, "netns", switchNs);
    HostCommands.check("ip", "-n", switchNs, "link", "set", bridged, "master", "br0", "up");
    HostCommands.check("ip", "addr", "add", address + "/32", "dev", root);
    HostCommands.check("ip", "link", "set", root, "up");
    for (String peer : peers) {
      HostCommands.check("ip", "route", "add", peer + "/32", "dev", root, "src", address);
    }
  }

  /** Starts {@code command} in {@code ns}, stdout and stderr appended to {@code <dir>/<log>}. */
  public Process start(String ns, String log, String... command) throws IOException {
    return start(ns, log, Map.of(), List.of(command));
  }

  /**
   * Starts {@code command} in {@code ns} with {@code env} added, output appended to {@code
   * <dir>/<log>}. The in-cluster variables of a surrounding pod are removed (they would win over
   * KUBECONFIG).
   */
  public Process start(String ns, String log, Map<String, String> env, List<String> command)
      throws IOException {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    cmd.addAll(command);
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(log).toFile()));
    pb.environment().putAll(env);
    pb.environment().remove("KUBERNETES_SERVICE_HOST");
    pb.environment().remove("KUBERNETES_SERVICE_PORT");
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  /** The java launcher of this JVM, to start another one in a namespace. */
  public static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  /** The log {@code name} so far, "" when there is none (stray bytes never hide the rest). */
  public String log(String name) {
    try {
      Path p = dir.resolve(name);
      return Files.exists(p) ? new String(Files.readAllBytes(p), StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** {@code ip -br addr show dev eth0} in {@code ns}: the independent view of who holds a VIP. */
  public String addresses(String ns) {
    return HostCommands.output("ip", "-n", ns, "-br", "addr", "show", "dev", "eth0");
  }

  public boolean holds(String ns, String vip) {
    return addresses(ns).contains(" " + vip + "/");
  }

  /** The resident set of process {@code pid}, as /proc reports it ("VmRSS: 81016 kB"). */
  public static String rss(long pid) throws IOException {
    return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
        .filter(l -> l.startsWith("VmRSS"))
        .findFirst()
        .orElse("VmRSS: ?")
        .replaceAll("\\s+", " ");
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
      HostCommands.quietly("ip", "link", "del", link); // takes its address and routes with it
    }
    for (String ns : namespaces.reversed()) {
      HostCommands.quietly("ip", "netns", "del", ns);
    }
  }
}
