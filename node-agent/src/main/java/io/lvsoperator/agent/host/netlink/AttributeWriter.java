package io.lvsoperator.agent.host.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Builds a message payload: an optional fixed header (ifaddrmsg, genlmsghdr...) then attributes,
 * each padded to 4 bytes, nests closed by {@link #endNested()} which fills in their length.
 */
public final class AttributeWriter {

  private ByteBuffer buffer = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
  private final Deque<Integer> openNests = new ArrayDeque<>();

  private void ensure(int bytes) {
    if (buffer.remaining() < bytes) {
      ByteBuffer bigger =
          ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + bytes))
              .order(ByteOrder.nativeOrder());
      buffer.flip();
      bigger.put(buffer);
      buffer = bigger;
    }
  }

  /** Raw bytes, unpadded (a fixed header). */
  public AttributeWriter raw(byte[] bytes) {
    ensure(bytes.length);
    buffer.put(bytes);
    return this;
  }

  public AttributeWriter rawU8(int value) {
    ensure(1);
    buffer.put((byte) value);
    return this;
  }

  public AttributeWriter rawU16(int value) {
    ensure(2);
    buffer.putShort((short) value);
    return this;
  }

  public AttributeWriter rawU32(int value) {
    ensure(4);
    buffer.putInt(value);
    return this;
  }

  /** An attribute with an arbitrary value, padded to 4. */
  public AttributeWriter attribute(int type, byte[] value) {
    int length = NetlinkConstants.NLA_HDRLEN + value.length;
    if (length > 0xffff) {
      throw new IllegalArgumentException(
          "attribute " + type + ": " + value.length + " bytes is too long");
    }
    int padded = NetlinkConstants.align(length);
    ensure(padded);
    int start = buffer.position();
    buffer.putShort((short) length);
    buffer.putShort((short) type);
    buffer.put(value);
    while (buffer.position() < start + padded) {
      buffer.put((byte) 0);
    }
    return this;
  }

  public AttributeWriter u8(int type, int value) {
    return attribute(type, new byte[] {(byte) value});
  }

  public AttributeWriter u16(int type, int value) {
    return attribute(
        type,
        ByteBuffer.allocate(2).order(ByteOrder.nativeOrder()).putShort((short) value).array());
  }

  /** A u16 in network byte order (__be16). */
  public AttributeWriter be16(int type, int value) {
    return attribute(type, new byte[] {(byte) (value >>> 8), (byte) value});
  }

  public AttributeWriter u32(int type, int value) {
    return attribute(
        type, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array());
  }

  public AttributeWriter u64(int type, long value) {
    return attribute(
        type, ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(value).array());
  }

  /** A NUL-terminated string (NLA_NUL_STRING / NLA_STRING both accept it). */
  public AttributeWriter string(int type, String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    return attribute(type, Arrays.copyOf(utf8, utf8.length + 1));
  }

  /** Opens a nested attribute; the kernel's NLA_F_NESTED flag is set when {@code flagged}. */
  public AttributeWriter beginNested(int type, boolean flagged) {
    ensure(NetlinkConstants.NLA_HDRLEN);
    openNests.push(buffer.position());
    buffer.putShort((short) 0);
    buffer.putShort((short) (type | (flagged ? NetlinkConstants.NLA_F_NESTED : 0)));
    return this;
  }

  public AttributeWriter beginNested(int type) {
    return beginNested(type, true);
  }

  public AttributeWriter endNested() {
    if (openNests.isEmpty()) {
      throw new IllegalStateException("endNested without beginNested");
    }
    int start = openNests.pop();
    buffer.putShort(start, (short) (buffer.position() - start));
    return this;
  }

  public byte[] toByteArray() {
    if (!openNests.isEmpty()) {
      throw new IllegalStateException(openNests.size() + " nested attributes left open");
    }
    return Arrays.copyOf(buffer.array(), buffer.position());
  }
}
