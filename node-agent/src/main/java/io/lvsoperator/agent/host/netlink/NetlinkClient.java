package io.lvsoperator.agent.host.netlink;

import static io.lvsoperator.agent.host.netlink.NetlinkConstants.NLMSG_DONE;
import static io.lvsoperator.agent.host.netlink.NetlinkConstants.NLMSG_ERROR;
import static io.lvsoperator.agent.host.netlink.NetlinkConstants.NLMSG_NOOP;
import static io.lvsoperator.agent.host.netlink.NetlinkConstants.NLMSG_OVERRUN;
import static io.lvsoperator.agent.host.netlink.NetlinkConstants.NLM_F_ACK;
import static io.lvsoperator.agent.host.netlink.NetlinkConstants.NLM_F_DUMP;
import static io.lvsoperator.agent.host.netlink.NetlinkConstants.NLM_F_DUMP_INTR;
import static io.lvsoperator.agent.host.netlink.NetlinkConstants.NLM_F_REQUEST;

import io.lvsoperator.agent.host.ffm.Errno;
import io.lvsoperator.agent.host.netlink.NetlinkCodec.NetlinkError;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Request/response on a {@link NetlinkTransport}: numbers requests, asks for an ACK on every
 * non-dump request, collects multipart dumps until NLMSG_DONE, turns NLMSG_ERROR into a {@link
 * NetlinkException} with the kernel's extended-ack text. Thread-safe: requests on one client are
 * serialised, because a reply read by one thread would be lost to the thread that waits for it (the
 * agent shares one rtnetlink client between the VRRP loop, the link tracker and DR preparation).
 */
public final class NetlinkClient implements AutoCloseable {

  /** How long the kernel may take to answer one datagram before the request fails. */
  public static final int DEFAULT_TIMEOUT_MILLIS = 5000;

  private static final int MAX_DUMP_ATTEMPTS = 5;

  private final NetlinkTransport transport;
  private final int timeoutMillis;
  private int nextSequence;

  public NetlinkClient(NetlinkTransport transport) {
    this(transport, DEFAULT_TIMEOUT_MILLIS, (int) (System.nanoTime() & 0x3fffffff));
  }

  public NetlinkClient(NetlinkTransport transport, int timeoutMillis, int firstSequence) {
    this.transport = transport;
    this.timeoutMillis = timeoutMillis;
    this.nextSequence = firstSequence;
  }

  public NetlinkTransport transport() {
    return transport;
  }

  private int sequence() {
    nextSequence = nextSequence == Integer.MAX_VALUE ? 1 : nextSequence + 1;
    return nextSequence;
  }

  /**
   * Sends a non-dump request with NLM_F_REQUEST|NLM_F_ACK added and returns the replies that came
   * before the ACK (e.g. the answer to a GET); empty for a plain change. {@code operation} names
   * the request in errors.
   */
  public synchronized List<NetlinkMessage> request(NetlinkMessage message, String operation)
      throws IOException {
    int seq = sequence();
    transport.send(
        NetlinkCodec.encode(message.with(message.flags() | NLM_F_REQUEST | NLM_F_ACK, seq)));
    List<NetlinkMessage> replies = new ArrayList<>();
    while (true) {
      for (NetlinkMessage m : receiveBatch(operation)) {
        if (m.sequence() != seq) {
          continue; // a late answer to an earlier request that timed out
        }
        if (m.type() == NLMSG_ERROR) {
          NetlinkError error = NetlinkCodec.decodeError(m);
          if (!error.isAck()) {
            throw new NetlinkException(operation, error.errno(), error.extendedAck());
          }
          return replies;
        }
        if (m.type() != NLMSG_NOOP) {
          replies.add(m);
        }
      }
    }
  }

