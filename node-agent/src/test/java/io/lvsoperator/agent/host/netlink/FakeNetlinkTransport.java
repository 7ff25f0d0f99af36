package io.lvsoperator.agent.host.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A kernel stand-in at the message level (like mdlayher/netlink nltest): every request message goes
 * to a handler that returns the reply datagrams, each a list of messages. The real codec encodes
 * both ways, so the client is exercised end to end without a socket.
 */
public final class FakeNetlinkTransport implements NetlinkTransport {

  public static final int PORT_ID = 4242;

  private final Function<NetlinkMessage, List<List<NetlinkMessage>>> handler;
  private final List<NetlinkMessage> requests = new ArrayList<>();
  private final List<byte[]> sentDatagrams = new ArrayList<>();
  private final Deque<byte[]> pending = new ArrayDeque<>();

  public FakeNetlinkTransport(Function<NetlinkMessage, List<List<NetlinkMessage>>> handler) {
    this.handler = handler;
  }

  /** A fake whose handler answers each request with one datagram. */
  public static FakeNetlinkTransport answering(Function<NetlinkMessage, List<NetlinkMessage>> h) {
    return new FakeNetlinkTransport(request -> List.of(h.apply(request)));
  }

  @Override
  public void send(byte[] datagram) throws NetlinkException {
    sentDatagrams.add(datagram);
    for (NetlinkMessage request : NetlinkCodec.decode(datagram)) {
      requests.add(request);
      for (List<NetlinkMessage> reply : handler.apply(request)) {
        if (!reply.isEmpty()) {
          pending.add(NetlinkCodec.encode(reply));
        }
      }
    }
  }

  @Override
  public Optional<byte[]> receive(int timeoutMillis) {
    return Optional.ofNullable(pending.poll());
  }

  @Override
  public int portId() {
    return PORT_ID;
  }

  @Override
  public void close() {}

  /** Every request message received, decoded, in order. */
  public List<NetlinkMessage> requests() {
    return requests;
  }

  /** Every datagram received, as sent. */
  public List<byte[]> sentDatagrams() {
    return sentDatagrams;
  }

  /** The ACK the kernel sends for {@code request} (NLMSG_ERROR with error 0, capped). */
  public static NetlinkMessage ack(NetlinkMessage request) {
    return error(request, 0, null);
  }

  /** NLMSG_ERROR for {@code request} with -errno, capped, with an ext-ack message when given. */
  public static NetlinkMessage error(NetlinkMessage request, int errno, String extAck) {
    byte[] header =
        NetlinkCodec.encode(
            new NetlinkMessage(
                request.type(),
                request.flags(),
                request.sequence(),
                request.portId(),
                new byte[0]));
    ByteBuffer b = ByteBuffer.allocate(4 + 16).order(ByteOrder.nativeOrder());
    b.putInt(-errno);
    b.putInt(16 + request.payload().length); // nlmsg_len of the original request
    b.put(header, 4, 12);
    AttributeWriter w = new AttributeWriter().raw(b.array());
    int flags = NetlinkConstants.NLM_F_CAPPED;
    if (extAck != null) {
      w.string(NetlinkConstants.NLMSGERR_ATTR_MSG, extAck);
      flags |= NetlinkConstants.NLM_F_ACK_TLVS;
    }
    return new NetlinkMessage(
        NetlinkConstants.NLMSG_ERROR, flags, request.sequence(), PORT_ID, w.toByteArray());
  }

  /** NLMSG_DONE ending a dump of {@code request}. */
  public static NetlinkMessage done(NetlinkMessage request) {
    return new NetlinkMessage(
        NetlinkConstants.NLMSG_DONE,
        NetlinkConstants.NLM_F_MULTI,
        request.sequence(),
        PORT_ID,
        new byte[4]);
  }

  /** A reply to {@code request} (NLM_F_MULTI when part of a dump). */
  public static NetlinkMessage reply(NetlinkMessage request, int type, int flags, byte[] payload) {
    return new NetlinkMessage(type, flags, request.sequence(), PORT_ID, payload);
  }
}
