package io.lvsoperator.agent.ipvs;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;

/**
 * The kernel's IPVS table, on records. {@code host.ipvs.GenlIpvsClient} talks generic netlink;
 * tests use an in-memory table. Errors are {@link IOException}s naming the command and the service;
 * the kernel's (EEXIST, ESRCH, ENOENT for an unknown scheduler...) carry its errno.
 */
public interface IpvsClient extends AutoCloseable {

  /** Every virtual service in the kernel, ours or not. */
  List<IpvsService> services() throws IOException;

  /** The destinations of one service. */
  List<IpvsDestination> destinations(IpvsServiceKey service) throws IOException;

  /** Applies one operation. */
  void apply(IpvsOperation operation) throws IOException;

  /**
   * Applies operations in order; one failing does not stop the rest. Returns one result per
   * operation, in order, with the errno and error text of each that failed. Implementations may
   * pipeline.
   */
  List<OperationResult> applyAll(List<IpvsOperation> operations) throws IOException;

  default void addService(IpvsService service) throws IOException {
    apply(new IpvsOperation.AddService(service));
  }

  default void editService(IpvsService service) throws IOException {
    apply(new IpvsOperation.EditService(service));
  }

  default void deleteService(IpvsServiceKey key) throws IOException {
    apply(new IpvsOperation.DeleteService(key));
  }

  default void addDestination(IpvsServiceKey service, IpvsDestination destination)
      throws IOException {
    apply(new IpvsOperation.AddDestination(service, destination));
  }

  default void editDestination(IpvsServiceKey service, IpvsDestination destination)
      throws IOException {
    apply(new IpvsOperation.EditDestination(service, destination));
  }

  default void deleteDestination(IpvsServiceKey service, InetAddress address, int port)
      throws IOException {
    apply(
        new IpvsOperation.DeleteDestination(
            service, IpvsDestination.of(address, port, ForwardingMethod.DROUTE, 0)));
  }

  /** tcp, tcpfin and udp timeouts. */
  IpvsTimeouts timeouts() throws IOException;

  /** Sets timeouts; a 0 leaves that one unchanged. */
  void setTimeouts(IpvsTimeouts timeouts) throws IOException;

  /** Starts a connection-sync daemon. */
  void startSyncDaemon(SyncDaemon daemon) throws IOException;

  /** Stops the daemon of {@code state} (IP_VS_STATE_MASTER or IP_VS_STATE_BACKUP). */
  void stopSyncDaemon(int state) throws IOException;

  /** The running sync daemons. */
  List<SyncDaemon> syncDaemons() throws IOException;

  @Override
  void close() throws IOException;

  /**
   * The outcome of one operation.
   *
   * @param errno 0 when applied
   * @param error the error text naming the command and object, null when applied
   */
  record OperationResult(IpvsOperation operation, int errno, String error) {
    public static OperationResult ok(IpvsOperation operation) {
      return new OperationResult(operation, 0, null);
    }

    public static OperationResult failed(IpvsOperation operation, int errno, String error) {
      return new OperationResult(operation, errno, error);
    }

    public boolean ok() {
      return errno == 0;
    }
  }
}
