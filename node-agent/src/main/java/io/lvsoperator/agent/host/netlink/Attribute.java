package io.lvsoperator.agent.host.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One netlink attribute (struct nlattr) as read: its type without the NLA_F_* bits, whether it was
 * flagged nested, and its value.
 */
public record Attribute(int type, boolean nested, byte[] value) {

  public int u8() throws NetlinkException {
    requireLength(1);
    return value[0] & 0xff;
  }

  public int u16() throws NetlinkException {
    requireLength(2);
    return Short.toUnsignedInt(ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getShort());
  }

  /** A u16 in network byte order (ports in IPVS attributes). */
  public int be16() throws NetlinkException {
    requireLength(2);
    return ((value[0] & 0xff) << 8) | (value[1] & 0xff);
  }

  public int u32() throws NetlinkException {
    requireLength(4);
    return ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getInt();
  }

  public long u64() throws NetlinkException {
    requireLength(8);
    return ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getLong();
  }

  /** A NUL-terminated string (the terminator and anything after it dropped). */
  public String string() {
    int end = 0;
    while (end < value.length && value[end] != 0) {
      end++;
    }
    return new String(value, 0, end, StandardCharsets.UTF_8);
  }

  /** The attributes nested in this one. */
  public Attributes nestedAttributes() throws NetlinkException {
    return Attributes.parse(value, 0, value.length);
  }

  private void requireLength(int bytes) throws NetlinkException {
    if (value.length < bytes) {
      throw NetlinkException.malformed(
          "attribute " + type + " has " + value.length + " bytes, needs " + bytes);
    }
  }
}
