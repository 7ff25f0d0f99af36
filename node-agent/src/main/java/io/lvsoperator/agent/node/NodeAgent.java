package io.lvsoperator.agent.node;

import io.lvsoperator.agent.health.CheckedService;
import io.lvsoperator.agent.health.HealthCheckKey;
import io.lvsoperator.agent.health.HealthEvent;
import io.lvsoperator.agent.health.HealthListener;
import io.lvsoperator.agent.health.HealthMonitor;
import io.lvsoperator.agent.health.HealthState;
import io.lvsoperator.agent.health.IpvsHealthEffect;
import io.lvsoperator.agent.vrrp.VrrpEngine;
import io.lvsoperator.agent.vrrp.VrrpState;
import io.lvsoperator.agent.vrrp.VrrpTransition;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.api.v1alpha1.LvsNodeStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * One node's data plane: applies an {@link LvsNodeSpec} (the same path in standalone and Kubernetes
 * mode) to the real-server loopback VIPs, the health checks, IPVS and VRRP, and keeps IPVS in step
 * with the checks afterwards.
 *
 * <p>Order matters: loopback VIPs and IPVS are programmed before VRRP may make this node master, so
 * a new master never attracts traffic it cannot forward. A health change reprograms IPVS from one
 * single-threaded executor, so syncs never overlap, and only for the services whose destinations
 * that check decides ({@link IpvsProgrammer#programHealthChange}). A new spec likewise touches only
 * what differs from the one that runs ({@link IpvsProgrammer#programChange}); the first spec, and
 * the periodic {@link #resyncIpvs}, program IPVS in full.
 */
public final class NodeAgent implements NodeRuntime, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);

  private final VrrpEngine vrrp;
  private final HealthMonitor health;
  private final IpvsProgrammer ipvs;
  private final LoopbackVips loopback;
  private final ConnectionSyncFollower connectionSync;
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(Thread.ofPlatform().name("node-agent").daemon().factory());
  private volatile LvsNodeSpec spec = LvsNodeSpec.empty();
  private volatile String lastError;
  private volatile long generation; // of the spec applied last (see NodeRuntime#apply)
  private boolean appliedOnce; // the first apply programs everything, later ones the difference
  private List<String> loopbackErrors = List.of(); // from the last loopback VIP apply
  private List<String> vrrpErrors = List.of(); // from the last VRRP apply
  private List<String> syncErrors = List.of(); // from the last connection sync apply
  private List<String> ipvsErrors = List.of(); // from the last IPVS programming that failed
  private Set<String> unreadyInstances = Set.of(); // whose IPVS services are not as asked
  private volatile List<EffectiveIpvsService> effective = List.of();

  /** The services of {@code spec}, in its order. Touched only on the worker. */
  private List<Slot> slots = List.of();

  /** For each check, the services whose destinations it decides. Touched only on the worker. */
  private final Map<HealthCheckKey, Set<Slot>> slotsByCheck = new HashMap<>();

  private final List<Consumer<HealthCheckKey>> healthListeners = new CopyOnWriteArrayList<>();

  /**
   * One IPVS service of the spec: as compiled, as its checks see it (converted once, when it first
   * appears) and as IPVS should have it now. Equality is identity: two equal services are two
   * slots.
   */
  private static final class Slot {
    final LvsNodeSpec.IpvsService compiled;
    final CheckedService checked;
    EffectiveIpvsService effective;

    Slot(LvsNodeSpec.IpvsService compiled) {
      this.compiled = compiled;
      this.checked = SpecConversion.checkedService(compiled);
    }
  }

  private final NotifyCommands.Notifier notifier;

  /** The instances' notify settings, by name: the latest spec's, and dropped ones until stopped. */
  private final Map<String, LvsNodeSpec.VrrpInstance> notifyConfigs =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Services without quorum, by {@link ServiceQuorum#name}, and since when. */
  private final Map<String, Instant> quorumLostSince =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final List<Runnable> changeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** When each instance last changed state: tells the operator a failover from a split brain. */
  private final Map<String, Instant> stateSince = new java.util.concurrent.ConcurrentHashMap<>();

  public NodeAgent(
      VrrpEngine vrrp,
      Function<HealthListener, HealthMonitor> healthMonitor,
      IpvsProgrammer ipvs,
      LoopbackVips loopback) {
    this(vrrp, healthMonitor, ipvs, loopback, null, NotifyCommands.Notifier.NONE);
  }

  /**
   * @param syncDaemons the kernel's IPVS connection sync daemons, which follow the instance whose
   *     spec has {@code connectionSync} ({@link ConnectionSyncFollower}); null: none
   * @param notifier runs the instances' notify commands on their state changes (standalone mode;
   *     the compiler gives a Kubernetes node none)
   */
  public NodeAgent(
      VrrpEngine vrrp,
      Function<HealthListener, HealthMonitor> healthMonitor,
      IpvsProgrammer ipvs,
      LoopbackVips loopback,
      SyncDaemons syncDaemons,
      NotifyCommands.Notifier notifier) {
    this.vrrp = vrrp;
    this.ipvs = ipvs;
    this.loopback = loopback;
    this.notifier = notifier;
    this.health = healthMonitor.apply(this::onHealthEvent);
    vrrp.addListener(t -> stateSince.put(t.instance(), Instant.now()));
    this.connectionSync = new ConnectionSyncFollower(syncDaemons, vrrp::states);
    vrrp.addListener(connectionSync);
    vrrp.addListener(this::notifyTransition);
  }

  /**
   * On the VRRP thread: looks up the instance's commands and queues them; never waits for them. An
   * instance the latest spec dropped is still known until it has stopped (its notify stop).
   */
  private void notifyTransition(VrrpTransition t) {
    LvsNodeSpec.VrrpInstance instance = notifyConfigs.get(t.instance());
    if (instance == null) {
      return;
    }
    List<NotifyCommands.Command> commands = NotifyCommands.on(instance, t.to());
    if (!commands.isEmpty()) {
      notifier.submit(commands);
    }
    if (t.to() == VrrpState.INITIALIZE
        && spec.vrrpInstances().stream().noneMatch(i -> i.name().equals(t.instance()))) {
      notifyConfigs.remove(t.instance(), instance);
    }
  }

  @Override
  public void apply(LvsNodeSpec next, long generation) {
    call(
        () -> {
          this.generation = generation;
          applyOnWorker(next);
        });
  }

  /**
   * Applies the difference between the spec that runs and {@code next}: loopback VIPs and VRRP
   * instances only when they changed (or failed last time), health checks started and stopped for
   * the services that came and went, and IPVS told only about those services (a full program on the
   * first apply, and while an earlier programming left errors). The work grows with the change;
   * only matching the services of both specs (by equality) touches every service.
   */
  private void applyOnWorker(LvsNodeSpec next) {
    next.vrrpInstances().forEach(i -> notifyConfigs.put(i.name(), i));
    LvsNodeSpec previous = spec;
    boolean first = !appliedOnce;
    if (first
        || !loopbackErrors.isEmpty()
        || !next.realServerVips().equals(previous.realServerVips())) {
      loopbackErrors = List.copyOf(loopback.apply(next.realServerVips()));
    }
    Map<LvsNodeSpec.IpvsService, ArrayDeque<Slot>> old = new HashMap<>();
    for (Slot slot : slots) {
      old.computeIfAbsent(slot.compiled, k -> new ArrayDeque<>()).add(slot);
    }
    List<Slot> nextSlots = new ArrayList<>(next.ipvsServices().size());
    List<Slot> came = new ArrayList<>();
    for (LvsNodeSpec.IpvsService service : next.ipvsServices()) {
      ArrayDeque<Slot> same = old.get(service);
      Slot slot = same == null ? null : same.poll();
      if (slot == null) {
        slot = new Slot(service);
        came.add(slot);
      }
      nextSlots.add(slot);
    }
    List<Slot> gone = new ArrayList<>();
    old.values().forEach(gone::addAll);
    // Throws on an invalid check before anything below changes.
    health.change(
        gone.stream().map(s -> s.checked).toList(), came.stream().map(s -> s.checked).toList());
    // An edited service comes as a new slot: it keeps the quorum its old version had (by name).
    Map<String, Boolean> hadQuorum = new HashMap<>();
    gone.forEach(
        slot -> {
          if (slot.effective != null) {
            hadQuorum.put(ServiceQuorum.name(slot.effective.service()), slot.effective.hasQuorum());
          }
        });
    for (Slot slot : came) {
      slot.effective = effectiveNow(slot, hadQuorum.get(ServiceQuorum.name(slot.compiled)));
    }
    gone.forEach(slot -> index(slot, false));
    came.forEach(slot -> index(slot, true));
    spec = next;
    slots = List.copyOf(nextSlots);
    forgetQuorumOfGoneServices();
    appliedOnce = true;
    publishEffective();
    came.forEach(slot -> warnIfAllDown(slot.effective));
    List<LvsNodeSpec.IpvsService> all = effectiveServices(slots);
    if (first || !ipvsErrors.isEmpty() || !unreadyInstances.isEmpty()) {
      recordOutcome(ipvs.program(generation, all));
    } else {
      recordOutcome(
          ipvs.programChange(
              generation,
              all,
              gone.stream().map(s -> s.effective.service()).toList(),
              came.stream().map(s -> s.effective.service()).toList()));
    }
    if (first || !syncErrors.isEmpty() || !next.vrrpInstances().equals(previous.vrrpInstances())) {
      try {
        // Before VRRP: the instance's first transition already finds what it must follow.
        connectionSync.apply(SpecConversion.connectionSync(next.vrrpInstances()));
        syncErrors = List.of();
      } catch (RuntimeException e) {
        syncErrors = List.of(e.getMessage()); // what runs stays as it is
      }
    }
    if (first
        || !vrrpErrors.isEmpty()
        || !next.vrrpInstances().equals(previous.vrrpInstances())
        || !next.syncGroups().equals(previous.syncGroups())) {
      try {
        vrrp.apply(
                SpecConversion.vrrpInstances(next.vrrpInstances()),
                SpecConversion.syncGroups(next.syncGroups()))
            .get(10, TimeUnit.SECONDS);
        vrrpErrors = List.of();
      } catch (Exception e) {
        vrrpErrors = List.of("vrrp: " + rootMessage(e));
      }
    }
    updateLastError();
    if (lastError != null) {
      log.error("event=apply_failed errors=\"{}\"", lastError);
    } else {
      log.info(
          "event=applied vrrp_instances={} ipvs_services={} loopback_vips={}"
              + " ipvs_services_came={} ipvs_services_gone={}",
          next.vrrpInstances().size(),
          next.ipvsServices().size(),
          next.realServerVips().size(),
          came.size(),
          gone.size());
    }
  }

  /** The slot's service as IPVS should have it now, its quorum judged from its last state. */
  private EffectiveIpvsService effectiveNow(Slot slot) {
    return effectiveNow(slot, slot.effective == null ? null : slot.effective.hasQuorum());
  }

  /**
   * The slot's service as IPVS should have it now, given whether it had quorum (null: new); a
   * change of quorum is reported ({@link #reportQuorum}).
   */
  private EffectiveIpvsService effectiveNow(Slot slot, Boolean hadQuorum) {
    EffectiveIpvsService e =
        SpecConversion.effective(
            slot.compiled,
            IpvsHealthEffect.apply(slot.checked, k -> health.state(k).orElse(null)),
            hadQuorum);
    reportQuorum(e, hadQuorum);
    return e;
  }

  /** Forgets since when quorum was lost for the services that are gone. */
  private void forgetQuorumOfGoneServices() {
    if (quorumLostSince.isEmpty()) {
      return;
    }
    Set<String> current = new HashSet<>();
    slots.forEach(slot -> current.add(ServiceQuorum.name(slot.compiled)));
    quorumLostSince.keySet().retainAll(current);
  }

  private void index(Slot slot, boolean add) {
    for (var d : slot.checked.destinations()) {
      HealthCheckKey.of(slot.checked, d)
          .ifPresent(
              key -> {
                if (add) {
                  slotsByCheck.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(slot);
                } else {
                  Set<Slot> set = slotsByCheck.get(key);
                  if (set != null && set.remove(slot) && set.isEmpty()) {
                    slotsByCheck.remove(key);
                  }
                }
              });
    }
  }

  private void publishEffective() {
    List<EffectiveIpvsService> now = new ArrayList<>(slots.size());
    slots.forEach(s -> now.add(s.effective));
    effective = List.copyOf(now);
  }

  private static List<LvsNodeSpec.IpvsService> effectiveServices(List<Slot> slots) {
    List<LvsNodeSpec.IpvsService> all = new ArrayList<>(slots.size());
    slots.forEach(s -> all.add(s.effective.service()));
    return all;
  }

  /**
   * Takes in what programming IPVS did. An instance whose services are not as asked may not become
   * master (FAULT), so traffic for that VIP is never drawn to a director that cannot forward it;
   * the other instances go on. A full sync decides afresh (the periodic resync clears a fault that
   * went away); a partial update only adds failures.
   */
  private void recordOutcome(IpvsProgrammer.Outcome outcome) {
    if (outcome.full()) {
      unreadyInstances = outcome.failedInstances();
      ipvsErrors = outcome.errors();
    } else if (!outcome.complete()) {
      Set<String> more = new HashSet<>(unreadyInstances);
      more.addAll(outcome.failedInstances());
      unreadyInstances = Set.copyOf(more);
      ipvsErrors = outcome.errors();
    }
    vrrp.setDataPlaneUnready(unreadyInstances);
    updateLastError();
  }

  private static void logIfFailed(String event, IpvsProgrammer.Outcome outcome) {
    if (!outcome.complete()) {
      log.error(
          "event={} errors=\"{}\" faulted_instances={}",
          event,
          String.join("; ", outcome.errors()),
          outcome.failedInstances());
    }
  }

  private void updateLastError() {
    List<String> all = new ArrayList<>(loopbackErrors);
    all.addAll(ipvsErrors);
    all.addAll(syncErrors);
    all.addAll(vrrpErrors);
    lastError = all.isEmpty() ? null : String.join("; ", all);
  }

  /** Every service recomputed from the checks' states, then a full program (dump and diff). */
  private IpvsProgrammer.Outcome programIpvs() {
    for (Slot slot : slots) {
      slot.effective = effectiveNow(slot);
    }
    forgetQuorumOfGoneServices();
    publishEffective();
    slots.forEach(s -> warnIfAllDown(s.effective));
    return ipvs.program(generation, effectiveServices(slots));
  }

  // Recomputes and programs only the services this check decides: a full sync reads the
  // destinations of every owned service (docs/benchmarks.md, health transitions).
  private IpvsProgrammer.Outcome programHealthChange(HealthCheckKey key) {
    List<LvsNodeSpec.IpvsService> changed = new ArrayList<>();
    for (Slot slot : slotsByCheck.getOrDefault(key, Set.of())) {
      EffectiveIpvsService e = effectiveNow(slot);
      if (!e.service().equals(slot.effective.service())) {
        changed.add(e.service());
      }
      slot.effective = e;
      warnIfAllDown(e);
    }
    if (changed.isEmpty()) {
      return new IpvsProgrammer.Outcome(List.of(), Set.of(), false);
    }
    publishEffective();
    return ipvs.programHealthChange(generation, effectiveServices(slots), List.copyOf(changed));
  }

  /**
   * Logs a change of quorum ({@code event=quorum_lost}, {@code quorum_gained}; a new service that
   * starts without quorum is a loss too), remembers since when it is lost, and tells the change
   * listeners (the Kubernetes mode reports its status at once).
   */
  private void reportQuorum(EffectiveIpvsService e, Boolean hadQuorum) {
    boolean lost = !e.hasQuorum();
    if (hadQuorum != null && hadQuorum == e.hasQuorum()) {
      return;
    }
    if (hadQuorum == null && !lost) {
      return;
    }
    LvsNodeSpec.IpvsService s = e.service();
    String name = ServiceQuorum.name(s);
    if (lost) {
      quorumLostSince.put(name, Instant.now());
    } else {
      quorumLostSince.remove(name);
    }
    log.atLevel(lost ? Level.WARN : Level.INFO)
        .log(
            "event={} service={} source={} live_weight={} quorum={} hysteresis={} sorry_server={}",
            lost ? "quorum_lost" : "quorum_gained",
            name,
            s.source(),
            e.liveWeight(),
            s.quorumOrDefault(),
            s.hysteresisOrDefault(),
            s.sorryServer() == null
                ? "none"
                : s.sorryServer().address() + ":" + s.sorryServer().port());
    changeListeners.forEach(Runnable::run);
  }

  /** Called (on the data-plane thread) when something this node reports changed: a quorum. */
  public void addChangeListener(Runnable listener) {
    changeListeners.add(listener);
  }

  private static void warnIfAllDown(EffectiveIpvsService s) {
    if (s.allDown()) {
      // Named as the quorum lines and /metrics name it: a firewall-mark service has no
      // address:port.
      log.warn("event=all_real_servers_down service={}", ServiceQuorum.name(s.service()));
    }
  }

  /**
   * Programs IPVS in full from the current spec and health: the dump-and-diff sync that repairs
   * drift (a service or weight changed or deleted by hand), which the direct health and config
   * paths do not look for. The agent process calls it periodically; nothing changes when nothing
   * drifted.
   */
  public void resyncIpvs() {
    worker.execute(
        () -> {
          if (spec.ipvsServices().isEmpty()) {
            return;
          }
          IpvsProgrammer.Outcome outcome = programIpvs();
          recordOutcome(outcome);
          logIfFailed("ipvs_resync_failed", outcome);
        });
  }

  /**
   * Tells {@code listener} the key of a check whose verdict changed or that gave its first result
   * (after IPVS has been told), e.g. to report the health of the destinations it decides.
   */
  public void addHealthListener(Consumer<HealthCheckKey> listener) {
    healthListeners.add(listener);
  }

  private void onHealthEvent(HealthEvent event) {
    if (!event.transition()) {
      if (event.consecutive() == 1) {
        healthListeners.forEach(l -> l.accept(event.key())); // a first or alternating result
      }
      return;
    }
    log.info(
        "event=real_server_{} address={} port={} reason=\"{}\" consecutive={}",
        event.health().name().toLowerCase(java.util.Locale.ROOT),
        event.key().address(),
        event.key().port(),
        event.reason() == null ? "" : event.reason(),
        event.consecutive());
    worker.execute(
        () -> {
          IpvsProgrammer.Outcome outcome = programHealthChange(event.key());
          recordOutcome(outcome);
          logIfFailed("ipvs_sync_failed", outcome);
          healthListeners.forEach(l -> l.accept(event.key()));
        });
  }

  /** What a destination's checks say of it now. */
  public enum Verdict {
    UP,
    DOWN,
    /** No result yet (or no check running for it yet). */
    PENDING
  }

  /**
   * One destination of a service and what its check says: {@code reason} and {@code since} when it
   * is down.
   */
  public record DestinationHealth(
      String address, int port, Verdict verdict, String reason, Instant since) {}

  /**
   * Each destination of {@code service} (as compiled) with its check's verdict; unchecked
   * destinations (check type NONE) are UP.
   */
  public List<DestinationHealth> destinationHealth(LvsNodeSpec.IpvsService service) {
    CheckedService checked = SpecConversion.checkedService(service);
    List<DestinationHealth> out = new ArrayList<>(checked.destinations().size());
    for (var d : checked.destinations()) {
      var key = HealthCheckKey.of(checked, d);
      if (key.isEmpty()) {
        out.add(new DestinationHealth(d.address(), d.port(), Verdict.UP, null, null));
        continue;
      }
      HealthState h = health.state(key.get()).orElse(null);
      if (h == null || !h.checked()) {
        out.add(new DestinationHealth(d.address(), d.port(), Verdict.PENDING, null, null));
      } else if (h.up()) {
        out.add(new DestinationHealth(d.address(), d.port(), Verdict.UP, null, h.since()));
      } else {
        out.add(new DestinationHealth(d.address(), d.port(), Verdict.DOWN, h.reason(), h.since()));
      }
    }
    return out;
  }

  /** The checks that decide the destinations of {@code service}. */
  public static Set<HealthCheckKey> checkKeys(LvsNodeSpec.IpvsService service) {
    CheckedService checked = SpecConversion.checkedService(service);
    Set<HealthCheckKey> keys = new LinkedHashSet<>();
    checked.destinations().forEach(d -> HealthCheckKey.of(checked, d).ifPresent(keys::add));
    return keys;
  }

  /** What this node reports of itself (the LvsNode status, less generation and heartbeat). */
  public LvsNodeStatus status(Long observedGeneration, String agentVersion) {
    return status(observedGeneration, agentVersion, true);
  }

  /**
   * As {@link #status(Long, String)}; without {@code health} when {@code withHealth} is false (the
   * destinations' health then goes into the slices' status, see {@link #destinationHealth}).
   */
  public LvsNodeStatus status(Long observedGeneration, String agentVersion, boolean withHealth) {
    Map<String, VrrpState> states = vrrp.states();
    List<LvsNodeStatus.VrrpInstanceStatus> instances = new ArrayList<>();
    for (LvsNodeSpec.VrrpInstance in : spec.vrrpInstances()) {
      VrrpState s = states.get(in.name());
      instances.add(
          new LvsNodeStatus.VrrpInstanceStatus(
              in.name(),
              in.virtualRouterId(),
              s == null ? "INIT" : s.name(),
              in.priority(),
              null,
              stateSince.containsKey(in.name()) ? stateSince.get(in.name()).toString() : null));
    }
    List<LvsNodeStatus.HealthStatus> checks = new ArrayList<>();
    Map<HealthCheckKey, HealthState> checkStates = withHealth ? health.states() : Map.of();
    for (var entry : checkStates.entrySet()) {
      HealthState h = entry.getValue();
      checks.add(
          new LvsNodeStatus.HealthStatus(
              entry.getKey().address(),
              entry.getKey().port(),
              h.up(),
              h.reason(),
              h.latency() == null ? null : h.latency().toMillis(),
              h.since() == null ? null : h.since().toString()));
    }
    checks.sort(
        Comparator.comparing(LvsNodeStatus.HealthStatus::address)
            .thenComparing(LvsNodeStatus.HealthStatus::port));
    List<LvsNodeStatus.QuorumStatus> quorumLost = new ArrayList<>();
    for (EffectiveIpvsService e : effective) {
      Instant since = quorumLostSince.get(ServiceQuorum.name(e.service()));
      if (!e.hasQuorum()) {
        quorumLost.add(
            new LvsNodeStatus.QuorumStatus(
                ServiceQuorum.name(e.service()),
                e.service().source(),
                e.liveWeight(),
                e.service().quorumOrDefault(),
                e.service().sorryServer() != null,
                since == null ? null : since.toString()));
      }
    }
    return new LvsNodeStatus(
        observedGeneration,
        agentVersion,
        Instant.now().toString(),
        lastError,
        instances,
        withHealth ? checks : null,
        null,
        quorumLost);
  }

  /** The last error applying the spec or syncing IPVS, null when none. */
  public String lastError() {
    return lastError;
  }

  public VrrpEngine vrrp() {
    return vrrp;
  }

  /** The IPVS connection sync daemon and what it follows. */
  public ConnectionSyncFollower connectionSync() {
    return connectionSync;
  }

  /** The services as last programmed, with the health of every destination. */
  public List<EffectiveIpvsService> effectiveServices() {
    return effective;
  }

  /**
   * Graceful stop: masters hand over (priority 0, VIPs kept until the new master is heard), then
   * VRRP and checks stop. IPVS services and loopback VIPs stay: the next start adopts them.
   */
  public void shutdownGracefully(Duration bound) {
    try {
      vrrp.handover().get(bound.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.warn("event=handover_incomplete reason=\"{}\"", rootMessage(e));
    }
    close();
  }

  @Override
  public void close() {
    vrrp.close();
    connectionSync.close();
    try {
      health.close();
    } catch (Exception e) {
      log.warn("event=health_close_failed reason=\"{}\"", rootMessage(e));
    }
    worker.shutdownNow();
  }

  private void call(Runnable task) {
    try {
      worker.submit(task).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      throw new IllegalStateException(rootMessage(e), e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }
}