  /**
   * Sends a dump request (NLM_F_REQUEST|NLM_F_DUMP added) and returns every message until
   * NLMSG_DONE. A dump the kernel marks interrupted (NLM_F_DUMP_INTR: the table changed under it)
   * is repeated.
   */
  public synchronized List<NetlinkMessage> dump(NetlinkMessage message, String operation)
      throws IOException {
    for (int attempt = 1; ; attempt++) {
      int seq = sequence();
      transport.send(
          NetlinkCodec.encode(message.with(message.flags() | NLM_F_REQUEST | NLM_F_DUMP, seq)));
      List<NetlinkMessage> parts = new ArrayList<>();
      boolean interrupted = false;
      boolean done = false;
      while (!done) {
        for (NetlinkMessage m : receiveBatch(operation)) {
          if (m.sequence() != seq) {
            continue;
          }
          interrupted |= m.hasFlag(NLM_F_DUMP_INTR);
          if (m.type() == NLMSG_ERROR) {
            NetlinkError error = NetlinkCodec.decodeError(m);
            throw new NetlinkException(operation, error.errno(), error.extendedAck());
          }
          if (m.type() == NLMSG_DONE) {
            checkDone(m, operation);
            done = true;
            break;
          }
          if (m.type() != NLMSG_NOOP) {
            parts.add(m);
          }
        }
      }
      if (!interrupted) {
        return parts;
      }
      if (attempt == MAX_DUMP_ATTEMPTS) {
        throw new NetlinkException(
            operation + ": dump interrupted " + attempt + " times", Errno.EINTR, null);
      }
    }
  }

  // NLMSG_DONE carries an int: a negative errno when the dump itself failed, with ext-ack TLVs.
  private static void checkDone(NetlinkMessage done, String operation) throws NetlinkException {
    if (done.payload().length >= 4) {
      int error = ByteBuffer.wrap(done.payload()).order(ByteOrder.nativeOrder()).getInt(0);
      if (error < 0) {
        String text = null;
        if (done.hasFlag(NetlinkConstants.NLM_F_ACK_TLVS) && done.payload().length > 4) {
          text =
              Attributes.parse(done.payload(), 4, done.payload().length - 4)
                  .string(NetlinkConstants.NLMSGERR_ATTR_MSG)
                  .orElse(null);
        }
        throw new NetlinkException(operation, -error, text);
      }
    }
  }

  /** The outcome of one request of a batch: null errno means acknowledged. */
  public record BatchResult(int index, int errno, String extendedAck) {
    public boolean ok() {
      return errno == 0;
    }
  }

  /**
   * Sends many change requests (no replies expected but the ACK) in datagrams of at most {@code
   * perDatagram} messages and returns one result per request, in order; a refused request does not
   * stop the others (the kernel processes each message of a datagram on its own).
   */
  public synchronized List<BatchResult> requestAll(
      List<NetlinkMessage> messages, int perDatagram, String operation) throws IOException {
    List<BatchResult> results = new ArrayList<>(messages.size());
    for (int from = 0; from < messages.size(); from += perDatagram) {
      int to = Math.min(messages.size(), from + perDatagram);
      Map<Integer, Integer> indexBySequence = new HashMap<>();
      List<NetlinkMessage> numbered = new ArrayList<>(to - from);
      for (int i = from; i < to; i++) {
        int seq = sequence();
        indexBySequence.put(seq, i);
        NetlinkMessage m = messages.get(i);
        numbered.add(m.with(m.flags() | NLM_F_REQUEST | NLM_F_ACK, seq));
      }
      transport.send(NetlinkCodec.encode(numbered));
      BatchResult[] batch = new BatchResult[to - from];
      int pending = to - from;
      while (pending > 0) {
        for (NetlinkMessage m : receiveBatch(operation)) {
          Integer index = indexBySequence.get(m.sequence());
          if (index == null || m.type() != NLMSG_ERROR || batch[index - from] != null) {
            continue;
          }
          NetlinkError error = NetlinkCodec.decodeError(m);
          batch[index - from] = new BatchResult(index, error.errno(), error.extendedAck());
          pending--;
        }
      }
      results.addAll(List.of(batch));
    }
    return results;
  }

  private List<NetlinkMessage> receiveBatch(String operation) throws IOException {
    Optional<byte[]> datagram = transport.receive(timeoutMillis);
    if (datagram.isEmpty()) {
      throw new NetlinkException(
          operation + ": no reply within " + timeoutMillis + " ms", Errno.ETIMEDOUT, null);
    }
    List<NetlinkMessage> messages = NetlinkCodec.decode(datagram.get());
    for (NetlinkMessage m : messages) {
      if (m.type() == NLMSG_OVERRUN) {
        throw new NetlinkException(operation + ": NLMSG_OVERRUN", Errno.ENOBUFS, null);
      }
    }
    return messages;
  }

  @Override
  public void close() throws IOException {
    transport.close();
  }
}
