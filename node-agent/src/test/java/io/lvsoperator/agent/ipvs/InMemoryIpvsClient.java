package io.lvsoperator.agent.ipvs;

import io.lvsoperator.agent.host.ffm.Errno;
import io.lvsoperator.agent.host.netlink.NetlinkException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * A kernel IPVS table in memory, with the kernel's errors for impossible operations (EEXIST, ESRCH,
 * ENOENT) and injectable failures. Logs the operations applied and counts the reads (dumps).
 */
public final class InMemoryIpvsClient implements IpvsClient {

  private final Map<IpvsServiceKey, IpvsService> services = new LinkedHashMap<>();
  private final Map<IpvsServiceKey, Map<IpvsDestination.DestinationKey, IpvsDestination>>
      destinations = new LinkedHashMap<>();
  private final List<IpvsOperation> log = new ArrayList<>();
  private ToIntFunction<IpvsOperation> failure = op -> 0;
  private IpvsTimeouts timeouts = new IpvsTimeouts(900, 120, 300);
  private final List<SyncDaemon> daemons = new ArrayList<>();
  private int serviceDumps;
  private int destinationDumps;

  /** Makes operations for which {@code errno} returns non-zero fail with that errno. */
  public InMemoryIpvsClient failing(ToIntFunction<IpvsOperation> errno) {
    this.failure = errno;
    return this;
  }

  /** Every operation attempted, in order. */
  public List<IpvsOperation> log() {
    return log;
  }

  /** The table as a list of states, in insertion order. */
  public List<IpvsServiceState> table() {
    List<IpvsServiceState> out = new ArrayList<>();
    services.forEach(
        (k, s) -> out.add(new IpvsServiceState(s, List.copyOf(destinations.get(k).values()))));
    return out;
  }

  /** How many times the services were dumped. */
  public int serviceDumps() {
    return serviceDumps;
  }

  /** How many destination dumps (one per service) were made. */
  public int destinationDumps() {
    return destinationDumps;
  }

  @Override
  public List<IpvsService> services() {
    serviceDumps++;
    return List.copyOf(services.values());
  }

  @Override
  public List<IpvsDestination> destinations(IpvsServiceKey service) throws NetlinkException {
    destinationDumps++;
    Map<IpvsDestination.DestinationKey, IpvsDestination> d = destinations.get(service);
    if (d == null) {
      throw new NetlinkException("IPVS_CMD_GET_DEST dump " + service, Errno.ESRCH);
    }
    return List.copyOf(d.values());
  }

  @Override
  public List<OperationResult> applyAll(List<IpvsOperation> operations) {
    List<OperationResult> results = new ArrayList<>(operations.size());
    for (IpvsOperation op : operations) {
      try {
        apply(op);
        results.add(OperationResult.ok(op));
      } catch (NetlinkException e) {
        results.add(OperationResult.failed(op, e.errno(), e.getMessage()));
      }
    }
    return results;
  }

  @Override
  public void apply(IpvsOperation op) throws NetlinkException {
    log.add(op);
    String what = op.describe();
    int injected = failure.applyAsInt(op);
    if (injected != 0) {
      throw new NetlinkException(what, injected);
    }
    IpvsServiceKey key = op.serviceKey();
    switch (op) {
      case IpvsOperation.AddService a -> {
        if (services.containsKey(key)) {
          throw new NetlinkException(what, Errno.EEXIST);
        }
        services.put(key, a.service());
        destinations.put(key, new LinkedHashMap<>());
      }
      case IpvsOperation.EditService e -> {
        requireService(key, what);
        services.put(key, e.service());
      }
      case IpvsOperation.DeleteService d -> {
        requireService(key, what);
        services.remove(key);
        destinations.remove(key);
      }
      case IpvsOperation.AddDestination a -> {
        requireService(key, what);
        if (destinations.get(key).putIfAbsent(a.destination().key(), a.destination()) != null) {
          throw new NetlinkException(what, Errno.EEXIST);
        }
      }
      case IpvsOperation.EditDestination e -> {
        requireService(key, what);
        if (destinations.get(key).replace(e.destination().key(), e.destination()) == null) {
          throw new NetlinkException(what, Errno.ENOENT);
        }
      }
      case IpvsOperation.DeleteDestination d -> {
        requireService(key, what);
        if (destinations.get(key).remove(d.destination().key()) == null) {
          throw new NetlinkException(what, Errno.ENOENT);
        }
      }
    }
  }

  private void requireService(IpvsServiceKey key, String what) throws NetlinkException {
    if (!services.containsKey(key)) {
      throw new NetlinkException(what, Errno.ESRCH);
    }
  }

  @Override
  public IpvsTimeouts timeouts() {
    return timeouts;
  }

  @Override
  public void setTimeouts(IpvsTimeouts t) {
    timeouts =
        new IpvsTimeouts(
            t.tcpSeconds() == 0 ? timeouts.tcpSeconds() : t.tcpSeconds(),
            t.tcpFinSeconds() == 0 ? timeouts.tcpFinSeconds() : t.tcpFinSeconds(),
            t.udpSeconds() == 0 ? timeouts.udpSeconds() : t.udpSeconds());
  }

  @Override
  public void startSyncDaemon(SyncDaemon daemon) {
    daemons.add(daemon);
  }

  @Override
  public void stopSyncDaemon(int state) {
    daemons.removeIf(d -> d.state() == state);
  }

  @Override
  public List<SyncDaemon> syncDaemons() {
    return List.copyOf(daemons);
  }

  @Override
  public void close() {}
}
