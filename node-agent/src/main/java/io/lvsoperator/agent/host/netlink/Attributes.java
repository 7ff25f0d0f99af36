package io.lvsoperator.agent.host.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** A parsed run of netlink attributes, in order; lookups return the last of a type. */
public final class Attributes {

  private final List<Attribute> list;

  private Attributes(List<Attribute> list) {
    this.list = List.copyOf(list);
  }

  /** Parses {@code length} bytes of attributes from {@code offset}; lengths are checked. */
  public static Attributes parse(byte[] bytes, int offset, int length) throws NetlinkException {
    ByteBuffer in = ByteBuffer.wrap(bytes, offset, length).order(ByteOrder.nativeOrder());
    int end = offset + length;
    List<Attribute> attributes = new ArrayList<>();
    while (end - in.position() >= NetlinkConstants.NLA_HDRLEN) {
      int start = in.position();
      int nlaLength = Short.toUnsignedInt(in.getShort());
      int rawType = Short.toUnsignedInt(in.getShort());
      if (nlaLength < NetlinkConstants.NLA_HDRLEN || nlaLength > end - start) {
        throw NetlinkException.malformed(
            "nla_len "
                + nlaLength
                + " at offset "
                + start
                + " with "
                + (end - start)
                + " bytes left");
      }
      byte[] value =
          Arrays.copyOfRange(bytes, start + NetlinkConstants.NLA_HDRLEN, start + nlaLength);
      attributes.add(
          new Attribute(
              rawType & NetlinkConstants.NLA_TYPE_MASK,
              (rawType & NetlinkConstants.NLA_F_NESTED) != 0,
              value));
      in.position(Math.min(end, start + NetlinkConstants.align(nlaLength)));
    }
    return new Attributes(attributes);
  }

  public static Attributes parse(byte[] bytes) throws NetlinkException {
    return parse(bytes, 0, bytes.length);
  }

  public List<Attribute> all() {
    return list;
  }

  /** Every attribute of {@code type}, in order (nested arrays repeat a type). */
  public List<Attribute> allOf(int type) {
    return list.stream().filter(a -> a.type() == type).toList();
  }

  public Optional<Attribute> get(int type) {
    for (int i = list.size() - 1; i >= 0; i--) {
      if (list.get(i).type() == type) {
        return Optional.of(list.get(i));
      }
    }
    return Optional.empty();
  }

  public Attribute require(int type, String name) throws NetlinkException {
    return get(type).orElseThrow(() -> NetlinkException.malformed("missing attribute " + name));
  }

  public Optional<String> string(int type) {
    return get(type).map(Attribute::string);
  }

  public OptionalInt u8(int type) throws NetlinkException {
    Optional<Attribute> a = get(type);
    return a.isPresent() ? OptionalInt.of(a.get().u8()) : OptionalInt.empty();
  }

  public OptionalInt u16(int type) throws NetlinkException {
    Optional<Attribute> a = get(type);
    return a.isPresent() ? OptionalInt.of(a.get().u16()) : OptionalInt.empty();
  }

  public OptionalInt u32(int type) throws NetlinkException {
    Optional<Attribute> a = get(type);
    return a.isPresent() ? OptionalInt.of(a.get().u32()) : OptionalInt.empty();
  }

  public OptionalLong u64(int type) throws NetlinkException {
    Optional<Attribute> a = get(type);
    return a.isPresent() ? OptionalLong.of(a.get().u64()) : OptionalLong.empty();
  }

  public Optional<byte[]> bytes(int type) {
    return get(type).map(Attribute::value);
  }

  public Optional<Attributes> nested(int type) throws NetlinkException {
    Optional<Attribute> a = get(type);
    return a.isPresent() ? Optional.of(a.get().nestedAttributes()) : Optional.empty();
  }
}
