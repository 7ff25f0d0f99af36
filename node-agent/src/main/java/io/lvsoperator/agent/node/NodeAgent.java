package io.lvsoperator.agent.node;

import io.lvsoperator.agent.health.CheckedService;
import io.lvsoperator.agent.health.EffectiveService;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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
 * that check decides ({@link IpvsProgrammer#programHealthChange}).
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
  private List<String> applyErrors = List.of(); // loopback VIPs and VRRP, from the last apply
  private List<String> ipvsErrors = List.of(); // from the last IPVS programming that failed
  private Set<String> unreadyInstances = Set.of(); // whose IPVS services are not as asked
  private volatile List<EffectiveIpvsService> effective = List.of();

  /** The services of {@code spec} as their checks see them, converted once per apply. */
  private List<CheckedService> checked = List.of();

  /** For each check, the indexes of the services in {@code spec.ipvsServices()} it decides. */
  private Map<HealthCheckKey, List<Integer>> servicesByCheck = Map.of();

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

  /** A node that runs the instances' notify commands; no connection sync. */
  public NodeAgent(
      VrrpEngine vrrp,
      Function<HealthListener, HealthMonitor> healthMonitor,
      IpvsProgrammer ipvs,
      LoopbackVips loopback,
      NotifyCommands.Notifier notifier) {
    this(vrrp, healthMonitor, ipvs, loopback, null, notifier);
  }

  /** A node with connection sync; no notify commands. */
  public NodeAgent(
      VrrpEngine vrrp,
      Function<HealthListener, HealthMonitor> healthMonitor,
      IpvsProgrammer ipvs,
      LoopbackVips loopback,
      SyncDaemons syncDaemons) {
    this(vrrp, healthMonitor, ipvs, loopback, syncDaemons, NotifyCommands.Notifier.NONE);
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

  private void applyOnWorker(LvsNodeSpec next) {
    next.vrrpInstances().forEach(i -> notifyConfigs.put(i.name(), i));
    List<String> errors = new ArrayList<>(loopback.apply(next.realServerVips()));
    List<CheckedService> nextChecked = SpecConversion.checkedServices(next.ipvsServices());
    health.update(nextChecked);
    spec = next;
    checked = nextChecked;
    servicesByCheck = servicesByCheck(nextChecked);
    recordOutcome(programIpvs());
    try {
      // Before VRRP: the instance's first transition already finds what it must follow.
      connectionSync.apply(SpecConversion.connectionSync(next.vrrpInstances()));
    } catch (RuntimeException e) {
      errors.add(e.getMessage()); // what runs stays as it is
    }
    try {
      vrrp.apply(
              SpecConversion.vrrpInstances(next.vrrpInstances()),
              SpecConversion.syncGroups(next.syncGroups()))
          .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      errors.add("vrrp: " + rootMessage(e));
    }
    applyErrors = List.copyOf(errors);
    updateLastError();
    if (lastError != null) {
      log.error("event=apply_failed errors=\"{}\"", lastError);
    } else {
      log.info(
          "event=applied vrrp_instances={} ipvs_services={} loopback_vips={}",
          next.vrrpInstances().size(),
          next.ipvsServices().size(),
          next.realServerVips().size());
    }
  }

  private static Map<HealthCheckKey, List<Integer>> servicesByCheck(List<CheckedService> services) {
    Map<HealthCheckKey, List<Integer>> index = new HashMap<>();
    for (int i = 0; i < services.size(); i++) {
      int service = i;
      for (var d : services.get(i).destinations()) {
        HealthCheckKey.of(services.get(i), d)
            .ifPresent(
                key -> {
                  List<Integer> list = index.computeIfAbsent(key, k -> new ArrayList<>());
                  if (list.isEmpty() || list.getLast() != service) {
                    list.add(service);
                  }
                });
      }
    }
    return index;
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
    List<String> all = new ArrayList<>(applyErrors);
    all.addAll(ipvsErrors);
    lastError = all.isEmpty() ? null : String.join("; ", all);
  }

  private IpvsProgrammer.Outcome programIpvs() {
    List<LvsNodeSpec.IpvsService> services = spec.ipvsServices();
    List<EffectiveService> checks = health.effectiveServices(checked);
    List<EffectiveIpvsService> now = new ArrayList<>(services.size());
    Map<String, Boolean> hadQuorum = new HashMap<>();
    effective.forEach(e -> hadQuorum.put(ServiceQuorum.name(e.service()), e.hasQuorum()));
    for (int i = 0; i < services.size(); i++) {
      String name = ServiceQuorum.name(services.get(i));
      EffectiveIpvsService e =
          SpecConversion.effective(services.get(i), checks.get(i), hadQuorum.get(name));
      reportQuorum(e, hadQuorum.get(name));
      now.add(e);
    }
    Set<String> current = new HashSet<>();
    now.forEach(e -> current.add(ServiceQuorum.name(e.service())));
    quorumLostSince.keySet().retainAll(current);
    effective = List.copyOf(now);
    now.forEach(NodeAgent::warnIfAllDown);
    return ipvs.program(generation, now.stream().map(EffectiveIpvsService::service).toList());
  }

  // Recomputes and programs only the services this check decides: a full sync reads the
  // destinations of every owned service (docs/benchmarks.md, health transitions).
  private IpvsProgrammer.Outcome programHealthChange(HealthCheckKey key) {
    List<Integer> affected = servicesByCheck.getOrDefault(key, List.of());
    List<LvsNodeSpec.IpvsService> services = spec.ipvsServices();
    List<EffectiveIpvsService> now = new ArrayList<>(effective);
    if (now.size() != services.size()) {
      return programIpvs(); // not programmed since the last apply failed halfway
    }
    List<LvsNodeSpec.IpvsService> changed = new ArrayList<>();
    for (int i : affected) {
      boolean hadQuorum = now.get(i).hasQuorum();
      EffectiveIpvsService e =
          SpecConversion.effective(
              services.get(i),
              IpvsHealthEffect.apply(checked.get(i), k -> health.state(k).orElse(null)),
              hadQuorum);
      reportQuorum(e, hadQuorum);
      if (!e.service().equals(now.get(i).service())) {
        changed.add(e.service());
      }
      now.set(i, e);
      warnIfAllDown(e);
    }
    effective = List.copyOf(now);
    if (changed.isEmpty()) {
      return new IpvsProgrammer.Outcome(List.of(), Set.of(), false);
    }
    return ipvs.programHealthChange(
        generation, now.stream().map(EffectiveIpvsService::service).toList(), List.copyOf(changed));
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
   * drift (a service or weight changed or deleted by hand), which the direct health path does not
   * look for. The agent process calls it periodically; nothing changes when nothing drifted.
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

  private void onHealthEvent(HealthEvent event) {
    if (!event.transition()) {
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
        });
  }

  /** What this node reports of itself (the LvsNode status, less generation and heartbeat). */
  public LvsNodeStatus status(Long observedGeneration, String agentVersion) {
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
    for (var entry : health.states().entrySet()) {
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
        checks,
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
