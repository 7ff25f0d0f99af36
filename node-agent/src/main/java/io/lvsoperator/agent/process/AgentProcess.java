package io.lvsoperator.agent.process;

import io.lvsoperator.agent.health.HealthMonitor;
import io.lvsoperator.agent.host.arp.GratuitousArpSender;
import io.lvsoperator.agent.host.dr.DrRealServer;
import io.lvsoperator.agent.host.dr.HostLoopbackVips;
import io.lvsoperator.agent.host.dr.Sysctl;
import io.lvsoperator.agent.host.ipvs.KernelIpvsProgrammer;
import io.lvsoperator.agent.host.ipvs.KernelSyncDaemons;
import io.lvsoperator.agent.host.notify.ProcessNotifier;
import io.lvsoperator.agent.host.rtnl.RtnlClient;
import io.lvsoperator.agent.host.vrrp.HostVrrpEffects;
import io.lvsoperator.agent.host.vrrp.RawSocketVrrpTransport;
import io.lvsoperator.agent.host.vrrp.RealtimeVrrpThreads;
import io.lvsoperator.agent.host.vrrp.VrrpLinkTracker;
import io.lvsoperator.agent.node.NodeAgent;
import io.lvsoperator.agent.node.NodeRuntime;
import io.lvsoperator.agent.node.StaleVips;
import io.lvsoperator.agent.scheduling.ScheduledExecutorEventLoop;
import io.lvsoperator.agent.vrrp.VrrpEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent on a real host: rtnetlink, raw VRRP sockets, gratuitous ARP, IPVS over generic
 * netlink, DR sysctls, Netty health checks, all assembled into one {@link NodeAgent}. Standalone
 * and Kubernetes mode both run this.
 */
