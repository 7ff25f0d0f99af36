package io.lvsoperator.agent.host.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lvsoperator.testing.HostCommands;
import io.lvsoperator.testing.NetnsLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real processes in network namespaces on one bridge: our engine against itself and against
 * keepalived. {@code ip -br addr} is the oracle for who holds the VIP; times are printed as figures
 * and only bounded generously to catch hangs.
 */
class VrrpNamespaceIT {
  private static final String VIP = "172.20.1.100";
  private static final Duration HANG = Duration.ofSeconds(15);

  @TempDir Path dir;
  private NetnsLab lab;
  private String n1;
  private String n2;

  @BeforeEach
  void setUp() throws Exception {
    assumeTrue(NetnsLab.usable(), "needs root and iproute2 (network namespaces)");
    lab = new NetnsLab("vr", dir);
    n1 = lab.host("a", "172.20.1.1/16");
    n2 = lab.host("b", "172.20.1.2/16");
  }

  @AfterEach
  void tearDown() {
    if (lab != null) {
      lab.close();
    }
  }

  /** Waits until {@code condition} holds; returns the seconds it took. */
  private static double await(String what, Callable<Boolean> condition) throws Exception {
    long start = System.nanoTime();
    long deadline = start + HANG.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.call()) {
        return (System.nanoTime() - start) / 1e9;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("timed out after " + HANG + ": " + what);
  }

  private void figure(String name, double seconds) {
    System.out.printf("vrrp-figure %s %.3fs%n", name, seconds);
  }

  /** Holds for the whole {@code period}: no flapping. */
  private void stays(String what, Duration period, Callable<Boolean> condition) throws Exception {
    long end = System.nanoTime() + period.toNanos();
    while (System.nanoTime() < end) {
      assertThat(condition.call()).as(what).isTrue();
      Thread.sleep(50);
    }
  }

  private Process ours(String ns, String log, int priority, int version) throws Exception {
    return version == 2
        ? AgentProcesses.testAgent(
            lab, ns, log, "priority=" + priority, "version=2", "pass=1111", "intervalMs=1000")
        : AgentProcesses.testAgent(
            lab, ns, log, "priority=" + priority, "version=3", "intervalMs=1000");
  }

  private Process keepalived(String ns, String name, int priority, int version) throws Exception {
    return keepalived(ns, name, priority, version, null, null);
  }

  private Process keepalived(
      String ns, String name, int priority, int version, String self, String peer)
      throws Exception {
    String conf =
        """
        global_defs {
          router_id %s
          vrrp_version %d
          enable_script_security
        }
        vrrp_instance VI_1 {
          state BACKUP
          interface eth0
          virtual_router_id 51
          priority %d
          advert_int 1
          %s
          %s
          virtual_ipaddress {
            172.20.1.100/16 dev eth0 label eth0:1
          }
        }
        """
            .formatted(
                name,
                version,
                priority,
                version == 2 ? "authentication {\n auth_type PASS\n auth_pass 1111\n }" : "",
                peer == null
                    ? ""
                    : "unicast_src_ip " + self + "\n unicast_peer {\n " + peer + "\n }");
    Path file = dir.resolve(name + ".conf");
    Files.writeString(file, conf);
    return lab.start(
        ns,
        name + ".log",
        "keepalived",
        "-n",
        "-l",
        "-D",
        "--vrrp",
        "-f",
        file.toString(),
        "-p",
        dir.resolve(name + ".pid").toString(),
        "-r",
        dir.resolve(name + "-vrrp.pid").toString());
  }

