package io.lvsoperator.agent.vrrp.codec;

import static io.lvsoperator.agent.vrrp.codec.VrrpTestPackets.ip;
import static io.lvsoperator.agent.vrrp.codec.VrrpTestPackets.ipv4;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class VrrpPacketInspectorTest {
  private static final byte[] PEER = ip("172.20.1.1");
  private static final byte[] SELF = ip("172.20.1.2");
  private static final byte[] GROUP = ip("224.0.0.18");
  private static final List<InetAddress> VIP = List.of(InetAddress.ofLiteral("172.20.1.100"));

  private static final ReceiveExpectation V2_PASS =
      new ReceiveExpectation(
          VrrpVersion.V2, 51, 100, VrrpAuthType.SIMPLE_TEXT_PASSWORD, "1111", VIP, List.of());
  private static final ReceiveExpectation V3 =
      new ReceiveExpectation(VrrpVersion.V3, 51, 100, VrrpAuthType.NONE, null, VIP, List.of());

  private final ReceivedAdvert out = new ReceivedAdvert();

  private ReceiveVerdict inspect(byte[] packet, ReceiveExpectation expectation) {
    return VrrpPacketInspector.inspect(
        packet,
        packet.length,
        vrid -> vrid == expectation.virtualRouterId() ? expectation : null,
        SELF,
        out);
  }

  private static byte[] packet(VrrpAdvertisement advert, int ttl) {
    return ipv4(PEER, GROUP, ttl, 112, VrrpCodec.encode(advert, PEER, GROUP));
  }

  /** {@code advert} as {@code source} sends it to {@code destination}, TTL 255. */
  private static byte[] from(byte[] source, byte[] destination, VrrpAdvertisement advert) {
    return ipv4(source, destination, 255, 112, VrrpCodec.encode(advert, source, destination));
  }

  private static VrrpAdvertisement v2(int vrid, int prio, int centis, String pass) {
    return new VrrpAdvertisement(
        VrrpVersion.V2,
        vrid,
        prio,
        centis,
        pass == null ? VrrpAuthType.NONE : VrrpAuthType.SIMPLE_TEXT_PASSWORD,
        pass,
        VIP);
  }

  private static VrrpAdvertisement v3(int prio, int centis, List<InetAddress> addrs) {
    return new VrrpAdvertisement(VrrpVersion.V3, 51, prio, centis, null, null, addrs);
  }

  @Test
  void acceptsEveryCapturedKeepalivedAdvert() {
    for (byte[] p : VrrpTestPackets.capturedIpPackets("keepalived-2.2.7-v2-pass.tcpdump.txt")) {
      assertThat(inspect(p, V2_PASS)).isEqualTo(ReceiveVerdict.ACCEPTED);
      assertThat(out.version()).isEqualTo(VrrpVersion.V2);
      assertThat(out.virtualRouterId()).isEqualTo(51);
      assertThat(out.priority()).isIn(100, 0);
      assertThat(out.advertIntervalCentis()).isEqualTo(100);
      assertThat(out.source()).isEqualTo(PEER);
    }
    for (byte[] p : VrrpTestPackets.capturedIpPackets("keepalived-2.2.7-v3.tcpdump.txt")) {
      assertThat(inspect(p, V3)).isEqualTo(ReceiveVerdict.ACCEPTED);
      assertThat(out.version()).isEqualTo(VrrpVersion.V3);
      assertThat(out.compareSourceTo(SELF)).isNegative();
    }
  }

  @Test
  void dropsAPacketThatCrossedARouter() {
    assertThat(inspect(packet(v3(100, 100, VIP), 254), V3)).isEqualTo(ReceiveVerdict.BAD_TTL);
    assertThat(inspect(packet(v3(100, 100, VIP), 1), V3)).isEqualTo(ReceiveVerdict.BAD_TTL);
  }

  @Test
  void everyTruncationIsDroppedWithoutThrowing() {
    for (byte[] full :
        List.of(packet(v2(51, 100, 100, "1111"), 255), packet(v3(100, 100, VIP), 255))) {
      for (int length = 0; length < full.length; length++) {
        ReceiveVerdict verdict = VrrpPacketInspector.inspect(full, length, vrid -> V3, SELF, out);
        assertThat(verdict).as("length %d", length).isEqualTo(ReceiveVerdict.TRUNCATED);
      }
    }
    // An IP total length that covers only part of the VRRP header.
    byte[] p = packet(v3(100, 100, VIP), 255);
    p[3] = 24;
    assertThat(inspect(p, V3)).isEqualTo(ReceiveVerdict.TRUNCATED);
    assertThat(VrrpPacketInspector.inspect(null, 0, vrid -> V3, SELF, out))
        .isEqualTo(ReceiveVerdict.TRUNCATED);
  }

  @Test
  void dropsBadChecksums() {
    byte[] p = packet(v3(100, 100, VIP), 255);
    p[20 + 11] ^= 0x01;
    assertThat(inspect(p, V3)).isEqualTo(ReceiveVerdict.BAD_CHECKSUM);

    // A v3 checksum computed like v2 (no pseudo-header) is wrong for v3.
    byte[] m = VrrpCodec.encode(v3(100, 100, VIP), PEER, GROUP);
    int v2Style = VrrpTestPackets.oracleChecksum(m, null, null, false);
    m[6] = (byte) (v2Style >>> 8);
    m[7] = (byte) v2Style;
    assertThat(inspect(ipv4(PEER, GROUP, 255, 112, m), V3)).isEqualTo(ReceiveVerdict.BAD_CHECKSUM);

    // The v3 pseudo-header binds the destination: a packet checksummed for another is dropped.
    byte[] forOther = VrrpCodec.encode(v3(100, 100, VIP), PEER, ip("172.20.1.3"));
    assertThat(inspect(ipv4(PEER, GROUP, 255, 112, forOther), V3))
        .isEqualTo(ReceiveVerdict.BAD_CHECKSUM);
  }

  @Test
  void dropsWrongPasswordsAndAuthTypes() {
    assertThat(inspect(packet(v2(51, 100, 100, "1112"), 255), V2_PASS))
        .isEqualTo(ReceiveVerdict.AUTH_FAILED);
    assertThat(inspect(packet(v2(51, 100, 100, "11111"), 255), V2_PASS))
        .as("a longer password that shares the prefix")
        .isEqualTo(ReceiveVerdict.AUTH_FAILED);
    assertThat(inspect(packet(v2(51, 100, 100, null), 255), V2_PASS))
        .isEqualTo(ReceiveVerdict.AUTH_TYPE_MISMATCH);
    ReceiveExpectation none =
        new ReceiveExpectation(VrrpVersion.V2, 51, 100, VrrpAuthType.NONE, null, VIP, List.of());
    assertThat(inspect(packet(v2(51, 100, 100, "1111"), 255), none))
        .isEqualTo(ReceiveVerdict.AUTH_TYPE_MISMATCH);
    assertThat(inspect(packet(v2(51, 100, 100, null), 255), none))
        .isEqualTo(ReceiveVerdict.ACCEPTED);
  }

  @Test
  void aUnicastRouterDropsAdvertsFromAnyoneButItsPeersBeforeCheckingThePassword() {
    ReceiveExpectation unicast =
        new ReceiveExpectation(
            VrrpVersion.V2,
            51,
            100,
            VrrpAuthType.SIMPLE_TEXT_PASSWORD,
            "1111",
            VIP,
            List.of(InetAddress.ofLiteral("172.20.1.1")));
    byte[] stranger = ip("172.20.1.9");

    assertThat(inspect(packet(v2(51, 254, 100, "1111"), 255), unicast))
        .as("from the peer 172.20.1.1")
        .isEqualTo(ReceiveVerdict.ACCEPTED);
    assertThat(inspect(from(stranger, SELF, v2(51, 254, 100, "1111")), unicast))
        .isEqualTo(ReceiveVerdict.UNKNOWN_SOURCE);
    assertThat(inspect(from(stranger, GROUP, v2(51, 254, 100, "guess")), unicast))
        .as("a stranger learns nothing of the password")
        .isEqualTo(ReceiveVerdict.UNKNOWN_SOURCE);
    assertThat(inspect(from(stranger, GROUP, v2(51, 254, 100, "1111")), V2_PASS))
        .as("without unicast peers any source counts")
        .isEqualTo(ReceiveVerdict.ACCEPTED);
  }

  @Test
  void dropsHugeAndInconsistentAddressCounts() {
    byte[] p = packet(v3(100, 100, VIP), 255);
    p[20 + 3] = (byte) 255;
    assertThat(inspect(p, V3)).isEqualTo(ReceiveVerdict.BAD_ADDRESS_COUNT);
    p[20 + 3] = 0;
    assertThat(inspect(p, V3)).isEqualTo(ReceiveVerdict.BAD_ADDRESS_COUNT);
    byte[] v2 = packet(v2(51, 100, 100, "1111"), 255);
    v2[20 + 3] = 2;
    assertThat(inspect(v2, V2_PASS)).isEqualTo(ReceiveVerdict.BAD_ADDRESS_COUNT);
  }

  @Test
  void dropsOtherVridsVersionsAndTypes() {
    assertThat(inspect(packet(v2(52, 100, 100, "1111"), 255), V2_PASS))
        .isEqualTo(ReceiveVerdict.WRONG_VRID);
    assertThat(inspect(packet(v2(51, 100, 100, "1111"), 255), V3))
        .isEqualTo(ReceiveVerdict.BAD_VERSION);
    assertThat(inspect(packet(v3(100, 100, VIP), 255), V2_PASS))
        .isEqualTo(ReceiveVerdict.BAD_VERSION);
    byte[] p = packet(v3(100, 100, VIP), 255);
    p[20] = 0x41;
    assertThat(inspect(p, V3)).isEqualTo(ReceiveVerdict.BAD_VERSION);
    p[20] = 0x32;
    assertThat(inspect(p, V3)).isEqualTo(ReceiveVerdict.BAD_TYPE);
    byte[] udp = ipv4(PEER, GROUP, 255, 17, VrrpCodec.encode(v3(100, 100, VIP), PEER, GROUP));
    assertThat(inspect(udp, V3)).isEqualTo(ReceiveVerdict.NOT_VRRP);
    byte[] v6 = packet(v3(100, 100, VIP), 255);
    v6[0] = 0x60;
    assertThat(inspect(v6, V3)).isEqualTo(ReceiveVerdict.NOT_VRRP);
  }

  @Test
  void v2DropsAnotherIntervalWhileV3LearnsIt() {
    assertThat(inspect(packet(v2(51, 100, 200, "1111"), 255), V2_PASS))
        .isEqualTo(ReceiveVerdict.INTERVAL_MISMATCH);
    assertThat(inspect(packet(v3(100, 35, VIP), 255), V3)).isEqualTo(ReceiveVerdict.ACCEPTED);
    assertThat(out.advertIntervalCentis()).isEqualTo(35);
    byte[] zero = VrrpCodec.encode(v3(100, 1, VIP), PEER, GROUP);
    zero[5] = 0;
    int sum = VrrpTestPackets.oracleChecksum(zero, PEER, GROUP, true);
    zero[6] = (byte) (sum >>> 8);
    zero[7] = (byte) sum;
    assertThat(inspect(ipv4(PEER, GROUP, 255, 112, zero), V3))
        .isEqualTo(ReceiveVerdict.BAD_INTERVAL);
  }

  @Test
  void addressListMustMatchUnlessTheSenderOwnsIt() {
    List<InetAddress> other = List.of(InetAddress.ofLiteral("172.20.1.101"));
    assertThat(inspect(packet(v3(100, 100, other), 255), V3))
        .isEqualTo(ReceiveVerdict.ADDRESS_LIST_MISMATCH);
    assertThat(inspect(packet(v3(255, 100, other), 255), V3)).isEqualTo(ReceiveVerdict.ACCEPTED);
    assertThat(out.addressListMismatch()).isTrue();

    List<InetAddress> two =
        List.of(InetAddress.ofLiteral("10.0.0.1"), InetAddress.ofLiteral("10.0.0.2"));
    ReceiveExpectation both =
        new ReceiveExpectation(VrrpVersion.V3, 51, 100, VrrpAuthType.NONE, null, two, List.of());
    assertThat(inspect(packet(v3(100, 100, two.reversed()), 255), both))
        .as("order does not matter")
        .isEqualTo(ReceiveVerdict.ACCEPTED);
    assertThat(out.addressListMismatch()).isFalse();
    assertThat(inspect(packet(v3(100, 100, List.of(two.get(0), two.get(0))), 255), both))
        .isEqualTo(ReceiveVerdict.ACCEPTED)
        .as("duplicates are the same set; harmless");
  }

  @Test
  void dropsOurOwnLoopedAdvert() {
    byte[] m = VrrpCodec.encode(v3(100, 100, VIP), SELF, GROUP);
    assertThat(inspect(ipv4(SELF, GROUP, 255, 112, m), V3)).isEqualTo(ReceiveVerdict.OWN_ADVERT);
  }
}
