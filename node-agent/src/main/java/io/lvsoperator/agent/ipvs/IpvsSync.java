package io.lvsoperator.agent.ipvs;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the kernel's IPVS table match the desired services the agent owns: dump, plan, apply. Never
 * flushes; never touches a service it does not own (see {@link OwnedServices}); a failing operation
 * is reported and the rest still applied. Stopping the agent leaves its services in the kernel, and
 * the next sync adopts them by diff. Not thread-safe: one sync at a time.
 */
public final class IpvsSync {

  private static final Logger LOG = LoggerFactory.getLogger(IpvsSync.class);

  private final IpvsClient client;
  private final OwnedServices owned;

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
    long start = System.nanoTime();
    Set<IpvsServiceKey> desiredKeys = new HashSet<>();
    for (IpvsServiceState s : desired) {
      desiredKeys.add(s.key());
    }
    Set<IpvsServiceKey> ownedNow = new HashSet<>(owned.keys());
    ownedNow.addAll(desiredKeys);
    // Write ahead: if we crash mid-apply, the next start still knows these are ours.
    if (!ownedNow.equals(owned.keys())) {
      owned.save(ownedNow);
    }
    List<IpvsServiceState> observed = observe(ownedNow);
    List<IpvsOperation> ops = IpvsPlanner.plan(desired, observed, ownedNow);
    List<IpvsClient.OperationResult> results = ops.isEmpty() ? List.of() : client.applyAll(ops);
    List<IpvsOperation> applied = new ArrayList<>();
    List<IpvsClient.OperationResult> failed = new ArrayList<>();
    Set<IpvsServiceKey> stillOwned = new HashSet<>(desiredKeys);
    for (IpvsClient.OperationResult r : results) {
      if (r.ok()) {
        applied.add(r.operation());
      } else {
        failed.add(r);
        LOG.warn(
            "event=ipvs_operation_failed generation={} operation=\"{}\" errno={} error=\"{}\"",
            generation,
            IpvsCodec.describe(r.operation()),
            r.errno(),
            r.error());
        if (r.operation() instanceof IpvsOperation.DeleteService d) {
          stillOwned.add(d.serviceKey()); // try again next time
        }
      }
    }
    if (!stillOwned.equals(owned.keys())) {
      owned.save(stillOwned);
    }
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
