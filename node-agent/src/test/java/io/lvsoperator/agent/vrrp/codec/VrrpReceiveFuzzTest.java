package io.lvsoperator.agent.vrrp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Differential fuzzing of the receive checks: a million packets, most of them valid adverts of four
 * configured virtual routers with one to three fields changed and the lengths and the checksum made
 * right again, so that the deep checks (VRID, source, authentication, interval, address list) are
 * reached, not only the checksum. Each verdict is compared with {@link Reference}, a second and
 * plainer reading of the rules of RFC 5798 / 3768 section 7.1 in the order docs/vrrp.md gives;
 * accepted adverts must also agree on their fields.
 */
class VrrpReceiveFuzzTest {
  private static final int INPUTS = 1_000_000;
  private static final byte[] SELF = VrrpTestPackets.ip("172.20.1.2");
  private static final byte[] PEER = VrrpTestPackets.ip("172.20.1.1");
  private static final byte[] GROUP = VrrpTestPackets.ip("224.0.0.18");
  private static final byte[][] SOURCES = {
    PEER, SELF, VrrpTestPackets.ip("172.20.1.9"), VrrpTestPackets.ip("10.0.0.1")
  };
  private static final byte[][] ADDRESSES = {
    VrrpTestPackets.ip("172.20.1.100"),
    VrrpTestPackets.ip("172.20.1.101"),
    VrrpTestPackets.ip("172.20.1.102"),
    VrrpTestPackets.ip("10.9.9.9")
  };

  /** One configured virtual router, as the reference sees it. */
  record Router(
      int vrid,
      int version,
      int centis,
      int authType,
      byte[] auth,
      List<byte[]> vips,
      List<byte[]> peers) {}

  private static final List<Router> ROUTERS =
      List.of(
          new Router(51, 3, 100, 0, null, List.of(ADDRESSES[0], ADDRESSES[1]), List.of()),
          new Router(52, 2, 100, 1, "1111".getBytes(), List.of(ADDRESSES[0]), List.of()),
          new Router(53, 3, 10, 0, null, List.of(ADDRESSES[2]), List.of(PEER)),
          new Router(54, 2, 300, 0, null, List.of(ADDRESSES[1]), List.of(PEER)));

  private static ReceiveExpectation expectation(Router r) {
    return new ReceiveExpectation(
        r.version() == 2 ? VrrpVersion.V2 : VrrpVersion.V3,
        r.vrid(),
        r.centis(),
        r.authType() == 1 ? VrrpAuthType.SIMPLE_TEXT_PASSWORD : VrrpAuthType.NONE,
        r.auth() == null ? null : new String(r.auth()),
        r.vips().stream().map(VrrpReceiveFuzzTest::address).toList(),
        r.peers().stream().map(VrrpReceiveFuzzTest::address).toList());
  }

