package io.lvsoperator.agent.host.vrrp;

import io.lvsoperator.testing.HostCommands;
import io.lvsoperator.testing.NetnsLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Prints failover figures (kill -9 and link down, master to backup holding the VIP) at 1 s and 100
 * ms adverts for our engine alone ({@code VrrpTestAgent}) and for the whole agent jar, and for
 * keepalived at 1 s; plus start-up time and resident memory of the engine and of the jar (the first
 * argument, default target/lvs-node-agent.jar; without it the jar rows are skipped). Needs root and
 * keepalived. Not a test; about five minutes. Run from the test class path: {@code java -cp <test
 * classpath> io.lvsoperator.agent.host.vrrp.VrrpFailoverBench [JAR]} ({@code -Dbench.jarOnly=true}:
 * the jar's start-up and memory only).
 */
public final class VrrpFailoverBench {
  private static final String VIP = "172.20.1.100";

  private static double until(Callable<Boolean> c) throws Exception {
    long start = System.nanoTime();
    while (!c.call()) {
      if (System.nanoTime() - start > 30_000_000_000L) {
        throw new IllegalStateException("no failover within 30 s");
      }
      Thread.sleep(5);
    }
    return (System.nanoTime() - start) / 1e9;
  }

  interface Starter {
    Process start(NetnsLab lab, String ns, String name, int priority) throws Exception;
  }

  static Process ours(NetnsLab lab, String ns, String name, int priority, int intervalMs)
      throws Exception {
    return AgentProcesses.testAgent(
        lab, ns, name + ".log", "priority=" + priority, "version=3", "intervalMs=" + intervalMs);
  }

  /**
   * The whole agent ({@code lvs-node-agent.jar standalone}) as director lvs1 (priority 100) or lvs2
   * (50) of one VIP, VRRP v3 at {@code intervalMs}: what a user runs, GARPs and all.
   */
  static Process jar(Path jar, NetnsLab lab, String ns, int priority, int intervalMs)
      throws Exception {
    String node = priority == 100 ? "lvs1" : "lvs2";
    Path dir = lab.dir().resolve(node + "-" + intervalMs);
    Path manifests =
        AgentProcesses.vipManifests(
            dir,
            """
              vrrp: {interface: eth0, virtualRouterId: 51, version: 3, advertIntervalMs: %d, vipPrefixLength: 16}
              directors: {nodes: [{name: lvs1, priority: 100}, {name: lvs2, priority: 50}]}
            """
                .formatted(intervalMs));
    return AgentProcesses.standalone(
        lab,
        ns,
        node + "-" + intervalMs + ".log",
        jar,
        List.of(),
        manifests,
        node,
        dir.resolve("state"));
  }

  static Process keepalived(NetnsLab lab, String ns, String name, int priority) throws Exception {
    Path conf = lab.dir().resolve(name + ".conf");
    Files.writeString(
        conf,
        """
        global_defs {
          router_id %s
          vrrp_version 3
        }
        vrrp_instance VI_1 {
          state BACKUP
          interface eth0
          virtual_router_id 51
          priority %d
          advert_int 1
          virtual_ipaddress {
            172.20.1.100/16 dev eth0 label eth0:1
          }
        }
        """
            .formatted(name, priority));
    return lab.start(
        ns,
        name + ".log",
        "keepalived",
        "-n",
        "-l",
        "-D",
        "--vrrp",
        "-f",
        conf.toString(),
        "-p",
        lab.dir().resolve(name + ".pid").toString(),
        "-r",
        lab.dir().resolve(name + "-vrrp.pid").toString());
  }

  private static void scenario(String label, Starter starter) throws Exception {
    Path dir = Files.createTempDirectory("vrrp-bench");
    for (String failure : new String[] {"kill9", "linkdown"}) {
      try (NetnsLab lab = new NetnsLab("vr", dir)) {
        String n1 = lab.host("a", "172.20.1.1/16");
        String n2 = lab.host("b", "172.20.1.2/16");
        Process master = starter.start(lab, n1, "m-" + failure, 100);
        starter.start(lab, n2, "b-" + failure, 50);
        until(() -> lab.holds(n1, VIP));
        Thread.sleep(2_000);
        double took;
        if (failure.equals("kill9")) {
          long start = System.nanoTime();
          master.descendants().forEach(ProcessHandle::destroyForcibly);
          master.destroyForcibly();
          until(() -> lab.holds(n2, VIP));
          took = (System.nanoTime() - start) / 1e9;
        } else {
          long start = System.nanoTime();
          HostCommands.check("ip", "-n", n1, "link", "set", "eth0", "down");
          until(() -> lab.holds(n2, VIP));
          took = (System.nanoTime() - start) / 1e9;
        }
        System.out.printf("vrrp-bench %s %s-failover %.3fs%n", label, failure, took);
      }
    }
  }

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args.length > 0 ? args[0] : "target/lvs-node-agent.jar");
    if (Boolean.getBoolean("bench.jarOnly")) {
      agentJar(jar, "agent-jar");
      agentJar(jar, "agent-jar-serialgc", "-XX:+UseSerialGC");
      return;
    }
    scenario("ours-1s", (lab, ns, name, p) -> ours(lab, ns, name, p, 1000));
    scenario("ours-100ms", (lab, ns, name, p) -> ours(lab, ns, name, p, 100));
    if (Files.isRegularFile(jar)) {
      scenario("agent-jar-1s", (lab, ns, name, p) -> jar(jar, lab, ns, p, 1000));
      scenario("agent-jar-100ms", (lab, ns, name, p) -> jar(jar, lab, ns, p, 100));
    }
    scenario("keepalived-1s", VrrpFailoverBench::keepalived);

    Path dir = Files.createTempDirectory("vrrp-bench");
    try (NetnsLab lab = new NetnsLab("vr", dir)) {
      String n1 = lab.host("a", "172.20.1.1/16");
      long start = System.nanoTime();
      Process p = ours(lab, n1, "alone", 100, 100);
      until(() -> lab.log("alone.log").contains("STARTED"));
      double running = (System.nanoTime() - start) / 1e9;
      until(() -> lab.log("alone.log").contains("STATE BACKUP MASTER"));
      double firstAdvert = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "vrrp-bench start-to-running %.3fs start-to-first-advert %.3fs (of which"
              + " Master_Down_Interval 0.361s at 100 ms)%n",
          running, firstAdvert);
      TimeUnit.SECONDS.sleep(60);
      System.out.printf("vrrp-bench rss-after-60s %s%n", NetnsLab.rss(p.pid()));
    }
    agentJar(jar, "agent-jar");
    agentJar(jar, "agent-jar-serialgc", "-XX:+UseSerialGC"); // the image's collector
  }

  /**
   * The same two figures for the whole agent ({@code lvs-node-agent.jar standalone}, as a user
   * starts it, with {@code jvmFlags} only): a lone director of one VIP at 100 ms adverts, from the
   * process start to its MASTER transition (logged right after the first advert), and its RSS after
   * 60 s.
   */
  private static void agentJar(Path jar, String label, String... jvmFlags) throws Exception {
    if (!Files.isRegularFile(jar)) {
      System.out.printf("vrrp-bench agent-jar skipped: no %s (build it first)%n", jar);
      return;
    }
    Path dir = Files.createTempDirectory("vrrp-bench");
    Path manifests =
        AgentProcesses.vipManifests(
            dir,
            """
              vrrp: {interface: eth0, virtualRouterId: 51, advertIntervalMs: 100, vipPrefixLength: 16}
              directors: {nodes: [{name: lvs1, priority: 100}]}
            """);
    try (NetnsLab lab = new NetnsLab("vr", dir)) {
      String n1 = lab.host("a", "172.20.1.1/16");
      long start = System.nanoTime();
      Process p =
          AgentProcesses.standalone(
              lab,
              n1,
              "jar.log",
              jar,
              List.of(jvmFlags),
              manifests,
              "lvs1",
              dir.resolve("state"),
              "--http-port",
              "9102");
      until(() -> lab.log("jar.log").contains("event=agent_started"));
      double started = (System.nanoTime() - start) / 1e9;
      until(() -> lab.log("jar.log").contains("to=MASTER"));
      double master = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "vrrp-bench %s start-to-agent_started %.3fs start-to-first-advert %.3fs (of"
              + " which Master_Down_Interval 0.361s at 100 ms)%n",
          label, started, master);
      TimeUnit.SECONDS.sleep(60);
      System.out.printf("vrrp-bench %s rss-after-60s %s%n", label, NetnsLab.rss(p.pid()));
    }
  }
}