public final class AgentProcess implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AgentProcess.class);
  public static final String VERSION = "0.1.0";

  // A netlink client serves one thread: VRRP (effects and primary-address lookups run on its
  // event loop) and the data-plane worker (DR loopback VIPs) each have their own.
  private final RtnlClient rtnl;
  private final RtnlClient rtnlDataPlane;
  private final ScheduledExecutorEventLoop loop;
  private final ScheduledExecutorService timers;
  private final VrrpLinkTracker links;
  private final KernelIpvsProgrammer ipvs;
  private final KernelSyncDaemons syncDaemons;
  private final DrRealServer dr;
  private final NodeAgent agent;
  private final Duration handoverBound;
  private final StaleVips staleVips;
  private final ProcessNotifier notifier;

  /** Notify commands that may run at once (those of one instance run one after another). */
  static final int NOTIFY_CONCURRENCY = 4;

  /** The longest notify timeout of the specs applied: how long a stop waits for notify stop. */
  private volatile long notifyTimeoutMs;

  /**
   * How often IPVS is synced in full (dump and diff) to repair drift; health changes between go to
   * the kernel directly. A full sync costs one destination dump per owned service
   * (docs/benchmarks.md).
   */
  static final Duration IPVS_RESYNC = Duration.ofMinutes(5);

  /** Our VIPs, so the transport never takes one of them for the interface's primary address. */
  private final Collection<InetAddress> ownVips = ConcurrentHashMap.newKeySet();

  /**
   * @param realtime the scheduling of the VRRP threads (the loop and the advert receivers)
   */
  public AgentProcess(
      Path stateDir,
      List<String> drInterfaces,
      Duration handoverBound,
      RealtimeVrrpThreads realtime)
      throws IOException {
    Files.createDirectories(stateDir);
    this.handoverBound = handoverBound;
    this.rtnl = RtnlClient.open();
    // First of all: the VIPs a killed run left behind (the rest of a start takes seconds, more
    // under load, and meanwhile two directors would answer for the VIP).
    this.staleVips = new StaleVips(stateDir.resolve("vrrp-vips"));
    staleVips.removeRecorded(rtnl::removeAddress);
    this.rtnlDataPlane = RtnlClient.open();
    this.loop = new ScheduledExecutorEventLoop("vrrp", realtime::enterCurrentThread);
    this.timers =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("agent-timers").daemon().factory());
    GratuitousArpSender garp = new GratuitousArpSender(timers);
    HostVrrpEffects effects = new HostVrrpEffects(rtnl, garp);
    VrrpEngine engine =
        new VrrpEngine(
            loop,
            RawSocketVrrpTransport.factory(
                RawSocketVrrpTransport.PrimaryAddressSource.rtnl(rtnl, () -> ownVips),
                realtime::enterCurrentThread),
            effects);
    engine.setHandoverBound(handoverBound);
    this.links = VrrpLinkTracker.start(engine, ownVips::contains);
    this.ipvs = new KernelIpvsProgrammer(stateDir);
    this.syncDaemons = new KernelSyncDaemons(stateDir.resolve("ipvs-sync-daemons"));
    this.dr =
        new DrRealServer(
            Sysctl.proc(), DrRealServer.rtnetlink(rtnlDataPlane), stateDir.resolve("dr"));
    this.notifier = new ProcessNotifier(NOTIFY_CONCURRENCY);
    this.agent =
        new NodeAgent(
            engine,
            HealthMonitor::withNetty,
            ipvs,
            new HostLoopbackVips(dr, rtnlDataPlane, drInterfaces),
            syncDaemons,
            notifier);
    timers.scheduleWithFixedDelay(
        agent::resyncIpvs, IPVS_RESYNC.toSeconds(), IPVS_RESYNC.toSeconds(), TimeUnit.SECONDS);
  }

  /** An agent process being built on a thread of its own ({@link #startInBackground}). */
  public static final class Starting {
    private final CompletableFuture<AgentProcess> process = new CompletableFuture<>();

    /**
     * The process once built.
     *
     * @throws IOException what building it threw (the state directory, a netlink socket)
     */
    public AgentProcess await() throws IOException {
      try {
        return process.join();
      } catch (CompletionException e) {
        switch (e.getCause()) {
          case IOException io -> throw io;
          case RuntimeException r -> throw r;
          case Error err -> throw err;
          default -> throw e;
        }
      }
    }

    /** Applies through the process's {@link AgentProcess#runtime()}, waiting for it first. */
    public NodeRuntime runtime() {
      return (spec, generation) -> {
        try {
          await().runtime().apply(spec, generation);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      };
    }
  }

  /**
   * Builds an agent process on a thread of its own, so that the caller reads its configuration
   * meanwhile: FFM's first links and the netlink sockets are about half the CPU of a start.
   */
  public static Starting startInBackground(
      Path stateDir,
      List<String> drInterfaces,
      Duration handoverBound,
      RealtimeVrrpThreads realtime) {
    Starting starting = new Starting();
    Thread.ofPlatform()
        .name("agent-start")
        .start(
            () -> {
              try {
                starting.process.complete(
                    new AgentProcess(stateDir, drInterfaces, handoverBound, realtime));
              } catch (IOException | RuntimeException | Error e) {
                starting.process.completeExceptionally(e);
              }
            });
    return starting;
  }

  public NodeAgent agent() {
    return agent;
  }

  /**
   * Remembers the VIPs of a spec before it is applied (see {@link #ownVips}), and records them for
   * the next start ({@link StaleVips}).
   */
  public NodeRuntime runtime() {
    return (spec, generation) -> {
      List<InetAddress> vips = new ArrayList<>();
      for (var i : spec.vrrpInstances()) {
        i.vips().forEach(v -> vips.add(InetAddress.ofLiteral(v.address())));
        i.excludedVips().forEach(v -> vips.add(InetAddress.ofLiteral(v.address())));
      }
      ownVips.addAll(vips);
      staleVips.record(spec);
      spec.vrrpInstances().stream()
          .filter(i -> i.notifyCommands() != null)
          .forEach(
              i -> notifyTimeoutMs = Math.max(notifyTimeoutMs, i.notifyCommands().timeoutMs()));
      agent.apply(spec, generation);
      ownVips.retainAll(vips);
    };
  }

  /**
   * Removes what this agent put on the node: its IPVS services, the sync daemons it recorded as
   * started, and the DR loopback VIPs.
   */
  public List<String> cleanup() {
    List<String> errors = new ArrayList<>(ipvs.cleanup());
    errors.addAll(syncDaemons.cleanup());
    try {
      dr.cleanup();
    } catch (IOException | RuntimeException e) {
      errors.add("dr: " + e.getMessage());
    }
    return errors;
  }

  /** SIGTERM: hand over (make-before-break), then stop. IPVS and loopback VIPs stay. */
  public void stopGracefully() {
    log.info("event=stopping graceful=true handover_bound_ms={}", handoverBound.toMillis());
    agent.shutdownGracefully(handoverBound);
    // The instances' notify stop commands were queued as they stopped: let them run, bounded.
    notifier.close(Duration.ofMillis(Math.min(notifyTimeoutMs + 1000, 60_000)));
    closeQuietly();
  }

  @Override
  public void close() {
    agent.close();
    notifier.close();
    closeQuietly();
  }

  private void closeQuietly() {
    try {
      links.close();
    } catch (IOException e) {
      log.debug("event=link_tracker_close_failed error=\"{}\"", e.getMessage());
    }
    loop.close();
    timers.shutdownNow();
    try {
      ipvs.close();
      syncDaemons.close();
      rtnl.close();
      rtnlDataPlane.close();
    } catch (IOException e) {
      log.debug("event=close_failed error=\"{}\"", e.getMessage());
    }
  }
}