  private static InetAddress address(byte[] raw) {
    try {
      return InetAddress.getByAddress(raw);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** The fields of one advert on the wire, which the mutations change. */
  static final class Fields {
    int ihl = 5;
    int ttl = 255;
    int protocol = 112;
    byte[] src = PEER;
    byte[] dst = GROUP;
    int version;
    int type = 1;
    int vrid;
    int priority = 100;
    int count = -1; // -1: the number of addresses
    int intervalHigh; // v3: the top 4 bits are reserved, v2: the auth type
    int intervalLow;
    List<byte[]> addresses = new ArrayList<>();
    byte[] auth = new byte[8];
    boolean fixChecksum = true;
    int extraLength; // bytes after the message that the IP total length does not cover
    int lengthDelta; // IP total length minus the true length (negative: cut short)

    byte[] encode() {
      int headerLength = ihl * 4;
      int messageLength = 8 + 4 * addresses.size() + (version == 2 ? 8 : 0);
      ByteBuffer m = ByteBuffer.allocate(messageLength);
      m.put((byte) ((version << 4) | (type & 0x0f)));
      m.put((byte) vrid).put((byte) priority);
      m.put((byte) (count < 0 ? addresses.size() : count));
      m.put((byte) intervalHigh).put((byte) intervalLow).putShort((short) 0);
      addresses.forEach(m::put);
      if (version == 2) {
        m.put(auth);
      }
      byte[] message = m.array();
      if (fixChecksum) {
        int c = VrrpTestPackets.oracleChecksum(message, src, dst, version == 3);
        message[6] = (byte) (c >>> 8);
        message[7] = (byte) c;
      }
      int total = headerLength + messageLength + lengthDelta;
      int at = Math.max(headerLength, 20); // an IHL below 5 is refused before the message is read
      ByteBuffer p = ByteBuffer.allocate(at + messageLength + extraLength);
      p.put((byte) (0x40 | (ihl & 0x0f))).put((byte) 0xc0).putShort((short) total);
      p.putShort((short) 1).putShort((short) 0);
      p.put((byte) ttl).put((byte) protocol).putShort((short) 0);
      p.put(src).put(dst);
      p.position(at);
      p.put(message);
      return p.array();
    }
  }

  private static Fields valid(Router r) {
    Fields f = new Fields();
    f.version = r.version();
    f.vrid = r.vrid();
    if (r.version() == 3) {
      f.intervalHigh = r.centis() >>> 8;
      f.intervalLow = r.centis() & 0xff;
    } else {
      f.intervalHigh = r.authType();
      f.intervalLow = r.centis() / 100;
      if (r.auth() != null) {
        System.arraycopy(r.auth(), 0, f.auth, 0, r.auth().length);
      }
    }
    f.addresses.addAll(r.vips());
    return f;
  }

  /** One random change of one field. */
  private static void mutate(Fields f, Random random) {
    switch (random.nextInt(17)) {
      case 0 -> f.ttl = random.nextBoolean() ? 254 : random.nextInt(256);
      case 1 -> f.protocol = random.nextBoolean() ? 111 : random.nextInt(256);
      case 2 -> f.src = SOURCES[random.nextInt(SOURCES.length)];
      case 3 -> f.version = random.nextInt(4) == 0 ? random.nextInt(16) : 2 + random.nextInt(2);
      case 4 -> f.type = random.nextInt(3);
      case 5 -> f.vrid = random.nextBoolean() ? 51 + random.nextInt(5) : random.nextInt(256);
      case 6 -> f.priority = new int[] {0, 1, 100, 254, 255}[random.nextInt(5)];
      case 7 -> f.count = random.nextInt(6);
      case 8 -> f.intervalHigh = random.nextInt(3) == 0 ? random.nextInt(256) : random.nextInt(3);
      case 9 -> f.intervalLow = new int[] {0, 1, 3, 10, 100, 255}[random.nextInt(6)];
      case 10 -> f.auth[random.nextInt(8)] = (byte) ('0' + random.nextInt(3));
      case 11 -> f.addresses.set(random.nextInt(f.addresses.size()), ADDRESSES[random.nextInt(4)]);
      case 12 -> {
        if (random.nextBoolean() || f.addresses.size() < 2) {
          f.addresses.add(ADDRESSES[random.nextInt(4)]);
        } else {
          f.addresses.remove(random.nextInt(f.addresses.size()));
        }
      }
      case 13 -> f.fixChecksum = random.nextInt(4) != 0;
      case 14 -> f.ihl = random.nextInt(4) == 0 ? random.nextInt(16) : 5 + random.nextInt(3);
      case 15 -> f.lengthDelta = random.nextInt(13) - 8;
      default -> {
        f.extraLength = random.nextInt(9);
        f.dst = random.nextBoolean() ? SELF : GROUP;
      }
    }
  }

  @Test
  void mutatedAdvertsGetTheVerdictOfAnIndependentReadingOfTheRules() {
    Map<Integer, ReceiveExpectation> byVrid = new java.util.HashMap<>();
    Map<Integer, Router> routers = new java.util.HashMap<>();
    for (Router r : ROUTERS) {
      byVrid.put(r.vrid(), expectation(r));
      routers.put(r.vrid(), r);
    }
    Random random = new Random(5798_3768L);
    ReceivedAdvert out = new ReceivedAdvert();
    Map<ReceiveVerdict, Integer> seen = new EnumMap<>(ReceiveVerdict.class);
    for (int i = 0; i < INPUTS; i++) {
      Fields f = valid(ROUTERS.get(random.nextInt(ROUTERS.size())));
      int changes = i % 10 == 0 ? 0 : 1 + random.nextInt(3);
      for (int c = 0; c < changes; c++) {
        mutate(f, random);
      }
      byte[] packet;
      int length;
      if (i % 50 == 49) { // now and then bytes with no structure at all
        packet = new byte[random.nextInt(80)];
        random.nextBytes(packet);
        length = packet.length;
      } else {
        packet = f.encode();
        length = random.nextInt(20) == 0 ? random.nextInt(packet.length + 1) : packet.length;
      }

      ReceiveVerdict actual = VrrpPacketInspector.inspect(packet, length, byVrid::get, SELF, out);
      Reference.Result expected = Reference.check(packet, length, routers, SELF);

      assertThat(actual)
          .as("input %d: %s", i, java.util.HexFormat.of().formatHex(packet, 0, length))
          .isEqualTo(expected.verdict());
      if (actual == ReceiveVerdict.ACCEPTED) {
        assertThat(out.virtualRouterId()).isEqualTo(expected.vrid());
        assertThat(out.priority()).isEqualTo(expected.priority());
        assertThat(out.advertIntervalCentis()).isEqualTo(expected.centis());
        assertThat(out.addressListMismatch()).isEqualTo(expected.addressListMismatch());
      }
      seen.merge(actual, 1, Integer::sum);
    }
    System.out.println("vrrp-fuzz verdicts of " + INPUTS + " inputs: " + seen);
    // Every check was reached, the deep ones many times over.
    for (ReceiveVerdict v : ReceiveVerdict.values()) {
      if (v != ReceiveVerdict.NOT_STARTED) {
        assertThat(seen.getOrDefault(v, 0)).as(v.toString()).isGreaterThan(1000);
      }
    }
  }

  /** The receive rules once more, written plainly from the documentation, without the codec. */
  static final class Reference {
    record Result(
        ReceiveVerdict verdict, int vrid, int priority, int centis, boolean addressListMismatch) {
      static Result of(ReceiveVerdict v) {
        return new Result(v, -1, -1, -1, false);
      }
    }

    static Result check(byte[] bytes, int length, Map<Integer, Router> routers, byte[] self) {
      if (length < 20) {
        return Result.of(ReceiveVerdict.TRUNCATED);
      }
      ByteBuffer ip = ByteBuffer.wrap(bytes, 0, length);
      int first = ip.get(0) & 0xff;
      if (first >>> 4 != 4) {
        return Result.of(ReceiveVerdict.NOT_VRRP);
      }
      int headerLength = (first & 0x0f) * 4;
      int total = ip.getShort(2) & 0xffff;
      if (headerLength < 20 || total < headerLength || total > length) {
        return Result.of(ReceiveVerdict.TRUNCATED);
      }
      if ((ip.get(9) & 0xff) != 112) {
        return Result.of(ReceiveVerdict.NOT_VRRP);
      }
      if ((ip.get(8) & 0xff) != 255) {
        return Result.of(ReceiveVerdict.BAD_TTL);
      }
      byte[] src = Arrays.copyOfRange(bytes, 12, 16);
      byte[] dst = Arrays.copyOfRange(bytes, 16, 20);
      byte[] message = Arrays.copyOfRange(bytes, headerLength, total);
      if (message.length < 8) {
        return Result.of(ReceiveVerdict.TRUNCATED);
      }
      int version = (message[0] & 0xff) >>> 4;
      if (version != 2 && version != 3) {
        return Result.of(ReceiveVerdict.BAD_VERSION);
      }
      if ((message[0] & 0x0f) != 1) {
        return Result.of(ReceiveVerdict.BAD_TYPE);
      }
      int count = message[3] & 0xff;
      if (message.length != 8 + 4 * count + (version == 2 ? 8 : 0)) {
        return Result.of(ReceiveVerdict.BAD_ADDRESS_COUNT);
      }
      int onWire = ((message[6] & 0xff) << 8) | (message[7] & 0xff);
      if (VrrpTestPackets.oracleChecksum(message, src, dst, version == 3) != onWire) {
        return Result.of(ReceiveVerdict.BAD_CHECKSUM);
      }
      int vrid = message[1] & 0xff;
      int priority = message[2] & 0xff;
      int centis =
          version == 3
              ? ((message[4] & 0x0f) << 8) | (message[5] & 0xff)
              : (message[5] & 0xff) * 100;
      if (Arrays.equals(src, self)) {
        return Result.of(ReceiveVerdict.OWN_ADVERT);
      }
      Router r = routers.get(vrid);
      if (r == null) {
        return Result.of(ReceiveVerdict.WRONG_VRID);
      }
      if (r.version() != version) {
        return Result.of(ReceiveVerdict.BAD_VERSION);
      }
      if (!r.peers().isEmpty() && r.peers().stream().noneMatch(p -> Arrays.equals(p, src))) {
        return Result.of(ReceiveVerdict.UNKNOWN_SOURCE);
      }
      if (version == 2) {
        if ((message[4] & 0xff) != r.authType()) {
          return Result.of(ReceiveVerdict.AUTH_TYPE_MISMATCH);
        }
        byte[] auth = Arrays.copyOfRange(message, message.length - 8, message.length);
        if (r.authType() == 1 && !Arrays.equals(auth, Arrays.copyOf(r.auth(), 8))) {
          return Result.of(ReceiveVerdict.AUTH_FAILED);
        }
        if (centis != r.centis()) {
          return Result.of(ReceiveVerdict.INTERVAL_MISMATCH);
        }
      } else if (centis == 0) {
        return Result.of(ReceiveVerdict.BAD_INTERVAL);
      }
      Set<String> theirs = new HashSet<>();
      for (int a = 0; a < count; a++) {
        theirs.add(Arrays.toString(Arrays.copyOfRange(message, 8 + 4 * a, 12 + 4 * a)));
      }
      Set<String> ours = new HashSet<>();
      r.vips().forEach(v -> ours.add(Arrays.toString(v)));
      boolean mismatch = count != r.vips().size() || !ours.containsAll(theirs);
      if (mismatch && priority != 255) {
        return Result.of(ReceiveVerdict.ADDRESS_LIST_MISMATCH);
      }
      return new Result(ReceiveVerdict.ACCEPTED, vrid, priority, centis, mismatch);
    }
  }
}
