package io.lvsoperator.agent.host.ipvs;

import io.lvsoperator.agent.host.ffm.Errno;
import io.lvsoperator.agent.host.netlink.ChannelTransport;
import io.lvsoperator.agent.host.netlink.GenericNetlink;
import io.lvsoperator.agent.host.netlink.GenlFamily;
import io.lvsoperator.agent.host.netlink.NetlinkClient;
import io.lvsoperator.agent.host.netlink.NetlinkConstants;
import io.lvsoperator.agent.host.netlink.NetlinkException;
import io.lvsoperator.agent.host.netlink.NetlinkMessage;
import io.lvsoperator.agent.host.netlink.NetlinkTransport;
import io.lvsoperator.agent.ipvs.IpvsClient;
import io.lvsoperator.agent.ipvs.IpvsConstants;
import io.lvsoperator.agent.ipvs.IpvsDestination;
import io.lvsoperator.agent.ipvs.IpvsOperation;
import io.lvsoperator.agent.ipvs.IpvsService;
import io.lvsoperator.agent.ipvs.IpvsServiceKey;
import io.lvsoperator.agent.ipvs.IpvsTimeouts;
import io.lvsoperator.agent.ipvs.SyncDaemon;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** {@link IpvsClient} over the generic netlink family "IPVS". Not thread-safe. */
public final class GenlIpvsClient implements IpvsClient {

  /** Requests per datagram when applying many operations; keeps the ACKs within the buffer. */
  static final int OPERATIONS_PER_DATAGRAM = 128;

  private final NetlinkClient client;
  private final IpvsCodec codec;

  public GenlIpvsClient(NetlinkClient client, int familyId) {
    this.client = client;
    this.codec = new IpvsCodec(familyId);
  }

  /**
   * Opens a generic netlink socket and resolves "IPVS" (which makes the kernel load ip_vs when it
   * can). ENOENT means this kernel has no IPVS.
   */
  public static GenlIpvsClient open() throws IOException {
    ChannelTransport transport = ChannelTransport.open(NetlinkConstants.NETLINK_GENERIC);
    try {
      transport.channel().setReceiveBufferSize(4 << 20);
      return connect(transport);
    } catch (IOException | RuntimeException e) {
      transport.close();
      throw e;
    }
  }

  /** Resolves the family over any transport (a fake in tests). */
  public static GenlIpvsClient connect(NetlinkTransport transport) throws IOException {
    NetlinkClient client = new NetlinkClient(transport);
    GenlFamily family;
    try {
      family = GenericNetlink.resolve(client, IpvsConstants.IPVS_GENL_NAME);
    } catch (NetlinkException e) {
      if (e.errno() == Errno.ENOENT) {
        throw new NetlinkException(
            "resolve generic netlink family IPVS (is the ip_vs module available?)", Errno.ENOENT);
      }
      throw e;
    }
    return new GenlIpvsClient(client, family.id());
  }

  /** Whether this kernel offers IPVS; false on any error. */
  public static boolean isAvailable() {
    try (GenlIpvsClient ignored = open()) {
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public List<IpvsService> services() throws IOException {
    List<IpvsService> services = new ArrayList<>();
    for (NetlinkMessage m : client.dump(codec.dumpServices(), "IPVS_CMD_GET_SERVICE dump")) {
      services.add(IpvsCodec.decodeService(m));
    }
    return services;
  }

  @Override
  public List<IpvsDestination> destinations(IpvsServiceKey service) throws IOException {
    List<IpvsDestination> destinations = new ArrayList<>();
    for (NetlinkMessage m :
        client.dump(codec.dumpDestinations(service), "IPVS_CMD_GET_DEST dump " + service)) {
      destinations.add(IpvsCodec.decodeDestination(m, service.family()));
    }
    return destinations;
  }

  @Override
  public void apply(IpvsOperation operation) throws IOException {
    client.request(codec.encode(operation), operation.describe());
  }

  /** Pipelines the operations, many per datagram; the kernel handles and acks each on its own. */
  @Override
  public List<OperationResult> applyAll(List<IpvsOperation> operations) throws IOException {
    List<NetlinkMessage> messages = new ArrayList<>(operations.size());
    for (IpvsOperation op : operations) {
      messages.add(codec.encode(op));
    }
    List<NetlinkClient.BatchResult> batch =
        client.requestAll(messages, OPERATIONS_PER_DATAGRAM, "IPVS apply");
    List<OperationResult> results = new ArrayList<>(operations.size());
    for (int i = 0; i < operations.size(); i++) {
      IpvsOperation op = operations.get(i);
      NetlinkClient.BatchResult r = batch.get(i);
      results.add(
          r.ok()
              ? OperationResult.ok(op)
              : OperationResult.failed(
                  op,
                  r.errno(),
                  new NetlinkException(op.describe(), r.errno(), r.extendedAck()).getMessage()));
    }
    return results;
  }

  @Override
  public IpvsTimeouts timeouts() throws IOException {
    List<NetlinkMessage> replies = client.request(codec.getConfig(), "IPVS_CMD_GET_CONFIG");
    if (replies.isEmpty()) {
      throw NetlinkException.malformed("IPVS_CMD_GET_CONFIG: no reply");
    }
    return IpvsCodec.decodeConfig(replies.getFirst());
  }

  @Override
  public void setTimeouts(IpvsTimeouts timeouts) throws IOException {
    client.request(codec.setConfig(timeouts), "IPVS_CMD_SET_CONFIG " + timeouts);
  }

  @Override
  public void startSyncDaemon(SyncDaemon daemon) throws IOException {
    client.request(codec.newDaemon(daemon), "IPVS_CMD_NEW_DAEMON " + daemon);
  }

  @Override
  public void stopSyncDaemon(int state) throws IOException {
    client.request(codec.delDaemon(state), "IPVS_CMD_DEL_DAEMON state=" + state);
  }

  @Override
  public List<SyncDaemon> syncDaemons() throws IOException {
    List<SyncDaemon> daemons = new ArrayList<>();
    for (NetlinkMessage m : client.dump(codec.dumpDaemons(), "IPVS_CMD_GET_DAEMON dump")) {
      daemons.add(IpvsCodec.decodeDaemon(m));
    }
    return daemons;
  }

  @Override
  public void close() throws IOException {
    client.close();
  }
}
