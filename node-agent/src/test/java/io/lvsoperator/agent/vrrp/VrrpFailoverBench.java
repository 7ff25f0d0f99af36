package io.lvsoperator.agent.vrrp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Prints failover figures (kill -9 and link down, master to backup holding the VIP) for our engine
 * at 1 s and 100 ms adverts and for keepalived at 1 s, plus our start-up time and resident memory.
 * Needs root and keepalived. Not a test; about two minutes. Run from the test class path: {@code
 * java -cp <test classpath> io.lvsoperator.agent.vrrp.VrrpFailoverBench}.
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
    return lab.agent(
        ns, name + ".log", "priority=" + priority, "version=3", "intervalMs=" + intervalMs);
  }

  static Process keepalived(NetnsLab lab, String ns, String name, int priority) throws Exception {
    Path conf = lab.dir.resolve(name + ".conf");
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
        lab.dir.resolve(name + ".pid").toString(),
        "-r",
        lab.dir.resolve(name + "-vrrp.pid").toString());
  }

  private static void scenario(String label, Starter starter) throws Exception {
    Path dir = Files.createTempDirectory("vrrp-bench");
    for (String failure : new String[] {"kill9", "linkdown"}) {
      try (NetnsLab lab = new NetnsLab(dir)) {
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
          NetnsLab.sh("ip", "-n", n1, "link", "set", "eth0", "down");
          until(() -> lab.holds(n2, VIP));
          took = (System.nanoTime() - start) / 1e9;
        }
        System.out.printf("vrrp-bench %s %s-failover %.3fs%n", label, failure, took);
      }
    }
  }

  public static void main(String[] args) throws Exception {
    scenario("ours-1s", (lab, ns, name, p) -> ours(lab, ns, name, p, 1000));
    scenario("ours-100ms", (lab, ns, name, p) -> ours(lab, ns, name, p, 100));
    scenario("keepalived-1s", VrrpFailoverBench::keepalived);

    Path dir = Files.createTempDirectory("vrrp-bench");
    try (NetnsLab lab = new NetnsLab(dir)) {
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
      long pid = p.pid();
      String rss =
          Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
              .filter(l -> l.startsWith("VmRSS"))
              .findFirst()
              .orElse("VmRSS: ?");
      System.out.printf("vrrp-bench rss-after-60s %s%n", rss.replaceAll("\\s+", " "));
    }
  }
}
