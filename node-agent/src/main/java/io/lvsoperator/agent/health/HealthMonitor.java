package io.lvsoperator.agent.health;

import io.lvsoperator.agent.scheduling.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the real servers of the IPVS services and keeps their current state.
 *
 * <p>{@link #update} takes the whole list of services each time and diffs it: a check whose key
 * (address, port, definition) is still wanted keeps its state and its schedule; new keys start (UP
 * until proven down), vanished keys stop. A key used by several services is checked once.
 *
 * <p>Each check runs one probe at a time: the next probe is scheduled only when the previous one
 * completed, so checks of one server never overlap. The first probe of each check is delayed by an
 * offset derived from its address and port, spread over the interval, so a thousand servers added
 * at once are not probed in the same millisecond.
 */
public final class HealthMonitor implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);

  private final Prober prober;
  private final Scheduler scheduler;
  private final HealthListener listener;
  private final AutoCloseable resources;
  private final Map<HealthCheckKey, ServerCheck> checks = new ConcurrentHashMap<>();

  /** How many (service, destination) pairs use each running check: {@link #change} keeps it. */
  private final Map<HealthCheckKey, Integer> uses = new HashMap<>();

  private boolean closed;

  public HealthMonitor(Prober prober, Scheduler scheduler, HealthListener listener) {
    this(prober, scheduler, listener, () -> {});
  }

  private HealthMonitor(
      Prober prober, Scheduler scheduler, HealthListener listener, AutoCloseable resources) {
    this.prober = prober;
    this.scheduler = scheduler;
    this.listener = listener;
    this.resources = resources;
  }

  /**
   * A monitor probing with Netty on its own event loop group (epoll where available), made with the
   * first check, which {@link #close()} shuts down.
   */
  public static HealthMonitor withNetty(HealthListener listener) {
    LazyNetty netty = new LazyNetty(NettyProber::create);
    return new HealthMonitor(netty, new NettyScheduler(netty::eventLoopGroup), listener, netty);
  }

  /**
   * Starts, keeps or stops checks so that exactly the checks these services need run.
   *
   * @throws IllegalArgumentException when a check is invalid (naming the service, the server and
   *     the field); nothing running is changed then
   */
  public synchronized void update(List<CheckedService> services) {
    if (closed) {
      throw new IllegalStateException("health monitor is closed");
    }
    validate(services);
    Set<HealthCheckKey> wanted = wantedChecks(services);
    uses.clear();
    for (CheckedService service : services) {
      for (CheckedDestination destination : service.destinations()) {
        HealthCheckKey.of(service, destination).ifPresent(k -> uses.merge(k, 1, Integer::sum));
      }
    }
    int stopped = 0;
    for (var it = checks.entrySet().iterator(); it.hasNext(); ) {
      var entry = it.next();
      if (!wanted.contains(entry.getKey())) {
        entry.getValue().stop();
        it.remove();
        stopped++;
      }
    }
    int started = 0;
    for (HealthCheckKey key : wanted) {
      if (startIfNew(key)) {
        started++;
      }
    }
    logUpdated(started, stopped);
  }

  private boolean startIfNew(HealthCheckKey key) {
    if (checks.containsKey(key)) {
      return false;
    }
    ServerCheck check = new ServerCheck(key);
    checks.put(key, check);
    check.start(initialDelayMs(key, check.timing.intervalMs()));
    return true;
  }

  private void logUpdated(int started, int stopped) {
    if (started > 0 || stopped > 0) {
      log.info(
          "event=health_checks_updated started={} stopped={} running={}",
          started,
          stopped,
          checks.size());
    }
  }

  /**
   * As {@link #update}, given only what changed: the services no longer wanted as they were ({@code
   * gone}) and the new or changed ones ({@code came}); the other services' checks go on untouched.
   * Work is proportional to the change, not to the whole list. A check is stopped when no service
   * uses it any more, and started when one first does.
   *
   * @throws IllegalArgumentException when a check of {@code came} is invalid (naming the service,
   *     the server and the field); nothing running is changed then
   */
  public synchronized void change(List<CheckedService> gone, List<CheckedService> came) {
    if (closed) {
      throw new IllegalStateException("health monitor is closed");
    }
    validate(came);
    for (CheckedService service : came) {
      for (CheckedDestination destination : service.destinations()) {
        HealthCheckKey.of(service, destination).ifPresent(k -> uses.merge(k, 1, Integer::sum));
      }
    }
    Set<HealthCheckKey> unused = new LinkedHashSet<>();
    for (CheckedService service : gone) {
      for (CheckedDestination destination : service.destinations()) {
        HealthCheckKey.of(service, destination)
            .ifPresent(
                k -> {
                  if (uses.merge(k, -1, Integer::sum) <= 0) {
                    uses.remove(k);
                    unused.add(k);
                  }
                });
      }
    }
    int stopped = 0;
    for (HealthCheckKey key : unused) {
      ServerCheck check = checks.remove(key);
      if (check != null) {
        check.stop();
        stopped++;
      }
    }
    int started = 0;
    // Only keys of came can be new: look at those, not at every running check.
    for (CheckedService service : came) {
      for (CheckedDestination destination : service.destinations()) {
        var key = HealthCheckKey.of(service, destination);
        if (key.isPresent() && startIfNew(key.get())) {
          started++;
        }
      }
    }
    logUpdated(started, stopped);
  }

  private void validate(List<CheckedService> services) {
    for (int i = 0; i < services.size(); i++) {
      CheckedService service = services.get(i);
      for (CheckedDestination destination : service.destinations()) {
        try {
          HealthCheckKey.of(service, destination)
              .filter(key -> !checks.containsKey(key))
              .ifPresent(HealthMonitor::validate);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "ipvsServices["
                  + i
                  + "] "
                  + service.address()
                  + ":"
                  + service.port()
                  + " real server "
                  + destination.address()
                  + ":"
                  + destination.port()
                  + ": "
                  + e.getMessage(),
              e);
        }
      }
    }
  }

  private static void validate(HealthCheckKey key) {
    CheckTiming.of(key.check());
    try {
      java.net.InetAddress.ofLiteral(key.address());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("address: " + key.address() + " is not an IP address");
    }
    var type = key.check().type();
    if (type == CheckType.HTTP_GET || type == CheckType.HTTPS_GET) {
      StatusCodeMatcher.parse(key.check().expectedStatus());
    }
  }

  /** The keys the services need, each once. */
  public static Set<HealthCheckKey> wantedChecks(List<CheckedService> services) {
    Set<HealthCheckKey> wanted = new LinkedHashSet<>();
    for (CheckedService service : services) {
      for (CheckedDestination destination : service.destinations()) {
        HealthCheckKey.of(service, destination).ifPresent(wanted::add);
      }
    }
    return wanted;
  }

  /** The state of one check, empty when no such check runs. */
  public Optional<HealthState> state(HealthCheckKey key) {
    ServerCheck check = checks.get(key);
    return check == null ? Optional.empty() : Optional.of(check.state);
  }

  /** A snapshot of every check's state. */
  public Map<HealthCheckKey, HealthState> states() {
    Map<HealthCheckKey, HealthState> snapshot = new java.util.HashMap<>();
    checks.forEach((key, check) -> snapshot.put(key, check.state));
    return Map.copyOf(snapshot);
  }

  /**
   * Every check's state, sorted by address and port. A check with the same server under several
   * definitions appears once per definition.
   */
  public List<HealthState> sortedStates() {
    return checks.values().stream()
        .map(c -> c.state)
        .sorted(
            java.util.Comparator.comparing((HealthState h) -> h.key().address())
                .thenComparingInt(h -> h.key().port())
                .thenComparing(h -> h.key().toString()))
        .toList();
  }

  /** The services as IPVS should have them now: {@link IpvsHealthEffect} over {@link #states}. */
  public List<EffectiveService> effectiveServices(List<CheckedService> services) {
    return IpvsHealthEffect.apply(services, states());
  }

  /** Number of distinct checks running. */
  public int checkCount() {
    return checks.size();
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      checks.values().forEach(ServerCheck::stop);
      checks.clear();
    }
    try {
      resources.close();
    } catch (Exception e) {
      log.warn("event=health_monitor_close_failed error=\"{}\"", e.toString());
    }
  }

  /**
   * Offset of a check's first probe in [0, interval): a hash of address and port, so checks of many
   * servers spread over the interval, and the same server lands at the same offset every time.
   */
  static long initialDelayMs(HealthCheckKey key, long intervalMs) {
    long h = (key.address() + ":" + key.port()).hashCode();
    h ^= h >>> 16;
    h *= 0x9E3779B97F4A7C15L;
    h ^= h >>> 29;
    return Math.floorMod(h, intervalMs);
  }

  private long monotonicMillis() {
    return TimeUnit.NANOSECONDS.toMillis(scheduler.nanoTime());
  }

  /** One running check: its state machine, its current state and its next probe. */
  private final class ServerCheck {
    final HealthCheckKey key;
    final CheckTiming timing;
    final CheckStateMachine machine;
    volatile HealthState state;
    private Scheduler.Cancellable pending;
    private boolean stopped;
    private boolean probing;
    private Instant since;

    ServerCheck(HealthCheckKey key) {
      this.key = key;
      this.timing = CheckTiming.of(key.check());
      this.machine = new CheckStateMachine(timing);
      this.since = scheduler.now();
      this.state = new HealthState(key, machine.health(), null, null, 0, since, false);
    }

    synchronized void start(long delayMs) {
      pending = scheduler.schedule(this::probe, TimeUnit.MILLISECONDS.toNanos(delayMs));
    }

    synchronized void stop() {
      stopped = true;
      if (pending != null) {
        pending.cancel();
        pending = null;
      }
    }

    private void probe() {
      synchronized (this) {
        if (stopped || probing) {
          return;
        }
        probing = true;
        pending = null;
      }
      long start = monotonicMillis();
      CompletableFuture<ProbeResult> future;
      try {
        future = prober.probe(key);
      } catch (RuntimeException e) {
        future = CompletableFuture.completedFuture(ProbeResult.failed("probe error: " + e));
      }
      future.whenComplete(
          (result, error) -> {
            ProbeResult r = error != null ? ProbeResult.failed("probe error: " + error) : result;
            onResult(r, Duration.ofMillis(monotonicMillis() - start));
          });
    }

    private void onResult(ProbeResult result, Duration latency) {
      HealthEvent event;
      synchronized (this) {
        probing = false;
        if (stopped) {
          return;
        }
        CheckStateMachine.Step step = machine.onResult(result.healthy());
        if (step.transition()) {
          since = scheduler.now();
        }
        event =
            new HealthEvent(
                key,
                step.health(),
                result.healthy() ? null : result.reason(),
                latency,
                step.consecutive(),
                since,
                step.transition());
        state = event.state();
        pending =
            scheduler.schedule(this::probe, TimeUnit.MILLISECONDS.toNanos(step.nextDelayMs()));
      }
      if (event.transition()) {
        log.info(
            "event=health_transition server=\"{}\" health={} reason=\"{}\" consecutive={}"
                + " latency_ms={}",
            key,
            event.health(),
            event.reason() == null ? "" : event.reason(),
            event.consecutive(),
            latency.toMillis());
      }
      try {
        listener.onHealthEvent(event);
      } catch (RuntimeException e) {
        log.warn("event=health_listener_failed server=\"{}\" error=\"{}\"", key, e.toString());
      }
    }
  }
}
