package io.lvsoperator.agent.ipvs;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the kernel's IPVS table match the desired services the agent owns: dump, plan, apply. Never
 * flushes; never touches a service it does not own (see {@link OwnedServices}); a failing operation
 * is reported and the rest still applied. Stopping the agent leaves its services in the kernel, and
 * the next sync adopts them by diff. Not thread-safe: one sync at a time.
 *
 * <p>A full {@link #sync} reads the destinations of every owned service (the kernel has no dump of
 * all destinations): one request per service. {@link #update} re-programs a few services from what
 * the syncs programmed, without reading the kernel, for health verdicts.
 */
public final class IpvsSync {

  private static final Logger LOG = LoggerFactory.getLogger(IpvsSync.class);

  private final IpvsClient client;
  private final OwnedServices owned;

  /**
   * What the kernel holds for each owned service, as far as this process knows: the desired state
   * of every service whose operations all went through, by the last sync or update. A service whose
   * operation failed, or everything after an IOException, is left out: {@link #update} does not
   * trust it and the caller syncs in full.
   */
  private final Map<IpvsServiceKey, IpvsServiceState> programmed = new HashMap<>();

  public IpvsSync(IpvsClient client, OwnedServices owned) {
    this.client = client;
    this.owned = owned;
  }

  /** What one sync did. */
  public record SyncResult(
      long generation,
      int planned,
      List<IpvsOperation> applied,
      List<IpvsClient.OperationResult> failed,
      Duration took) {
    public boolean complete() {
      return failed.isEmpty();
    }
  }

  /**
   * Syncs the kernel to {@code desired} (compiled from config {@code generation}). An IOException
   * means the table could not be read; individual operation failures are in the result.
   */
  public SyncResult sync(long generation, List<IpvsServiceState> desired) throws IOException {
    return sync(generation, desired, Set.of());
  }

  /**
   * As {@link #sync(long, List)}, but the owned services in {@code leaveAlone} are neither changed
   * nor removed, and stay owned: services whose new desired state was rejected keep running as they
   * are (nothing already running is disturbed by bad input).
   */
  public SyncResult sync(
      long generation, List<IpvsServiceState> desired, Set<IpvsServiceKey> leaveAlone)
      throws IOException {
    long start = System.nanoTime();
    Set<IpvsServiceKey> desiredKeys = new HashSet<>();
    for (IpvsServiceState s : desired) {
      desiredKeys.add(s.key());
    }
    Set<IpvsServiceKey> ownedNow = new HashSet<>(owned.keys());
    ownedNow.addAll(desiredKeys);
    programmed.clear(); // until this sync has gone through
    // Write ahead: if we crash mid-apply, the next start still knows these are ours.
    if (!ownedNow.equals(owned.keys())) {
      owned.save(ownedNow);
    }
    Set<IpvsServiceKey> kept = new HashSet<>(ownedNow);
    kept.retainAll(leaveAlone);
    kept.removeAll(desiredKeys);
    Set<IpvsServiceKey> planned = new HashSet<>(ownedNow);
    planned.removeAll(kept);
    List<IpvsServiceState> observed = observe(planned);
    List<IpvsOperation> ops = IpvsPlanner.plan(desired, observed, planned);
    List<IpvsClient.OperationResult> results = ops.isEmpty() ? List.of() : client.applyAll(ops);
    List<IpvsOperation> applied = new ArrayList<>();
    List<IpvsClient.OperationResult> failed = new ArrayList<>();
    Set<IpvsServiceKey> stillOwned = new HashSet<>(desiredKeys);
    stillOwned.addAll(kept);
    for (IpvsClient.OperationResult r : results) {
      if (r.ok()) {
        applied.add(r.operation());
      } else {
        failed.add(r);
        warnFailed(generation, r);
        if (r.operation() instanceof IpvsOperation.DeleteService d) {
          stillOwned.add(d.serviceKey()); // try again next time
        }
      }
    }
    if (!stillOwned.equals(owned.keys())) {
      owned.save(stillOwned);
    }
    desired.forEach(s -> programmed.put(s.key(), s));
    failed.forEach(f -> programmed.remove(f.operation().serviceKey()));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    if (!ops.isEmpty() || !failed.isEmpty()) {
      LOG.info(
          "event=ipvs_synced generation={} planned={} applied={} failed={} services={} took_ms={}",
          generation,
          ops.size(),
          applied.size(),
          failed.size(),
          desired.size(),
          took.toMillis());
    }
    return new SyncResult(generation, ops.size(), List.copyOf(applied), List.copyOf(failed), took);
  }

  /**
   * Re-programs only {@code changed} services (a health verdict changed their destinations) by
   * diffing them against what earlier syncs and updates programmed, without reading the kernel: one
   * request per changed destination, where a {@link #sync} reads the destinations of every owned
   * service. Ownership does not change (every changed service is already owned).
   *
   * @return empty, having changed nothing, when this process does not know the kernel's state of
   *     one of {@code changed} (never synced, or an operation on it failed, or a sync since failed
   *     to read the table): the caller then runs a full {@link #sync}. Otherwise the result; failed
   *     operations are in it (so it is not {@link SyncResult#complete()}) and their services are
   *     forgotten, so the next update of them falls back to a full sync as well.
   */
  public Optional<SyncResult> update(long generation, List<IpvsServiceState> changed)
      throws IOException {
    for (IpvsServiceState s : changed) {
      if (!programmed.containsKey(s.key())) {
        return Optional.empty();
      }
    }
    return apply(generation, changed, Set.of(), "ipvs_updated");
  }

  /**
   * Applies a config change without reading the kernel: the {@code changed} services (new or
   * edited) and the {@code removed} keys, planned against what earlier syncs and updates
   * programmed; one request per changed service or destination, where a {@link #sync} reads the
   * destinations of every owned service. A new key is owned before it is added (write-ahead, as in
   * {@link #sync}); a removed key is disowned once its delete went through. A removed key this
   * process never owned is not touched.
   *
   * @return empty, having changed nothing, when this process does not know the kernel's state of a
   *     changed or removed key that it owns (never synced, an operation on it failed, a sync since
   *     failed to read the table, or a service left alone because its config was rejected): the
   *     caller then runs a full {@link #sync}. Otherwise the result; failed operations are in it
   *     and their services are forgotten, as in {@link #update}.
   */
  public Optional<SyncResult> apply(
      long generation, List<IpvsServiceState> changed, Set<IpvsServiceKey> removed)
      throws IOException {
    return apply(generation, changed, removed, "ipvs_changed");
  }

  private Optional<SyncResult> apply(
      long generation, List<IpvsServiceState> changed, Set<IpvsServiceKey> removed, String event)
      throws IOException {
    long start = System.nanoTime();
    List<IpvsServiceState> known = new ArrayList<>();
    Set<IpvsServiceKey> keys = new HashSet<>();
    Set<IpvsServiceKey> added = new HashSet<>();
    for (IpvsServiceState s : changed) {
      if (!keys.add(s.key()) || removed.contains(s.key())) {
        return Optional.empty();
      }
      IpvsServiceState before = programmed.get(s.key());
      if (before != null) {
        known.add(before);
      } else if (owned.keys().contains(s.key())) {
        return Optional.empty();
      } else {
        added.add(s.key());
      }
    }
    Set<IpvsServiceKey> deleting = new HashSet<>();
    for (IpvsServiceKey key : removed) {
      IpvsServiceState before = programmed.get(key);
      if (before != null) {
        known.add(before);
        deleting.add(key);
      } else if (owned.keys().contains(key)) {
        return Optional.empty();
      }
    }
    if (!added.isEmpty()) {
      Set<IpvsServiceKey> ahead = new HashSet<>(owned.keys());
      ahead.addAll(added);
      owned.save(ahead); // write-ahead, as a sync does
    }
    keys.addAll(deleting);
    List<IpvsOperation> ops = IpvsPlanner.plan(changed, known, keys);
    List<IpvsClient.OperationResult> results;
    try {
      results = ops.isEmpty() ? List.of() : client.applyAll(ops);
    } catch (IOException e) {
      programmed.clear(); // what went through is unknown
      throw e;
    }
    changed.forEach(s -> programmed.put(s.key(), s));
    deleting.forEach(programmed::remove);
    Set<IpvsServiceKey> stillOwned = new HashSet<>(owned.keys());
    stillOwned.removeAll(deleting);
    List<IpvsOperation> applied = new ArrayList<>();
    List<IpvsClient.OperationResult> failed = new ArrayList<>();
    for (IpvsClient.OperationResult r : results) {
      if (r.ok()) {
        applied.add(r.operation());
      } else {
        failed.add(r);
        programmed.remove(r.operation().serviceKey());
        if (r.operation() instanceof IpvsOperation.DeleteService d) {
          stillOwned.add(d.serviceKey()); // try again next time
        }
        warnFailed(generation, r);
      }
    }
    if (!stillOwned.equals(owned.keys())) {
      owned.save(stillOwned);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    if (!ops.isEmpty() || !failed.isEmpty()) {
      LOG.info(
          "event={} generation={} planned={} applied={} failed={} services_changed={}"
              + " services_removed={} took_ms={}",
          event,
          generation,
          ops.size(),
          applied.size(),
          failed.size(),
          changed.size(),
          deleting.size(),
          took.toMillis());
    }
    return Optional.of(
        new SyncResult(generation, ops.size(), List.copyOf(applied), List.copyOf(failed), took));
  }

  private static void warnFailed(long generation, IpvsClient.OperationResult r) {
    LOG.warn(
        "event=ipvs_operation_failed generation={} operation=\"{}\" errno={} error=\"{}\"",
        generation,
        r.operation().describe(),
        r.errno(),
        r.error());
  }

  /** Removes every service the agent owns (uninstall). Others stay. */
  public SyncResult cleanup() throws IOException {
    return sync(-1, List.of());
  }

  // Reads the services we own from the kernel, with their destinations; foreign services are
  // listed but their destinations are never read.
  private List<IpvsServiceState> observe(Set<IpvsServiceKey> ownedKeys) throws IOException {
    List<IpvsServiceState> observed = new ArrayList<>();
    for (IpvsService service : client.services()) {
      if (ownedKeys.contains(service.key())) {
        observed.add(new IpvsServiceState(service, client.destinations(service.key())));
      }
    }
    return observed;
  }
}
