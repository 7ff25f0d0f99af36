package io.lvsoperator.agent.vrrp;

import io.lvsoperator.agent.scheduling.Scheduler;
import io.lvsoperator.agent.vrrp.codec.ReceiveExpectation;
import io.lvsoperator.agent.vrrp.codec.ReceiveVerdict;
import io.lvsoperator.agent.vrrp.codec.ReceivedAdvert;
import io.lvsoperator.agent.vrrp.codec.VrrpPacketInspector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All VRRP instances of one agent: creates, updates and removes them from the compiled spec, shares
 * one transport per interface between them, demultiplexes received adverts by VRID, runs sync
 * groups, and hands over gracefully. Thread-safe: every public method posts to the event loop.
 */
public final class VrrpEngine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VrrpEngine.class);

  /** How long a stopping master keeps its VIPs when it hears no new master. */
  public static final Duration DEFAULT_HANDOVER_BOUND = Duration.ofSeconds(3);

  private final Scheduler loop;
  private final VrrpTransport.Factory transports;
  private final VrrpEffects effects;
  private final List<VrrpTransition.Listener> listeners = new CopyOnWriteArrayList<>();
  private final AtomicLongArray verdicts = new AtomicLongArray(ReceiveVerdict.values().length);
  private final VrrpStatistics statistics = new VrrpStatistics();

  // Event loop only.
  private final Map<String, VrrpRouter> routers = new LinkedHashMap<>();
  private final Map<String, Port> ports = new HashMap<>();
  private final Set<String> primaryLookupQueued = ConcurrentHashMap.newKeySet();
  private final Map<String, Boolean> linkUp = new HashMap<>();
  private volatile Map<String, VrrpState> states = Map.of();
  private Set<String> unreadyInstances = Set.of();
  private Duration handoverBound = DEFAULT_HANDOVER_BOUND;

  public VrrpEngine(Scheduler loop, VrrpTransport.Factory transports, VrrpEffects effects) {
    this.loop = loop;
    this.transports = transports;
    this.effects = effects;
  }

  public void addListener(VrrpTransition.Listener listener) {
    listeners.add(listener);
  }

  /**
   * Makes the running instances exactly {@code instances}: new ones start as backup (after removing
   * stale VIPs), changed ones are reconfigured in place (or restarted when interface, VRID or
   * version changed), missing ones hand over and stop. Validates everything before changing
   * anything.
   */
  public CompletableFuture<Void> apply(
      List<VrrpInstanceConfig> instances, List<SyncGroupConfig> syncGroups) {
    validate(instances, syncGroups);
    return call(
        () -> {
          applyOnLoop(instances, syncGroups);
          return null;
        });
  }

  /** The time a stopping master keeps its VIPs when it hears no new master. */
  public void setHandoverBound(Duration bound) {
    loop.execute(() -> handoverBound = bound);
  }

  /** A link changed (from rtnetlink link events): instances tracking it enter or leave FAULT. */
  public void setLinkUp(String interfaceName, boolean up) {
    loop.execute(
        () -> {
          linkUp.put(interfaceName, up);
          refreshFaults();
        });
  }

  /**
   * An interface's addresses changed (rtnetlink): its transport looks up the primary again. Events
   * that arrive while a look-up is queued are covered by it: a master adding thousands of VIPs
   * causes one look-up per burst, not one per address (each reads every address of the interface,
   * and thousands of them on the loop kept adverts from going out: docs/benchmarks.md).
   */
  public void addressesChanged(String interfaceName) {
    if (!primaryLookupQueued.add(interfaceName)) {
      return;
    }
    loop.execute(
        () -> {
          primaryLookupQueued.remove(interfaceName); // before the look-up: later events queue one
          Port p = ports.get(interfaceName);
          if (p != null) {
            p.transport.refreshPrimaryAddress();
          }
        });
  }

  /**
   * The data plane of these instances (their IPVS services) is not ready: FAULT for them, so they
   * never draw traffic they cannot forward; every other instance is ready. Replaces the previous
   * set.
   */
  public void setDataPlaneUnready(Set<String> instances) {
    Set<String> copy = Set.copyOf(instances);
    loop.execute(
        () -> {
          unreadyInstances = copy;
          refreshFaults();
        });
  }

  /**
   * Graceful handover of every instance: masters send priority 0 and keep their VIPs until they
   * hear the new master or the handover bound passes. Completes when all are in INITIALIZE.
   */
  public CompletableFuture<Void> handover() {
    return call(() -> {
          List<CompletableFuture<Void>> all = new ArrayList<>();
          for (VrrpRouter r : routers.values()) {
            all.add(r.shutdown(handoverBound).whenComplete((v, e) -> publishStates()));
          }
          return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
        })
        .thenCompose(f -> f);
  }

  /** The state of every instance, by name (a snapshot, readable from any thread). */
  public Map<String, VrrpState> states() {
    return states;
  }

  /** Transitions and failover durations so far (for metrics). */
  public VrrpStatistics statistics() {
    return statistics;
  }

  /** How many received packets got {@code verdict} (for metrics). */
  public long verdictCount(ReceiveVerdict verdict) {
    return verdicts.get(verdict.ordinal());
  }

  /**
   * Stops every instance dead (no advert, VIPs left as they are) and closes the transports. Call
   * {@link #handover()} first for a graceful stop.
   */
  @Override
  public void close() {
    call(() -> {
          for (VrrpRouter r : routers.values()) {
            r.abandon();
          }
          routers.clear();
          for (Port p : ports.values()) {
            p.transport.close();
          }
          ports.clear();
          publishStates();
          return null;
        })
        .join();
  }

  // ---- event loop ----

  private void applyOnLoop(List<VrrpInstanceConfig> instances, List<SyncGroupConfig> groups) {
    Map<String, VrrpInstanceConfig> wanted = new LinkedHashMap<>();
    for (VrrpInstanceConfig c : instances) {
      wanted.put(c.name(), c);
    }
    // Open every transport first: if one fails, nothing running has been touched.
    for (VrrpInstanceConfig c : instances) {
      port(c.interfaceName());
    }
    for (String name : List.copyOf(routers.keySet())) {
      VrrpRouter r = routers.get(name);
      VrrpInstanceConfig next = wanted.get(name);
      if (next == null || !r.config().sameWireIdentity(next)) {
        stop(r);
      } else if (!next.equals(r.config())) {
        r.reconfigure(next);
        port(next.interfaceName()).publish(routers.values());
        log.info("event=vrrp_reconfigured instance={}", name);
      }
    }
    List<VrrpRouter> started = new ArrayList<>();
    for (VrrpInstanceConfig c : wanted.values()) {
      if (routers.containsKey(c.name())) {
        continue;
      }
      Port port = port(c.interfaceName());
      VrrpRouter r = new VrrpRouter(c, loop, port.transport, effects, this::onTransition);
      routers.put(c.name(), r);
      port.publish(routers.values());
      effects.removeStale(c);
      started.add(r);
    }
    for (VrrpRouter r : routers.values()) {
      r.joinSyncGroup(null);
    }
    for (SyncGroupConfig g : groups) {
      new VrrpSyncGroup(g.name(), g.instances().stream().map(routers::get).toList());
    }
    for (VrrpRouter r : started) {
      r.setFault(faultOf(r.config()));
      r.start();
    }
    refreshFaults();
    publishStates();
  }

  private void stop(VrrpRouter r) {
    String name = r.config().name();
    routers.remove(name);
    Port port = ports.get(r.config().interfaceName());
    r.shutdown(handoverBound)
        .whenComplete(
            (v, e) -> {
              // Keep receiving for this VRID until the handover completes.
              port.publish(routers.values());
              port.closeIfUnused(routers.values());
              publishStates();
            });
    log.info("event=vrrp_instance_removing instance={}", name);
  }

  private Port port(String interfaceName) {
    Port p = ports.get(interfaceName);
    if (p == null) {
      p = new Port(interfaceName);
      try {
        p.transport = transports.open(interfaceName, p::onPacket);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "vrrp transport open failed interface=" + interfaceName + ": " + e.getMessage(), e);
      }
      ports.put(interfaceName, p);
    }
    return p;
  }

  /** Why the instance is faulted ({@code data-plane-unready}, {@code link-down}), null if not. */
  private String faultOf(VrrpInstanceConfig c) {
    if (unreadyInstances.contains(c.name())) {
      return "data-plane-unready";
    }
    for (String i : c.trackInterfaces()) {
      if (!linkUp.getOrDefault(i, true)) {
        return "link-down";
      }
    }
    return null;
  }

  private void refreshFaults() {
    for (VrrpRouter r : routers.values()) {
      r.setFault(faultOf(r.config()));
    }
    publishStates();
  }

  private void onTransition(VrrpTransition t) {
    publishStates();
    statistics.onTransition(t);
    for (VrrpTransition.Listener l : listeners) {
      try {
        l.onTransition(t);
      } catch (RuntimeException e) {
        log.warn("event=vrrp_listener_failed instance={} error=\"{}\"", t.instance(), e.toString());
      }
    }
  }

  private void publishStates() {
    Map<String, VrrpState> s = new LinkedHashMap<>();
    for (VrrpRouter r : routers.values()) {
      s.put(r.config().name(), r.state());
    }
    states = Map.copyOf(s);
  }

  private <T> CompletableFuture<T> call(Supplier<T> task) {
    CompletableFuture<T> f = new CompletableFuture<>();
    loop.execute(
        () -> {
          try {
            f.complete(task.get());
          } catch (RuntimeException e) {
            f.completeExceptionally(e);
          }
        });
    return f;
  }

  private static void validate(List<VrrpInstanceConfig> instances, List<SyncGroupConfig> groups) {
    Set<String> names = new HashSet<>();
    Map<String, String> byWire = new HashMap<>();
    for (VrrpInstanceConfig c : instances) {
      if (!names.add(c.name())) {
        throw new VrrpConfigException("vrrpInstances[" + c.name() + "]: duplicate name");
      }
      String wire = c.interfaceName() + "/" + c.virtualRouterId();
      String other = byWire.put(wire, c.name());
      if (other != null) {
        throw new VrrpConfigException(
            "vrrpInstances["
                + c.name()
                + "].virtualRouterId: "
                + c.virtualRouterId()
                + " is already used on "
                + c.interfaceName()
                + " by "
                + other);
      }
    }
    Set<String> grouped = new HashSet<>();
    for (SyncGroupConfig g : groups) {
      for (String member : g.instances()) {
        if (!names.contains(member)) {
          throw new VrrpConfigException(
              "syncGroups[" + g.name() + "].instances: '" + member + "' is not an instance");
        }
        if (!grouped.add(member)) {
          throw new VrrpConfigException(
              "syncGroups[" + g.name() + "].instances: '" + member + "' is in two groups");
        }
      }
    }
  }

  /** One interface: its transport and the instances on it, by VRID. */
  private final class Port {
    private final String interfaceName;
    private VrrpTransport transport;
    // Written on the loop, read by the receive thread.
    private volatile ReceiveExpectation[] expectations = new ReceiveExpectation[256];
    private volatile VrrpRouter[] byVrid = new VrrpRouter[256];
    // The receive thread starts when the transport opens, before the first instance on it is
    // published: what arrives in between is ignored, as if the socket were not open yet, and
    // counted as NOT_STARTED rather than WRONG_VRID (keepalived's first advert often lands there).
    private volatile boolean published;
    private final ReceivedAdvert received = new ReceivedAdvert();
    private final ReceiveExpectation.Lookup lookup = vrid -> expectations[vrid];

    Port(String interfaceName) {
      this.interfaceName = interfaceName;
    }

    void publish(Iterable<VrrpRouter> all) {
      ReceiveExpectation[] e = new ReceiveExpectation[256];
      VrrpRouter[] r = new VrrpRouter[256];
      // A master handing over keeps its slot until it is done: it must hear the new master.
      VrrpRouter[] previous = byVrid;
      for (int vrid = 0; vrid < 256; vrid++) {
        if (previous[vrid] != null && previous[vrid].state() == VrrpState.MASTER) {
          r[vrid] = previous[vrid];
          e[vrid] = expectations[vrid];
        }
      }
      for (VrrpRouter router : all) {
        VrrpInstanceConfig c = router.config();
        if (c.interfaceName().equals(interfaceName)) {
          r[c.virtualRouterId()] = router;
          e[c.virtualRouterId()] = c.receiveExpectation();
        }
      }
      expectations = e;
      byVrid = r;
      published = true;
      boolean multicast = false;
      for (VrrpRouter router : r) {
        multicast |= router != null && router.config().multicast();
      }
      try {
        if (transport != null) {
          transport.setMulticastMember(multicast);
        }
      } catch (IOException ex) {
        log.warn(
            "event=vrrp_multicast_membership_failed interface={} member={} error=\"{}\"",
            interfaceName,
            multicast,
            ex.getMessage());
      }
    }

    void closeIfUnused(Iterable<VrrpRouter> all) {
      for (VrrpRouter r : all) {
        if (r.config().interfaceName().equals(interfaceName)) {
          return;
        }
      }
      for (VrrpRouter r : byVrid) {
        if (r != null) {
          return;
        }
      }
      ports.remove(interfaceName);
      transport.close();
    }

    /** Receive thread: check, count, and hand accepted adverts to the loop. */
    void onPacket(byte[] packet, int length) {
      if (!published) {
        verdicts.incrementAndGet(ReceiveVerdict.NOT_STARTED.ordinal());
        return;
      }
      ReceiveVerdict verdict;
      int vrid;
      int priority;
      int interval;
      int sourceVsPrimary;
      synchronized (received) {
        verdict =
            VrrpPacketInspector.inspect(
                packet,
                length,
                lookup,
                transport == null ? null : transport.primaryAddress(),
                received);
        vrid = received.virtualRouterId();
        priority = received.priority();
        interval = received.advertIntervalCentis();
        sourceVsPrimary =
            transport == null
                ? 0
                : Integer.signum(received.compareSourceTo(transport.primaryAddress()));
      }
      verdicts.incrementAndGet(verdict.ordinal());
      if (verdict != ReceiveVerdict.ACCEPTED) {
        if (log.isDebugEnabled()) {
          log.debug(
              "event=vrrp_advert_dropped interface={} vrid={} verdict={}",
              interfaceName,
              vrid,
              verdict);
        }
        return;
      }
      VrrpRouter router = byVrid[vrid];
      if (router != null) {
        loop.execute(() -> router.onAdvert(priority, interval, sourceVsPrimary));
      }
    }
  }
}
