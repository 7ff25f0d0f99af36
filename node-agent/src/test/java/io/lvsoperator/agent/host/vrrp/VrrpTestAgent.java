package io.lvsoperator.agent.host.vrrp;

import io.lvsoperator.agent.host.rtnl.RtnlClient;
import io.lvsoperator.agent.scheduling.ScheduledExecutorEventLoop;
import io.lvsoperator.agent.vrrp.VrrpEngine;
import io.lvsoperator.agent.vrrp.VrrpInstanceConfig;
import io.lvsoperator.agent.vrrp.codec.ReceiveVerdict;
import io.lvsoperator.agent.vrrp.codec.VrrpVersion;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A minimal VRRP process for integration tests, built like the agent's: raw-socket transport,
 * rtnetlink VIPs ({@link RtnlTestEffects}, no GARP yet), rtnetlink link tracking, SIGTERM =
 * graceful handover. One instance from key=value arguments. Prints {@code STATE <from> <to>
 * <reason>} lines, and {@code VERDICT <verdict> <count>} whenever a receive count changes.
 */
public final class VrrpTestAgent {
  private static void timing(String what) {
    System.out.println(
        "TIMING "
            + what
            + " uptimeMs="
            + java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime());
  }

  public static void main(String[] args) throws Exception {
    timing("main");
    Map<String, String> a = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      a.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    String iface = a.getOrDefault("iface", "eth0");
    String[] vip = a.getOrDefault("vip", "172.20.1.100/16").split("/");
    int version = Integer.parseInt(a.getOrDefault("version", "3"));
    VrrpInstanceConfig config =
        new VrrpInstanceConfig(
            iface + "-" + a.getOrDefault("vrid", "51"),
            iface,
            Integer.parseInt(a.getOrDefault("vrid", "51")),
            Integer.parseInt(a.getOrDefault("priority", "100")),
            version == 2 ? VrrpVersion.V2 : VrrpVersion.V3,
            Integer.parseInt(a.getOrDefault("intervalMs", "1000")) / 10,
            Boolean.parseBoolean(a.getOrDefault("preempt", "true")),
            Duration.ofMillis(Long.parseLong(a.getOrDefault("preemptDelayMs", "0"))),
            false,
            a.get("pass"),
            a.containsKey("peer") ? List.of(InetAddress.ofLiteral(a.get("peer"))) : List.of(),
            List.of(
                new VrrpInstanceConfig.VirtualAddress(
                    InetAddress.ofLiteral(vip[0]),
                    Integer.parseInt(vip[1]),
                    a.getOrDefault("label", iface + ":1"))),
            List.of(),
            null);
    timing("config");
    RtnlClient rtnl = RtnlClient.open();
    timing("rtnl-open");
    ScheduledExecutorEventLoop loop = new ScheduledExecutorEventLoop("vrrp");
    VrrpEngine engine =
        new VrrpEngine(
            loop,
            RawSocketVrrpTransport.factory(
                RawSocketVrrpTransport.PrimaryAddressSource.rtnl(rtnl, config::addresses),
                () -> {}),
            new RtnlTestEffects(rtnl));
    engine.addListener(
        t -> System.out.println("STATE " + t.from() + " " + t.to() + " " + t.reason()));
    timing("engine-created");
    VrrpLinkTracker links = VrrpLinkTracker.start(engine);
    timing("link-tracker");
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .unstarted(
                    () -> {
                      try {
                        engine.handover().get(10, TimeUnit.SECONDS);
                        System.out.println("HANDOVER done");
                        links.close();
                      } catch (Exception e) {
                        System.out.println("HANDOVER failed " + e);
                      }
                      engine.close();
                      loop.close();
                    }));
    engine.apply(List.of(config), List.of()).get(10, TimeUnit.SECONDS);
    timing("applied");
    System.out.println("STARTED " + config.name());
    // "VERDICT <name> <count>" whenever a count of dropped or accepted packets changes.
    long[] seen = new long[ReceiveVerdict.values().length];
    while (true) {
      for (ReceiveVerdict v : ReceiveVerdict.values()) {
        long n = engine.verdictCount(v);
        if (n != seen[v.ordinal()]) {
          seen[v.ordinal()] = n;
          System.out.println("VERDICT " + v + " " + n);
        }
      }
      Thread.sleep(100);
    }
  }
}
