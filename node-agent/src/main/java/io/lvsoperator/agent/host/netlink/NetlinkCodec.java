package io.lvsoperator.agent.host.netlink;

import static io.lvsoperator.agent.host.netlink.NetlinkConstants.NLMSG_HDRLEN;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Encodes and decodes netlink messages (host byte order, 4-byte alignment). */
public final class NetlinkCodec {

  private NetlinkCodec() {}

  /** One message: the header with nlmsg_len = 16 + payload, then the payload padded to 4. */
  public static byte[] encode(NetlinkMessage message) {
    return encode(List.of(message));
  }

  /** Several messages back to back in one datagram. */
  public static byte[] encode(List<NetlinkMessage> messages) {
    int total = 0;
    for (NetlinkMessage m : messages) {
      total += NetlinkConstants.align(NLMSG_HDRLEN + m.payload().length);
    }
    ByteBuffer out = ByteBuffer.allocate(total).order(ByteOrder.nativeOrder());
    for (NetlinkMessage m : messages) {
      int start = out.position();
      out.putInt(NLMSG_HDRLEN + m.payload().length);
      out.putShort((short) m.type());
      out.putShort((short) m.flags());
      out.putInt(m.sequence());
      out.putInt(m.portId());
      out.put(m.payload());
      out.position(start + NetlinkConstants.align(NLMSG_HDRLEN + m.payload().length));
    }
    return out.array();
  }

  /** Splits a datagram into its messages; every length is checked against what is left. */
  public static List<NetlinkMessage> decode(byte[] datagram) throws NetlinkException {
    ByteBuffer in = ByteBuffer.wrap(datagram).order(ByteOrder.nativeOrder());
    List<NetlinkMessage> messages = new ArrayList<>();
    while (in.remaining() >= NLMSG_HDRLEN) {
      int start = in.position();
      int length = in.getInt();
      if (length < NLMSG_HDRLEN || length > datagram.length - start) {
        throw NetlinkException.malformed(
            "nlmsg_len "
                + length
                + " at offset "
                + start
                + " of a "
                + datagram.length
                + "-byte datagram");
      }
      int type = Short.toUnsignedInt(in.getShort());
      int flags = Short.toUnsignedInt(in.getShort());
      int sequence = in.getInt();
      int portId = in.getInt();
      byte[] payload = Arrays.copyOfRange(datagram, start + NLMSG_HDRLEN, start + length);
      messages.add(new NetlinkMessage(type, flags, sequence, portId, payload));
      in.position(Math.min(datagram.length, start + NetlinkConstants.align(length)));
    }
    if (in.remaining() != 0) {
      throw NetlinkException.malformed(in.remaining() + " trailing bytes after the last message");
    }
    return messages;
  }

  /**
   * The contents of an NLMSG_ERROR payload: struct nlmsgerr { int error; struct nlmsghdr msg; }
   * then, with NLM_F_ACK_TLVS, attributes after the echoed request (its header only when
   * NLM_F_CAPPED).
   */
  public static NetlinkError decodeError(NetlinkMessage message) throws NetlinkException {
    byte[] p = message.payload();
    if (p.length < 4 + NLMSG_HDRLEN) {
      throw NetlinkException.malformed("NLMSG_ERROR payload of " + p.length + " bytes");
    }
    ByteBuffer in = ByteBuffer.wrap(p).order(ByteOrder.nativeOrder());
    int error = in.getInt(0);
    int echoedLength = in.getInt(4);
    int echoedSequence = in.getInt(4 + 8);
    String text = null;
    int offset = -1;
    if (message.hasFlag(NetlinkConstants.NLM_F_ACK_TLVS)) {
      int tlvStart =
          4
              + (message.hasFlag(NetlinkConstants.NLM_F_CAPPED)
                  ? NLMSG_HDRLEN
                  : NetlinkConstants.align(echoedLength));
      if (tlvStart <= p.length) {
        Attributes attributes = Attributes.parse(p, tlvStart, p.length - tlvStart);
        text = attributes.string(NetlinkConstants.NLMSGERR_ATTR_MSG).orElse(null);
        offset = attributes.u32(NetlinkConstants.NLMSGERR_ATTR_OFFS).orElse(-1);
      }
    }
    return new NetlinkError(-error, echoedSequence, text, offset);
  }

  /**
   * A decoded NLMSG_ERROR (or ACK when errno is 0).
   *
   * @param errno the positive errno, 0 for an ACK
   * @param sequence the sequence number of the request it answers
   * @param extendedAck NLMSGERR_ATTR_MSG, or null
   * @param attributeOffset NLMSGERR_ATTR_OFFS (offset of the offending attribute), or -1
   */
  public record NetlinkError(int errno, int sequence, String extendedAck, int attributeOffset) {
    public boolean isAck() {
      return errno == 0;
    }
  }
}
