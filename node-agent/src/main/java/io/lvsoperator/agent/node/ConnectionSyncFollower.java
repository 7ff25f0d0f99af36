package io.lvsoperator.agent.node;

import io.lvsoperator.agent.ipvs.IpvsConstants;
import io.lvsoperator.agent.ipvs.SyncDaemon;
import io.lvsoperator.agent.vrrp.VrrpState;
import io.lvsoperator.agent.vrrp.VrrpTransition;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel's IPVS connection sync daemon following one VRRP instance, as keepalived's
 * lvs_sync_daemon does: master daemon while the instance is MASTER, backup daemon in every other
 * state (BACKUP, FAULT, INITIALIZE after a handover), switched on every transition, so that the
 * backups hold the master's connection entries and established connections survive a failover.
 *
 * <p>It reconciles rather than replays events: on its own thread it reads the running daemons and
 * stops ours that are in the wrong state or have other settings, then starts the wanted one. So a
 * master daemon a killed agent left running is stopped at the next start, and a daemon that could
 * not start (interface missing) is tried again every {@link #RETRY_SECONDS} s. It touches only
 * daemons on the wanted interface and sync id (or those it ran itself in this process): a daemon
 * with other settings it did not start is left alone and reported.
 *
 * <p>Nothing here blocks the VRRP event loop: a transition only schedules a reconcile.
 */
public final class ConnectionSyncFollower implements VrrpTransition.Listener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConnectionSyncFollower.class);
  static final long RETRY_SECONDS = 5;

  /**
   * What the spec asks for: the daemon's settings and the instance it follows.
   *
   * @param instance the VRRP instance whose state decides master or backup
   * @param settings the daemon's interface, sync id and options (its state is not used)
   */
  public record Wanted(String instance, SyncDaemon settings) {

    /** The daemon for {@code state} (IP_VS_STATE_MASTER or IP_VS_STATE_BACKUP). */
    public SyncDaemon daemon(int state) {
      return settings.inState(state);
    }

    /** Whether {@code running} is on this interface and sync id (ours to stop or replace). */
    public boolean owns(SyncDaemon running) {
      return running.interfaceName().equals(settings.interfaceName())
          && running.syncId() == settings.syncId();
    }
  }

  /** What was found last: the daemons running and the last error (null when none). */
  public record Snapshot(
      Wanted wanted, VrrpState following, List<SyncDaemon> running, String error, long failures) {}

  /** Follows nothing (an agent built without a sync daemon port). */
  public static ConnectionSyncFollower none() {
    return new ConnectionSyncFollower(null, Map::of);
  }

  private final SyncDaemons daemons;
  private final Supplier<Map<String, VrrpState>> states;
  private final ScheduledExecutorService worker;
  private final long retryMillis;
  private final AtomicBoolean pending = new AtomicBoolean();
  private volatile Wanted wanted;
  private volatile boolean everWanted; // until then nothing is ours: the kernel is not even asked
  private volatile Snapshot snapshot = new Snapshot(null, null, List.of(), null, 0);
  private Wanted ran; // worker only: the settings of the daemon this process last ran
  private Set<String> recorded; // worker only: SyncDaemons.recorded(), read at the first reconcile
  private long failures; // worker only

  /**
   * @param daemons the kernel's daemons (null: this follower does nothing)
   * @param states the VRRP instances' current states ({@code VrrpEngine::states})
   */
  public ConnectionSyncFollower(SyncDaemons daemons, Supplier<Map<String, VrrpState>> states) {
    this(daemons, states, RETRY_SECONDS * 1000);
  }

  // A daemon an earlier run recorded makes this run look at the kernel even when its spec asks for
  // none: that daemon is still ours to stop. Reading the record costs a file read, not a socket.
  private static boolean anyRecorded(SyncDaemons daemons) {
    try {
      return daemons != null && !daemons.recorded().isEmpty();
    } catch (java.io.IOException | RuntimeException e) {
      log.warn("event=sync_daemon_record_unreadable error=\"{}\"", e.getMessage());
      return false;
    }
  }

  ConnectionSyncFollower(
      SyncDaemons daemons, Supplier<Map<String, VrrpState>> states, long retryMillis) {
    this.retryMillis = retryMillis;
    this.daemons = daemons;
    this.everWanted = anyRecorded(daemons);
    this.states = states;
    this.worker =
        daemons == null
            ? null
            : Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("ipvs-sync-daemon").daemon().factory());
  }

  /** The daemon the spec asks for now, null for none (ours then stop). */
  public void apply(Wanted next) {
    wanted = next;
    everWanted |= next != null;
    if (everWanted) {
      request();
    }
  }

  @Override
  public void onTransition(VrrpTransition t) {
    Wanted w = wanted;
    if (w != null && w.instance().equals(t.instance())) {
      request();
    }
  }

  public Snapshot snapshot() {
    return snapshot;
  }

  /** Connection entries by origin, read from the kernel now; empty when unknown. */
  public Optional<SyncDaemons.ConnectionOrigins> connections() {
    if (daemons == null) {
      return Optional.empty();
    }
    try {
      return daemons.connections();
    } catch (java.io.IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private void request() {
    if (worker != null && !worker.isShutdown() && pending.compareAndSet(false, true)) {
      try {
        worker.execute(this::reconcile);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        pending.set(false);
      }
    }
  }

  private void reconcile() {
    pending.set(false);
    Wanted w = wanted;
    VrrpState state = w == null ? null : states.get().get(w.instance());
    SyncDaemon target =
        w == null
            ? null
            : w.daemon(
                state == VrrpState.MASTER
                    ? IpvsConstants.IP_VS_STATE_MASTER
                    : IpvsConstants.IP_VS_STATE_BACKUP);
    String error = null;
    try {
      if (recorded == null) {
        recorded = Set.copyOf(daemons.recorded());
      }
      List<SyncDaemon> running = daemons.running();
      boolean changed = false;
      for (SyncDaemon d : running) {
        boolean ours = ours(d, w);
        if (ours && (target == null || !d.satisfies(target))) {
          daemons.stop(d.state());
          changed = true;
          log.info(
              "event=sync_daemon_stopped role={} interface={} sync_id={} instance={} vrrp_state={}",
              d.role(),
              d.interfaceName(),
              d.syncId(),
              w == null ? "none" : w.instance(),
              state);
        }
      }
      if (changed) {
        running = daemons.running();
      }
      if (target != null && running.stream().noneMatch(d -> d.satisfies(target))) {
        Optional<SyncDaemon> other =
            running.stream().filter(d -> d.state() == target.state()).findFirst();
        if (other.isPresent()) {
          error =
              "a "
                  + other.get().describe()
                  + " daemon this agent did not start runs; "
                  + target.describe()
                  + " not started";
        } else {
          Set<String> withTarget = new HashSet<>(recorded);
          withTarget.add(SyncDaemons.key(target));
          record(withTarget); // before it runs: a crash right after must not lose it
          daemons.start(target);
          running = daemons.running();
          log.info(
              "event=sync_daemon_started role={} interface={} sync_id={} instance={} vrrp_state={}"
                  + " settings=\"{}\"",
              target.role(),
              target.interfaceName(),
              target.syncId(),
              w.instance(),
              state,
              running.stream()
                  .filter(d -> d.state() == target.state())
                  .map(SyncDaemon::describe)
                  .findFirst()
                  .orElse(target.describe()));
        }
      }
      ran = w;
      Set<String> oursRunning = new HashSet<>();
      for (SyncDaemon d : running) {
        if (ours(d, w)) {
          oursRunning.add(SyncDaemons.key(d));
        }
      }
      record(oursRunning);
      snapshot = new Snapshot(w, state, List.copyOf(running), error, failures);
    } catch (java.io.IOException | RuntimeException e) {
      error = e.getMessage();
    }
    if (error != null) {
      failures++;
      snapshot = new Snapshot(w, state, snapshot.running(), error, failures);
      // Retried every 5 s while it lasts (no IPVS, an interface that never comes): log the first
      // few, then every 5 minutes.
      if (failures <= 3 || failures % 60 == 0) {
        log.error(
            "event=sync_daemon_failed instance={} wanted=\"{}\" error=\"{}\" retry_in_s={}",
            w == null ? "none" : w.instance(),
            target == null ? "none" : target.describe(),
            error,
            retryMillis / 1000.0);
      }
      worker.schedule(this::request, retryMillis, TimeUnit.MILLISECONDS);
    }
  }

  // Worker only.
  private boolean ours(SyncDaemon d, Wanted w) {
    return (w != null && w.owns(d))
        || (ran != null && ran.owns(d))
        || recorded.contains(SyncDaemons.key(d));
  }

  private void record(Set<String> keys) throws java.io.IOException {
    if (!keys.equals(recorded)) {
      daemons.record(keys);
      recorded = Set.copyOf(keys);
    }
  }

  /**
   * Brings the daemon in line with the instance's last state once more (after a handover: backup),
   * waiting up to a second, then stops this follower. The daemon keeps running in the kernel, as
   * IPVS does: a backup daemon goes on receiving the master's connections while the agent is away.
   */
  @Override
  public void close() {
    if (worker == null || worker.isShutdown()) {
      return;
    }
    try {
      if (everWanted) {
        worker.submit(this::reconcile).get(1, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      log.warn("event=sync_daemon_final_reconcile_incomplete error=\"{}\"", e.toString());
    }
    worker.shutdownNow();
  }
}
