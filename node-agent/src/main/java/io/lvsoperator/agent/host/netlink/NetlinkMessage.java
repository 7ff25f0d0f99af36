package io.lvsoperator.agent.host.netlink;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One netlink message: the nlmsghdr fields and the payload after the header (unpadded).
 *
 * @param type nlmsg_type
 * @param flags nlmsg_flags (NLM_F_*)
 * @param sequence nlmsg_seq
 * @param portId nlmsg_pid
 * @param payload the bytes after the 16-byte header
 */
public record NetlinkMessage(int type, int flags, int sequence, int portId, byte[] payload) {

  public NetlinkMessage {
    if (type < 0 || type > 0xffff) {
      throw new IllegalArgumentException("nlmsg_type: " + type + " is not a u16");
    }
    if (flags < 0 || flags > 0xffff) {
      throw new IllegalArgumentException("nlmsg_flags: " + flags + " is not a u16");
    }
    payload = payload == null ? new byte[0] : payload;
  }

  /** The same message with another sequence number and flags. */
  public NetlinkMessage with(int newFlags, int newSequence) {
    return new NetlinkMessage(type, newFlags, newSequence, portId, payload);
  }

  public boolean hasFlag(int flag) {
    return (flags & flag) == flag;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NetlinkMessage m
        && type == m.type
        && flags == m.flags
        && sequence == m.sequence
        && portId == m.portId
        && Arrays.equals(payload, m.payload);
  }

  @Override
  public int hashCode() {
    return ((type * 31 + flags) * 31 + sequence) * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "NetlinkMessage[type="
        + type
        + ", flags=0x"
        + Integer.toHexString(flags)
        + ", seq="
        + sequence
        + ", pid="
        + portId
        + ", payload="
        + HexFormat.of().formatHex(payload)
        + "]";
  }
}
