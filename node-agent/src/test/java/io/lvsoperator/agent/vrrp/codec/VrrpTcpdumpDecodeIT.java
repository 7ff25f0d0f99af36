package io.lvsoperator.agent.vrrp.codec;

import static io.lvsoperator.agent.vrrp.codec.VrrpTestPackets.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tcpdump as an independent oracle: our encoded adverts, written to a pcap file, must decode
 * cleanly with {@code tcpdump -vv}, which verifies the v2 checksum and the v3 pseudo-header
 * checksum itself.
 */
class VrrpTcpdumpDecodeIT {
  private static final byte[] SRC = ip("172.20.1.1");
  private static final byte[] GROUP = ip("224.0.0.18");
  private static final List<InetAddress> VIPS =
      List.of(InetAddress.ofLiteral("172.20.1.100"), InetAddress.ofLiteral("172.20.1.101"));

  @TempDir Path dir;

  private static boolean tcpdumpPresent() {
    return Files.isExecutable(Path.of("/usr/bin/tcpdump"))
        || Files.isExecutable(Path.of("/usr/sbin/tcpdump"));
  }

  /** A pcap file (LINKTYPE_RAW: bare IPv4 packets) holding {@code packets}. */
  private Path pcap(List<byte[]> packets) throws IOException {
    int size = 24 + packets.stream().mapToInt(p -> 16 + p.length).sum();
    ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0);
    b.putInt(65535).putInt(101);
    int t = 0;
    for (byte[] p : packets) {
      b.putInt(1_700_000_000 + t++).putInt(0).putInt(p.length).putInt(p.length).put(p);
    }
    Path file = dir.resolve("vrrp.pcap");
    Files.write(file, b.array());
    return file;
  }

  private String tcpdump(Path file) throws Exception {
    Process p =
        new ProcessBuilder("tcpdump", "-n", "-vv", "-r", file.toString())
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  private static byte[] framed(VrrpAdvertisement advert) {
    return VrrpTestPackets.ipv4(SRC, GROUP, 255, 112, VrrpCodec.encode(advert, SRC, GROUP));
  }

  @Test
  void tcpdumpDecodesOurAdvertsCleanly() throws Exception {
    assumeTrue(tcpdumpPresent(), "tcpdump is not installed (apt-get install tcpdump)");
    String out =
        tcpdump(
            pcap(
                List.of(
                    framed(new VrrpAdvertisement(VrrpVersion.V3, 51, 100, 100, null, null, VIPS)),
                    framed(new VrrpAdvertisement(VrrpVersion.V3, 200, 0, 4095, null, null, VIPS)),
                    framed(
                        new VrrpAdvertisement(
                            VrrpVersion.V2,
                            51,
                            100,
                            100,
                            VrrpAuthType.SIMPLE_TEXT_PASSWORD,
                            "1111",
                            VIPS)))));
    assertThat(out)
        .contains(
            "172.20.1.1 > 224.0.0.18: VRRPv3, Advertisement, vrid 51, prio 100, intvl 100cs,"
                + " length 16, addrs(2): 172.20.1.100,172.20.1.101")
        .contains("VRRPv3, Advertisement, vrid 200, prio 0, intvl 4095cs")
        .contains(
            "VRRPv2, Advertisement, vrid 51, prio 100, authtype simple, intvl 1s, length 24,"
                + " addrs(2): 172.20.1.100,172.20.1.101 auth \"1111\"")
        .doesNotContain("bad")
        .doesNotContain("[|vrrp]");
  }

  @Test
  void tcpdumpFlagsACorruptedChecksumSoTheOracleCanFail() throws Exception {
    assumeTrue(tcpdumpPresent(), "tcpdump is not installed (apt-get install tcpdump)");
    byte[] v3 = framed(new VrrpAdvertisement(VrrpVersion.V3, 51, 100, 100, null, null, VIPS));
    v3[27] ^= 0x10;
    byte[] v2 =
        framed(
            new VrrpAdvertisement(
                VrrpVersion.V2, 51, 100, 100, VrrpAuthType.SIMPLE_TEXT_PASSWORD, "1111", VIPS));
    v2[27] ^= 0x10;
    String out = tcpdump(pcap(List.of(v3, v2)));
    assertThat(out.split("bad vrrp cksum", -1)).hasSize(3);
  }
}
