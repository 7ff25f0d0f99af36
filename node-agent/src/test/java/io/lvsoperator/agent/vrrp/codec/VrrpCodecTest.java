package io.lvsoperator.agent.vrrp.codec;

import static io.lvsoperator.agent.vrrp.codec.VrrpTestPackets.hex;
import static io.lvsoperator.agent.vrrp.codec.VrrpTestPackets.ip;
import static io.lvsoperator.agent.vrrp.codec.VrrpTestPackets.oracleChecksum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class VrrpCodecTest {
  private static final byte[] SRC = ip("172.20.1.1");
  private static final byte[] GROUP = ip("224.0.0.18");
  private static final List<InetAddress> VIP = List.of(InetAddress.ofLiteral("172.20.1.100"));

  /** VRRP part of keepalived 2.2.7's v3 advert (vrid 51, prio 100, 1 s) from our capture. */
  private static final String KEEPALIVED_V3 = "3133 6401 0064 2f4a ac14 0164";

  /** VRRP part of keepalived 2.2.7's v2 advert (vrid 51, prio 100, PASS "1111", 1 s). */
  private static final String KEEPALIVED_V2 = "2133 6401 0101 69ef ac14 0164 3131 3131 0000 0000";

  private static int u16(byte[] b, int at) {
    return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
  }

  @Test
  void v3AdvertIsByteForByteWhatKeepalivedSends() {
    VrrpAdvertisement advert = new VrrpAdvertisement(VrrpVersion.V3, 51, 100, 100, null, null, VIP);
    byte[] m = VrrpCodec.encode(advert, SRC, GROUP);

    assertThat(m).hasSize(12);
    assertThat(m[0]).as("version 3 | type 1").isEqualTo((byte) 0x31);
    assertThat(m[1] & 0xff).as("vrid").isEqualTo(51);
    assertThat(m[2] & 0xff).as("priority").isEqualTo(100);
    assertThat(m[3] & 0xff).as("count").isEqualTo(1);
    assertThat(m[4] & 0xf0).as("reserved bits").isZero();
    assertThat(u16(m, 4)).as("max adver int, centiseconds").isEqualTo(100);
    assertThat(u16(m, 6)).as("checksum").isEqualTo(0x2f4a);
    assertThat(Arrays.copyOfRange(m, 8, 12)).as("address").isEqualTo(ip("172.20.1.100"));
    assertThat(m).isEqualTo(hex(KEEPALIVED_V3));
  }

  @Test
  void v2PassAdvertIsByteForByteWhatKeepalivedSends() {
    VrrpAdvertisement advert =
        new VrrpAdvertisement(
            VrrpVersion.V2, 51, 100, 100, VrrpAuthType.SIMPLE_TEXT_PASSWORD, "1111", VIP);
    byte[] m = VrrpCodec.encode(advert, SRC, GROUP);

    assertThat(m).hasSize(20);
    assertThat(m[0]).as("version 2 | type 1").isEqualTo((byte) 0x21);
    assertThat(m[1] & 0xff).as("vrid").isEqualTo(51);
    assertThat(m[2] & 0xff).as("priority").isEqualTo(100);
    assertThat(m[3] & 0xff).as("count").isEqualTo(1);
    assertThat(m[4] & 0xff).as("auth type PASS").isEqualTo(1);
    assertThat(m[5] & 0xff).as("adver int, seconds").isEqualTo(1);
    assertThat(u16(m, 6)).as("checksum").isEqualTo(0x69ef);
    assertThat(Arrays.copyOfRange(m, 8, 12)).as("address").isEqualTo(ip("172.20.1.100"));
    assertThat(Arrays.copyOfRange(m, 12, 20))
        .as("auth data, zero-padded")
        .isEqualTo(new byte[] {'1', '1', '1', '1', 0, 0, 0, 0});
    assertThat(m).isEqualTo(hex(KEEPALIVED_V2));
  }

  @Test
  void priorityZeroAdvertsMatchKeepalivedsStopAdverts() {
    VrrpAdvertisement v3 = new VrrpAdvertisement(VrrpVersion.V3, 51, 0, 100, null, null, VIP);
    VrrpAdvertisement v2 =
        new VrrpAdvertisement(
            VrrpVersion.V2, 51, 0, 100, VrrpAuthType.SIMPLE_TEXT_PASSWORD, "1111", VIP);
    assertThat(VrrpCodec.encode(v3, SRC, GROUP)).isEqualTo(hex("3133 0001 0064 934a ac14 0164"));
    assertThat(VrrpCodec.encode(v2, SRC, GROUP))
        .isEqualTo(hex("2133 0001 0101 cdef ac14 0164 3131 3131 0000 0000"));
  }

  @Test
  void everyCapturedKeepalivedPacketVerifiesAgainstTheIndependentOracle() {
    for (String file :
        List.of("keepalived-2.2.7-v2-pass.tcpdump.txt", "keepalived-2.2.7-v3.tcpdump.txt")) {
      List<byte[]> packets = VrrpTestPackets.capturedIpPackets(file);
      assertThat(packets).as(file).hasSizeGreaterThanOrEqualTo(2);
      for (byte[] p : packets) {
        byte[] src = Arrays.copyOfRange(p, 12, 16);
        byte[] dst = Arrays.copyOfRange(p, 16, 20);
        byte[] m = Arrays.copyOfRange(p, 20, p.length);
        boolean v3 = (m[0] & 0xf0) == 0x30;
        assertThat(oracleChecksum(m, src, dst, v3)).as(file).isEqualTo(u16(m, 6));
        assertThat(
                VrrpCodec.checksum(v3 ? VrrpVersion.V3 : VrrpVersion.V2, m, 0, m.length, src, dst))
            .isEqualTo(u16(m, 6));
        VrrpAdvertisement decoded = VrrpCodec.decode(m, 0, m.length, src, dst);
        assertThat(VrrpCodec.encode(decoded, src, dst)).isEqualTo(m);
      }
    }
  }

  @Test
  void v3ChecksumCoversThePseudoHeaderAndV2DoesNot() {
    byte[] peer = ip("172.20.1.2");
    VrrpAdvertisement v3 = new VrrpAdvertisement(VrrpVersion.V3, 7, 200, 4095, null, null, VIP);
    byte[] multicast = VrrpCodec.encode(v3, SRC, GROUP);
    byte[] unicast = VrrpCodec.encode(v3, SRC, peer);
    assertThat(u16(multicast, 6)).isEqualTo(oracleChecksum(multicast, SRC, GROUP, true));
    assertThat(u16(unicast, 6)).isEqualTo(oracleChecksum(unicast, SRC, peer, true));
    assertThat(u16(unicast, 6)).isNotEqualTo(u16(multicast, 6));

    VrrpAdvertisement v2 =
        new VrrpAdvertisement(VrrpVersion.V2, 7, 200, 25500, VrrpAuthType.NONE, null, VIP);
    byte[] a = VrrpCodec.encode(v2, SRC, GROUP);
    byte[] b = VrrpCodec.encode(v2, SRC, peer);
    assertThat(a).isEqualTo(b);
    assertThat(u16(a, 6)).isEqualTo(oracleChecksum(a, null, null, false));
    assertThat(a[5] & 0xff).as("255 s").isEqualTo(255);
    assertThat(Arrays.copyOfRange(a, 12, 20)).as("no auth: zero").isEqualTo(new byte[8]);
  }

  @Test
  void v3IntervalIsTwelveBitsOfCentiseconds() {
    byte[] m =
        VrrpCodec.encode(
            new VrrpAdvertisement(VrrpVersion.V3, 1, 1, 4095, null, null, VIP), SRC, GROUP);
    assertThat(m[4]).isEqualTo((byte) 0x0f);
    assertThat(m[5]).isEqualTo((byte) 0xff);
    byte[] tenMs =
        VrrpCodec.encode(
            new VrrpAdvertisement(VrrpVersion.V3, 1, 1, 1, null, null, VIP), SRC, GROUP);
    assertThat(u16(tenMs, 4)).isEqualTo(1);
  }

  @Test
  void manyAddressesAreEncodedInOrderWithAChecksumTheOracleAgreesWith() {
    List<InetAddress> addrs =
        java.util.stream.IntStream.range(0, 255)
            .mapToObj(i -> InetAddress.ofLiteral("10.0." + i + "." + (255 - i)))
            .toList();
    VrrpAdvertisement advert = new VrrpAdvertisement(VrrpVersion.V3, 9, 150, 10, null, null, addrs);
    byte[] m = VrrpCodec.encode(advert, SRC, GROUP);
    assertThat(m).hasSize(8 + 255 * 4);
    assertThat(m[3] & 0xff).isEqualTo(255);
    assertThat(Arrays.copyOfRange(m, 8 + 4 * 17, 12 + 4 * 17)).isEqualTo(ip("10.0.17.238"));
    assertThat(u16(m, 6)).isEqualTo(oracleChecksum(m, SRC, GROUP, true));
    assertThat(VrrpCodec.decode(m, 0, m.length, SRC, GROUP)).isEqualTo(advert);
  }

  @Test
  void encodeIntoAnOffsetOfAReusedBuffer() {
    byte[] buf = new byte[64];
    Arrays.fill(buf, (byte) 0x5a);
    VrrpAdvertisement advert = new VrrpAdvertisement(VrrpVersion.V3, 51, 100, 100, null, null, VIP);
    int n = VrrpCodec.encode(advert, SRC, GROUP, buf, 10);
    assertThat(n).isEqualTo(12);
    assertThat(Arrays.copyOfRange(buf, 10, 22)).isEqualTo(hex(KEEPALIVED_V3));
    assertThat(buf[9]).isEqualTo((byte) 0x5a);
    assertThat(buf[22]).isEqualTo((byte) 0x5a);
    assertThatThrownBy(() -> VrrpCodec.encode(advert, SRC, GROUP, new byte[11], 0))
        .isInstanceOf(VrrpCodecException.class)
        .hasMessageContaining("buffer");
  }

  @Test
  void constructorRejectsWhatTheWireCannotCarry() {
    assertThatThrownBy(() -> new VrrpAdvertisement(VrrpVersion.V3, 0, 100, 100, null, null, VIP))
        .isInstanceOf(VrrpCodecException.class)
        .hasMessage("virtualRouterId: 0 is not in 1-255");
    assertThatThrownBy(() -> new VrrpAdvertisement(VrrpVersion.V3, 1, 256, 100, null, null, VIP))
        .hasMessage("priority: 256 is not in 0-255");
    assertThatThrownBy(() -> new VrrpAdvertisement(VrrpVersion.V3, 1, 1, 4096, null, null, VIP))
        .hasMessage("advertIntervalCentis: 4096 is not in 1-4095 (VRRPv3)");
    assertThatThrownBy(() -> new VrrpAdvertisement(VrrpVersion.V3, 1, 1, 0, null, null, VIP))
        .hasMessageContaining("advertIntervalCentis: 0");
    assertThatThrownBy(
            () ->
                new VrrpAdvertisement(
                    VrrpVersion.V3, 1, 1, 100, VrrpAuthType.SIMPLE_TEXT_PASSWORD, "x", VIP))
        .hasMessageContaining("not allowed in VRRPv3");
    assertThatThrownBy(
            () -> new VrrpAdvertisement(VrrpVersion.V2, 1, 1, 150, VrrpAuthType.NONE, null, VIP))
        .hasMessageContaining("advertIntervalCentis: 150 is not a whole number of seconds");
    assertThatThrownBy(
            () ->
                new VrrpAdvertisement(
                    VrrpVersion.V2, 1, 1, 100, VrrpAuthType.SIMPLE_TEXT_PASSWORD, "123456789", VIP))
        .hasMessageContaining("authPassword: must be 1-8");
    assertThatThrownBy(
            () ->
                new VrrpAdvertisement(
                    VrrpVersion.V2, 1, 1, 100, VrrpAuthType.IP_AUTHENTICATION_HEADER, null, VIP))
        .hasMessageContaining("IP_AUTHENTICATION_HEADER");
    assertThatThrownBy(
            () ->
                new VrrpAdvertisement(
                    VrrpVersion.V3,
                    1,
                    1,
                    100,
                    null,
                    null,
                    List.of(InetAddress.ofLiteral("10.0.0.1"), InetAddress.ofLiteral("::1"))))
        .hasMessageContaining("mixes IPv4 and IPv6");
    assertThatThrownBy(
            () ->
                new VrrpAdvertisement(
                    VrrpVersion.V2, 1, 1, 100, null, null, List.of(InetAddress.ofLiteral("::1"))))
        .hasMessageContaining("VRRPv2 carries IPv4 addresses only");
  }

  @Test
  void wireEnumsThrowOnUnknownValues() {
    assertThat(VrrpVersion.fromValue(3)).isEqualTo(VrrpVersion.V3);
    assertThat(VrrpVersion.fromValue(2).value()).isEqualTo(2);
    assertThatThrownBy(() -> VrrpVersion.fromValue(4))
        .isInstanceOf(VrrpCodecException.class)
        .hasMessage("version: 4 is not a VRRP version (2 or 3)");
    assertThat(VrrpType.fromValue(1)).isEqualTo(VrrpType.ADVERTISEMENT);
    assertThatThrownBy(() -> VrrpType.fromValue(2)).isInstanceOf(VrrpCodecException.class);
    assertThat(VrrpAuthType.fromValue(1)).isEqualTo(VrrpAuthType.SIMPLE_TEXT_PASSWORD);
    assertThatThrownBy(() -> VrrpAuthType.fromValue(3))
        .isInstanceOf(VrrpCodecException.class)
        .hasMessage("authType: 3 is not a VRRP auth type");
  }

  @Test
  void strictDecodeNamesTheFaultyField() {
    byte[] m = hex(KEEPALIVED_V3);
    m[9] ^= 1;
    assertThatThrownBy(() -> VrrpCodec.decode(m, 0, m.length, SRC, GROUP))
        .isInstanceOf(VrrpCodecException.class)
        .hasMessageStartingWith("checksum: 0x2f4a, expected");
    byte[] huge = hex(KEEPALIVED_V3);
    huge[3] = (byte) 255;
    assertThatThrownBy(() -> VrrpCodec.decode(huge, 0, huge.length, SRC, GROUP))
        .hasMessage("count: 255 addresses need 1028 bytes, the message has 12");
    assertThatThrownBy(() -> VrrpCodec.decode(new byte[7], 0, 7, SRC, GROUP))
        .hasMessageContaining("length: 7");
  }
}
