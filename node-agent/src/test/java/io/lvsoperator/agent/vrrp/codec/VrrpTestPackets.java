package io.lvsoperator.agent.vrrp.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Test support: fixtures, IPv4 framing and an independent checksum oracle. */
public final class VrrpTestPackets {
  private VrrpTestPackets() {}

  public static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex.replaceAll("\\s", ""));
  }

  public static byte[] ip(String literal) {
    return InetAddress.ofLiteral(literal).getAddress();
  }

  /**
   * The IP packets (Ethernet header stripped) in a {@code tcpdump -xx} capture stored under
   * src/test/resources/vrrp.
   */
  public static List<byte[]> capturedIpPackets(String resource) {
    String text;
    try (InputStream in = VrrpTestPackets.class.getResourceAsStream("/vrrp/" + resource)) {
      text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<byte[]> packets = new ArrayList<>();
    StringBuilder current = null;
    for (String line : text.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("0x")) {
        if (trimmed.startsWith("0x0000:")) {
          if (current != null) {
            packets.add(stripEthernet(current));
          }
          current = new StringBuilder();
        }
        String bytes = trimmed.substring(trimmed.indexOf(':') + 1).strip();
        current.append(bytes.split("\\s{2,}")[0].replace(" ", ""));
      }
    }
    if (current != null) {
      packets.add(stripEthernet(current));
    }
    return packets;
  }

  private static byte[] stripEthernet(StringBuilder hex) {
    byte[] frame = hex(hex.toString());
    byte[] packet = new byte[frame.length - 14];
    System.arraycopy(frame, 14, packet, 0, packet.length);
    return packet;
  }

  /** Frames a VRRP message in a minimal IPv4 header, with a correct header checksum. */
  public static byte[] ipv4(byte[] src, byte[] dst, int ttl, int protocol, byte[] message) {
    ByteBuffer b = ByteBuffer.allocate(20 + message.length);
    b.put((byte) 0x45).put((byte) 0xc0).putShort((short) (20 + message.length));
    b.putShort((short) 1).putShort((short) 0);
    b.put((byte) ttl).put((byte) protocol).putShort((short) 0);
    b.put(src).put(dst).put(message);
    byte[] packet = b.array();
    int sum = 0;
    for (int i = 0; i < 20; i += 2) {
      sum += ((packet[i] & 0xff) << 8) | (packet[i + 1] & 0xff);
    }
    while (sum > 0xffff) {
      sum = (sum >> 16) + (sum & 0xffff);
    }
    packet[10] = (byte) (~sum >> 8);
    packet[11] = (byte) ~sum;
    return packet;
  }

  /**
   * An independent RFC 1071 oracle: builds the byte string the checksum covers (optionally with the
   * IPv4 pseudo-header), zeroes the checksum field, sums it as 16-bit words through a ByteBuffer,
   * and folds at the end.
   */
  public static int oracleChecksum(byte[] message, byte[] src, byte[] dst, boolean pseudoHeader) {
    int pseudo = pseudoHeader ? 12 : 0;
    int length = pseudo + message.length;
    ByteBuffer b = ByteBuffer.allocate(length + (length & 1));
    if (pseudoHeader) {
      b.put(src).put(dst).put((byte) 0).put((byte) 112).putShort((short) message.length);
    }
    byte[] copy = message.clone();
    copy[6] = 0;
    copy[7] = 0;
    b.put(copy);
    b.flip();
    int sum = 0;
    while (b.remaining() >= 2) {
      sum += Short.toUnsignedInt(b.getShort());
    }
    if (b.hasRemaining()) {
      sum += (b.get() & 0xff) << 8;
    }
    while (sum > 0xffff) {
      sum = (sum >> 16) + (sum & 0xffff);
    }
    return 0xffff - sum;
  }
}
