package io.lvsoperator.agent.host.ipvs;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvsoperator.agent.host.netlink.NetlinkCodec;
import io.lvsoperator.agent.host.netlink.NetlinkException;
import io.lvsoperator.agent.host.netlink.NetlinkMessage;
import io.lvsoperator.agent.ipvs.ForwardingMethod;
import io.lvsoperator.agent.ipvs.IpvsDestination;
import io.lvsoperator.agent.ipvs.IpvsProtocol;
import io.lvsoperator.agent.ipvs.IpvsService;
import io.lvsoperator.agent.ipvs.IpvsServiceKey;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Differential fuzzing of the netlink reply parser, from the datagram to the IPVS records: a
 * million replies, most of them valid service or destination dump messages with one to three
 * attributes changed (dropped, repeated, shortened, lengthened, retyped, refilled) and every length
 * made right again, so that the attribute and value checks are reached, not only the outer lengths.
 * What {@link NetlinkCodec#decode} and {@link IpvsCodec} make of each is compared with {@link
 * Reference}, a second and plainer reading of the formats: the same record, or a {@link
 * NetlinkException} where the reference finds the reply malformed, and never any other exception.
 */
class IpvsReplyFuzzTest {
  private static final int INPUTS = 1_000_000;
  private static final ByteOrder HOST = ByteOrder.nativeOrder();
  private static final int NESTED = 0x8000;

  /** One attribute as the fuzzer writes it: type (with flag bits) and value, or nested children. */
  record Attr(int type, byte[] value, List<Attr> children) {
    static Attr of(int type, byte[] value) {
      return new Attr(type, value, null);
    }

    static Attr nest(int type, List<Attr> children) {
      return new Attr(type | NESTED, null, new ArrayList<>(children));
    }

    byte[] encode() {
      byte[] v = children == null ? value : Tlv.encode(children);
      ByteBuffer b = ByteBuffer.allocate(align(4 + v.length)).order(HOST);
      b.putShort((short) (4 + v.length)).putShort((short) type).put(v);
      return b.array();
    }
  }