  /** SIGTERM {@code p}, wait for {@code condition}, and return the seconds from the signal. */
  private static double stopAndAwait(Process p, String what, Callable<Boolean> condition)
      throws Exception {
    long start = System.nanoTime();
    p.destroy();
    await(what, condition);
    double seconds = (System.nanoTime() - start) / 1e9;
    assertThat(p.waitFor(15, TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
    return seconds;
  }

  private static void terminate(Process p) throws Exception {
    p.destroy();
    assertThat(p.waitFor(15, TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
  }

  @Test
  void twoEnginesElectFailOverPreemptSurviveKillAndHandOver() throws Exception {
    Process dump =
        lab.start(
            lab.switchNamespace(),
            "tcpdump.txt",
            "tcpdump",
            "-i",
            "br0",
            "-n",
            "-vv",
            "-l",
            "ip proto 112");
    Process a = ours(n1, "a.log", 100, 2);
    Process b = ours(n2, "b.log", 50, 2);
    figure("elect", await("lvs1 holds the VIP", () -> lab.holds(n1, VIP)));
    assertThat(HostCommands.output("ip", "-n", n1, "-4", "addr", "show", "dev", "eth0"))
        .containsPattern("inet 172\\.20\\.1\\.100/16 .*eth0:1");
    // Under load lvs2's JVM may win the start-up race and be master until lvs1 preempts it.
    await("lvs2 is backup", () -> !lab.holds(n2, VIP));
    stays("lvs2 stays backup", Duration.ofSeconds(3), () -> !lab.holds(n2, VIP));

    HostCommands.check("ip", "-n", n1, "link", "set", "eth0", "down");
    figure("link-down-failover", await("lvs2 takes the VIP", () -> lab.holds(n2, VIP)));
    assertThat(lab.log("a.log")).contains("STATE MASTER FAULT");

    HostCommands.check("ip", "-n", n1, "link", "set", "eth0", "up");
    figure(
        "preempt-back",
        await("lvs1 preempts back", () -> lab.holds(n1, VIP) && !lab.holds(n2, VIP)));

    a.destroyForcibly();
    a.waitFor(5, TimeUnit.SECONDS);
    figure("kill9-failover", await("lvs2 takes over", () -> lab.holds(n2, VIP)));
    assertThat(lab.holds(n1, VIP)).as("kill -9 leaves the VIP behind").isTrue();

    Process a2 = ours(n1, "a2.log", 100, 2);
    await("restarted agent started", () -> lab.log("a2.log").contains("STARTED"));
    assertThat(lab.holds(n1, VIP)).as("the stale VIP is gone before it runs").isFalse();
    figure(
        "restart-preempt",
        await("lvs1 master again", () -> lab.holds(n1, VIP) && !lab.holds(n2, VIP)));

    long stop = System.nanoTime();
    a2.destroy();
    double takeover = await("lvs2 takes over after priority 0", () -> lab.holds(n2, VIP));
    figure("graceful-takeover", takeover);
    assertThat(a2.waitFor(10, TimeUnit.SECONDS)).isTrue();
    figure("graceful-process-exit", (System.nanoTime() - stop) / 1e9);
    assertThat(lab.holds(n1, VIP)).isFalse();
    assertThat(lab.log("a2.log")).contains("HANDOVER done").contains("reason=new-master-heard");
    assertThat(takeover).as("skew time 0.8 s plus detection").isLessThan(3.0);

    terminate(b);
    dump.destroy();
    dump.waitFor(5, TimeUnit.SECONDS);
    String decoded = lab.log("tcpdump.txt");
    assertThat(decoded)
        .contains(
            "172.20.1.1 > 224.0.0.18: VRRPv2, Advertisement, vrid 51, prio 100, authtype simple,"
                + " intvl 1s, length 20, addrs: 172.20.1.100 auth \"1111\"")
        .contains("VRRPv2, Advertisement, vrid 51, prio 0")
        .contains("ttl 255")
        .doesNotContain("bad");
  }

  private void interop(int version) throws Exception {
    assumeTrue(HostCommands.hasTool("keepalived"), "keepalived is not installed (apt)");
    // keepalived master, ours backup.
    Process k = keepalived(n1, "k1", 100, version);
    Process o = ours(n2, "o1.log", 50, version);
    figure(
        "v" + version + "-keepalived-elect", await("keepalived master", () -> lab.holds(n1, VIP)));
    await("ours backup", () -> lab.log("o1.log").contains("STATE INITIALIZE BACKUP"));
    stays("ours stays backup behind keepalived", Duration.ofSeconds(5), () -> !lab.holds(n2, VIP));
    figure(
        "v" + version + "-keepalived-stop-ours-takeover",
        stopAndAwait(k, "ours takes over", () -> lab.holds(n2, VIP)));
    Process k2 = keepalived(n1, "k2", 100, version);
    figure(
        "v" + version + "-keepalived-preempts-ours",
        await("keepalived preempts", () -> lab.holds(n1, VIP) && !lab.holds(n2, VIP)));
    terminate(k2);
    terminate(o);
    await("all released", () -> !lab.holds(n1, VIP) && !lab.holds(n2, VIP));

    // Ours master, keepalived backup.
    Process o2 = ours(n1, "o2.log", 100, version);
    Process k3 = keepalived(n2, "k3", 50, version);
    figure("v" + version + "-ours-elect", await("ours master", () -> lab.holds(n1, VIP)));
    // keepalived starts in milliseconds, our JVM in seconds: keepalived may be master until ours
    // preempts it.
    await("keepalived is backup", () -> !lab.holds(n2, VIP));
    stays("keepalived stays backup behind ours", Duration.ofSeconds(5), () -> !lab.holds(n2, VIP));
    figure(
        "v" + version + "-ours-stop-keepalived-takeover",
        stopAndAwait(o2, "keepalived takes over", () -> lab.holds(n2, VIP) && !lab.holds(n1, VIP)));
    terminate(k3);

    for (String log : new String[] {"k1.log", "k2.log", "k3.log"}) {
      assertThat(lab.log(log).toLowerCase())
          .as(log)
          .contains("entering")
          .doesNotContain("invalid")
          .doesNotContain("bogus")
          .doesNotContain("mismatch")
          .doesNotContain("not present")
          .doesNotContain("error")
          .doesNotContainPattern("\\bbad\\b"); // not the "ebad" of an fe80:: address
    }
    assertThat(lab.log("k3.log")).contains("Backup received priority 0 advertisement");
  }

  @Test
  void interoperatesWithKeepalivedV2PassBothWays() throws Exception {
    interop(2);
  }

  @Test
  void interoperatesWithKeepalivedV3BothWays() throws Exception {
    interop(3);
  }

  @Test
  void unicastPeersInteroperateWithKeepalivedV3BothWays() throws Exception {
    assumeTrue(HostCommands.hasTool("keepalived"), "keepalived is not installed (apt)");
    Process dump =
        lab.start(
            lab.switchNamespace(),
            "tcpdump.txt",
            "tcpdump",
            "-i",
            "br0",
            "-n",
            "-vv",
            "-l",
            "ip proto 112");
    Process k = keepalived(n1, "ku1", 100, 3, "172.20.1.1", "172.20.1.2");
    Process o =
        AgentProcesses.testAgent(
            lab, n2, "ou1.log", "priority=50", "version=3", "intervalMs=1000", "peer=172.20.1.1");
    await("keepalived master", () -> lab.holds(n1, VIP));
    await("ours backup", () -> lab.log("ou1.log").contains("STATE INITIALIZE BACKUP"));
    stays("ours stays backup behind keepalived", Duration.ofSeconds(5), () -> !lab.holds(n2, VIP));
    figure(
        "v3-unicast-keepalived-stop-ours-takeover",
        stopAndAwait(k, "ours takes over", () -> lab.holds(n2, VIP)));
    Process k2 = keepalived(n1, "ku2", 100, 3, "172.20.1.1", "172.20.1.2");
    await("keepalived preempts", () -> lab.holds(n1, VIP) && !lab.holds(n2, VIP));
    terminate(k2);
    terminate(o);

    Process o2 =
        AgentProcesses.testAgent(
            lab, n1, "ou2.log", "priority=100", "version=3", "intervalMs=1000", "peer=172.20.1.2");
    Process k3 = keepalived(n2, "ku3", 50, 3, "172.20.1.2", "172.20.1.1");
    await("ours master", () -> lab.holds(n1, VIP));
    // keepalived starts in milliseconds, our JVM in seconds: keepalived may be master until ours
    // preempts it.
    await("keepalived is backup", () -> !lab.holds(n2, VIP));
    stays("keepalived stays backup behind ours", Duration.ofSeconds(5), () -> !lab.holds(n2, VIP));
    figure(
        "v3-unicast-ours-stop-keepalived-takeover",
        stopAndAwait(o2, "keepalived takes over", () -> lab.holds(n2, VIP) && !lab.holds(n1, VIP)));
    terminate(k3);
    dump.destroy();
    dump.waitFor(5, TimeUnit.SECONDS);
    for (String log : new String[] {"ku1.log", "ku2.log", "ku3.log"}) {
      assertThat(lab.log(log).toLowerCase())
          .as(log)
          .contains("entering")
          .doesNotContain("invalid")
          .doesNotContain("bogus")
          .doesNotContain("error")
          .doesNotContainPattern("\\bbad\\b"); // not the "ebad" of an fe80:: address
    }
    assertThat(lab.log("tcpdump.txt"))
        .contains("172.20.1.1 > 172.20.1.2: VRRPv3, Advertisement, vrid 51, prio 100")
        .contains("172.20.1.2 > 172.20.1.1: VRRPv3, Advertisement, vrid 51, prio 50")
        .doesNotContain("224.0.0.18")
        .doesNotContain("bad");
  }
}
