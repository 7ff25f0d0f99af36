package io.lvsoperator.agent.host.ffm;

import java.net.Inet4Address;

/**
 * One IPv4 packet read from a raw socket.
 *
 * @param packet the whole packet as the kernel delivered it, IPv4 header included
 * @param source the sender's address (the header's source)
 * @param destination the header's destination address (IP_PKTINFO ipi_addr)
 * @param interfaceIndex the interface it arrived on (IP_PKTINFO ipi_ifindex)
 */
public record Ipv4Packet(
    byte[] packet, Inet4Address source, Inet4Address destination, int interfaceIndex) {

  /** The IPv4 header length in bytes (IHL * 4). */
  public int headerLength() {
    return (packet[0] & 0x0f) * 4;
  }

  /** The TTL from the header (VRRP requires 255). */
  public int ttl() {
    return packet[8] & 0xff;
  }

  /** The bytes after the IPv4 header. */
  public byte[] payload() {
    return java.util.Arrays.copyOfRange(packet, headerLength(), packet.length);
  }
}