  /** The test's own attribute writer: length, type, value, padding to 4. */
  static final class Tlv {
    static byte[] encode(List<Attr> attrs) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      attrs.forEach(a -> out.writeBytes(a.encode()));
      return out.toByteArray();
    }
  }

  static int align(int n) {
    return (n + 3) & ~3;
  }

  static byte[] u16(int v) {
    return ByteBuffer.allocate(2).order(HOST).putShort((short) v).array();
  }

  static byte[] be16(int v) {
    return new byte[] {(byte) (v >>> 8), (byte) v};
  }

  static byte[] u32(int v) {
    return ByteBuffer.allocate(4).order(HOST).putInt(v).array();
  }

  static byte[] inetAddr(String literal) {
    return Arrays.copyOf(InetAddress.ofLiteral(literal).getAddress(), 16);
  }

  static byte[] string(String s) {
    return (s + "\0").getBytes(StandardCharsets.UTF_8);
  }

  private static List<Attr> serviceSeed(Random random) {
    boolean v6 = random.nextInt(4) == 0;
    List<Attr> s = new ArrayList<>();
    s.add(Attr.of(1, u16(v6 ? 10 : 2)));
    if (random.nextInt(5) == 0) {
      s.add(Attr.of(5, u32(1 + random.nextInt(100))));
    } else {
      s.add(Attr.of(2, u16(new int[] {6, 17, 132}[random.nextInt(3)])));
      s.add(Attr.of(3, inetAddr(v6 ? "fd00::1" : "172.20.1.100")));
      s.add(Attr.of(4, be16(80)));
    }
    s.add(Attr.of(6, string(new String[] {"rr", "wlc", "mh"}[random.nextInt(3)])));
    boolean persistent = random.nextBoolean();
    s.add(Attr.of(7, u32(persistent ? 1 : 0)));
    s.add(Attr.of(8, u32(persistent ? 300 : 0)));
    s.add(Attr.of(9, v6 ? u32(128) : new byte[] {(byte) 255, (byte) 255, (byte) 255, 0}));
    if (random.nextInt(4) == 0) {
      s.add(Attr.of(11, string("sip")));
    }
    s.add(Attr.nest(10, List.of(Attr.of(1, u32(7)), Attr.of(2, u32(9)))));
    return new ArrayList<>(List.of(Attr.nest(1, s)));
  }

  private static List<Attr> destinationSeed(Random random) {
    List<Attr> d = new ArrayList<>();
    d.add(Attr.of(1, inetAddr(random.nextInt(4) == 0 ? "fd00::10" : "172.20.1.10")));
    d.add(Attr.of(2, be16(80)));
    d.add(Attr.of(3, u32(new int[] {0, 2, 3}[random.nextInt(3)])));
    d.add(Attr.of(4, u32(1 + random.nextInt(10))));
    d.add(Attr.of(5, u32(0)));
    d.add(Attr.of(6, u32(0)));
    if (random.nextBoolean()) {
      d.add(Attr.of(11, u16(random.nextInt(4) == 0 ? 10 : 2)));
    }
    d.add(Attr.of(7, u32(3)));
    return new ArrayList<>(List.of(Attr.nest(2, d)));
  }

  /** One random change somewhere in the attribute tree; lengths are recomputed on encoding. */
  private static void mutate(List<Attr> top, Random random) {
    List<Attr> list = top;
    if (random.nextInt(4) != 0 && !top.isEmpty() && top.getFirst().children() != null) {
      list = top.getFirst().children(); // mostly inside the service or destination
    }
    if (list.isEmpty()) {
      list.add(Attr.of(random.nextInt(16), new byte[random.nextInt(9)]));
      return;
    }
    int i = random.nextInt(list.size());
    Attr a = list.get(i);
    byte[] v = a.children() == null ? a.value() : Tlv.encode(a.children());
    switch (random.nextInt(9)) {
      case 0 -> list.remove(i);
      case 1 -> list.add(Attr.of(a.type(), randomBytes(random, random.nextInt(20))));
      case 2 -> list.set(i, Attr.of(a.type(), Arrays.copyOf(v, random.nextInt(v.length + 1))));
      case 3 -> list.set(i, Attr.of(a.type(), Arrays.copyOf(v, v.length + 1 + random.nextInt(8))));
      case 4 -> {
        byte[] w = v.clone();
        if (w.length > 0) {
          w[random.nextInt(w.length)] = (byte) random.nextInt(256);
        }
        list.set(i, Attr.of(a.type(), w));
      }
      case 5 ->
          list.set(i, new Attr(random.nextInt(20) | (a.type() & NESTED), a.value(), a.children()));
      case 6 ->
          list.set(
              i,
              new Attr(
                  a.type() ^ (random.nextBoolean() ? NESTED : 0x4000), a.value(), a.children()));
      case 7 -> list.set(i, Attr.of(a.type() & 0x3fff, smallValue(a.type() & 0x3fff, random)));
      default -> java.util.Collections.swap(list, i, random.nextInt(list.size()));
    }
  }

  /** A value of a plausible kind for the type: a family, a protocol, a method, an address. */
  private static byte[] smallValue(int type, Random random) {
    return switch (random.nextInt(5)) {
      case 0 -> u16(new int[] {0, 2, 10, 3}[random.nextInt(4)]);
      case 1 -> u16(new int[] {6, 17, 132, 1, 255}[random.nextInt(5)]);
      case 2 -> u32(random.nextInt(8) - (random.nextInt(8) == 0 ? 0x80000000 : 0));
      case 3 -> inetAddr(random.nextBoolean() ? "10.0.0.1" : "::1");
      default -> string(random.nextBoolean() ? "" : "wrr");
    };
  }

  private static byte[] randomBytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /** A datagram of one generic netlink message: nlmsghdr, genlmsghdr, the attributes. */
  private static byte[] datagram(int command, List<Attr> attrs) {
    byte[] payload = Tlv.encode(attrs);
    ByteBuffer b = ByteBuffer.allocate(16 + 4 + payload.length).order(HOST);
    b.putInt(16 + 4 + payload.length).putShort((short) 30).putShort((short) 2).putInt(7).putInt(0);
    b.put((byte) command).put((byte) 1).putShort((short) 0).put(payload);
    return b.array();
  }

  @Test
  void mutatedRepliesDecodeAsAnIndependentReadingSaysOrAreMalformed() {
    Random random = new Random(4242);
    int decoded = 0;
    int malformed = 0;
    for (int i = 0; i < INPUTS; i++) {
      boolean service = random.nextBoolean();
      List<Attr> attrs = service ? serviceSeed(random) : destinationSeed(random);
      int changes = i % 10 == 0 ? 0 : 1 + random.nextInt(3);
      for (int c = 0; c < changes; c++) {
        mutate(attrs, random);
      }
      byte[] datagram = datagram(service ? 1 : 5, attrs);
      switch (i % 40) {
        case 37 -> datagram[random.nextInt(datagram.length)] = (byte) random.nextInt(256);
        case 38 -> datagram = Arrays.copyOf(datagram, random.nextInt(datagram.length + 8));
        case 39 -> {
          if (datagram.length > 20) { // a bit of the attributes, a length field as likely as not
            datagram[20 + random.nextInt(datagram.length - 20)] ^= 0x01;
          }
        }
        default -> {}
      }

      Object expected = Reference.decode(datagram, service);
      Object actual;
      try {
        List<NetlinkMessage> messages = NetlinkCodec.decode(datagram);
        List<Object> records = new ArrayList<>();
        for (NetlinkMessage m : messages) {
          records.add(service ? IpvsCodec.decodeService(m) : IpvsCodec.decodeDestination(m, 2));
        }
        actual = records;
      } catch (NetlinkException e) {
        actual = Reference.MALFORMED;
      }
      assertThat(actual)
          .as("input %d: %s", i, HexFormat.of().formatHex(datagram))
          .isEqualTo(expected);
      if (expected == Reference.MALFORMED) {
        malformed++;
      } else {
        decoded++;
      }
    }
    System.out.printf(
        "netlink-fuzz %d inputs: %d decoded to records, %d malformed%n",
        INPUTS, decoded, malformed);
    assertThat(decoded).isGreaterThan(INPUTS / 5);
    assertThat(malformed).isGreaterThan(INPUTS / 5);
  }

  /** The formats once more, written plainly from the kernel headers, without the codecs. */
  static final class Reference {
    static final Object MALFORMED = "malformed";

    /** The records of the datagram's messages, or MALFORMED. */
    static Object decode(byte[] datagram, boolean service) {
      try {
        List<Object> out = new ArrayList<>();
        for (byte[] payload : messages(datagram)) {
          out.add(service ? service(payload) : destination(payload));
        }
        return out;
      } catch (Malformed | IllegalArgumentException e) {
        return MALFORMED;
      }
    }

    static final class Malformed extends Exception {}

    static List<byte[]> messages(byte[] d) throws Malformed {
      List<byte[]> out = new ArrayList<>();
      int at = 0;
      while (d.length - at >= 16) {
        int length = ByteBuffer.wrap(d, at, 4).order(HOST).getInt();
        if (length < 16 || length > d.length - at) {
          throw new Malformed();
        }
        out.add(Arrays.copyOfRange(d, at + 16, at + length));
        at = Math.min(d.length, at + align(length));
      }
      if (at != d.length) {
        throw new Malformed();
      }
      return out;
    }

    /** type (flags cleared) -> value of the last attribute of that type. */
    static java.util.Map<Integer, byte[]> attributes(byte[] b, int from, int to) throws Malformed {
      java.util.Map<Integer, byte[]> out = new java.util.HashMap<>();
      int at = from;
      while (to - at >= 4) {
        ByteBuffer h = ByteBuffer.wrap(b, at, 4).order(HOST);
        int length = h.getShort() & 0xffff;
        int type = h.getShort() & 0x3fff;
        if (length < 4 || length > to - at) {
          throw new Malformed();
        }
        out.put(type, Arrays.copyOfRange(b, at + 4, at + length));
        at = Math.min(to, at + align(length));
      }
      return out;
    }

    static java.util.Map<Integer, byte[]> nested(byte[] payload, int type) throws Malformed {
      if (payload.length < 4) {
        throw new Malformed();
      }
      byte[] v = attributes(payload, 4, payload.length).get(type);
      if (v == null) {
        throw new Malformed();
      }
      return attributes(v, 0, v.length);
    }

    static byte[] need(java.util.Map<Integer, byte[]> a, int type, int bytes) throws Malformed {
      byte[] v = a.get(type);
      if (v == null || v.length < bytes) {
        throw new Malformed();
      }
      return v;
    }

    static int u16(byte[] v) {
      return ByteBuffer.wrap(v).order(HOST).getShort() & 0xffff;
    }

    static int u32(byte[] v) {
      return ByteBuffer.wrap(v).order(HOST).getInt();
    }

    static int optionalU32(java.util.Map<Integer, byte[]> a, int type, int absent)
        throws Malformed {
      return a.containsKey(type) ? u32(need(a, type, 4)) : absent;
    }

    static String string(byte[] v) {
      int end = 0;
      while (end < v.length && v[end] != 0) {
        end++;
      }
      return new String(v, 0, end, StandardCharsets.UTF_8);
    }

    static InetAddress address(int family, byte[] v) throws Malformed {
      int n = family == 10 ? 16 : 4;
      if (v.length < n) {
        throw new Malformed();
      }
      try {
        return InetAddress.getByAddress(Arrays.copyOf(v, n));
      } catch (java.net.UnknownHostException e) {
        throw new Malformed();
      }
    }

    static IpvsService service(byte[] payload) throws Malformed {
      var s = nested(payload, 1);
      int family = u16(need(s, 1, 2));
      int fwmark = optionalU32(s, 5, 0);
      IpvsServiceKey key;
      if (fwmark != 0) {
        key = IpvsServiceKey.ofFwmark(family, fwmark);
      } else {
        int protocol = u16(need(s, 2, 2));
        IpvsProtocol p =
            Arrays.stream(IpvsProtocol.values())
                .filter(x -> x.value() == protocol)
                .findFirst()
                .orElseThrow(Malformed::new);
        InetAddress address = address(family, need(s, 3, 0));
        byte[] port = need(s, 4, 2);
        key = new IpvsServiceKey(family, p, address, ((port[0] & 0xff) << 8) | (port[1] & 0xff), 0);
      }
      String scheduler = string(need(s, 6, 0));
      String engine = s.containsKey(11) ? string(s.get(11)) : null;
      int flags = u32(need(s, 7, 4));
      int timeout = optionalU32(s, 8, 0);
      byte[] mask = need(s, 9, 4);
      int prefix = family == 10 ? u32(mask) : Integer.bitCount(ByteBuffer.wrap(mask).getInt());
      boolean persistent = (flags & 0x0001) != 0;
      return new IpvsService(
          key, scheduler, flags & ~0x0003, persistent ? timeout : 0, prefix, engine);
    }

    static IpvsDestination destination(byte[] payload) throws Malformed {
      var d = nested(payload, 2);
      int family = d.containsKey(11) ? u16(need(d, 11, 2)) : 2;
      InetAddress address = address(family, need(d, 1, 0));
      byte[] port = need(d, 2, 2);
      int method = u32(need(d, 3, 4)) & 0x0007;
      ForwardingMethod forwarding =
          Arrays.stream(ForwardingMethod.values())
              .filter(m -> m.value() == method)
              .findFirst()
              .orElseThrow(Malformed::new);
      return new IpvsDestination(
          address,
          ((port[0] & 0xff) << 8) | (port[1] & 0xff),
          forwarding,
          u32(need(d, 4, 4)),
          optionalU32(d, 5, 0),
          optionalU32(d, 6, 0));
    }
  }
}
