package io.lvsoperator.agent.host.arp;

import java.net.Inet4Address;
import java.nio.ByteBuffer;

/**
 * Builds the gratuitous ARP frame a new VIP holder broadcasts: an ARP request (RFC 5227 ARP
 * announcement) whose sender and target protocol address are the VIP, from the interface's MAC to
 * the broadcast address. Pure.
 */
public final class GratuitousArp {

  public static final int FRAME_LENGTH = 42;
  static final int ETH_P_ARP = 0x0806;
  static final int ETH_P_IP = 0x0800;
  static final int ARPHRD_ETHER = 1;

  /** ARP opcodes (linux/if_arp.h). */
  public enum Operation {
    REQUEST(1),
    REPLY(2);

    private final int value;

    Operation(int value) {
      this.value = value;
    }

    public int value() {
      return value;
    }
  }

  private GratuitousArp() {}

  /** The frame announcing {@code vip} at {@code mac}. */
  public static byte[] frame(byte[] mac, Inet4Address vip, Operation operation) {
    if (mac == null || mac.length != 6) {
      throw new IllegalArgumentException(
          "gratuitous ARP for "
              + vip.getHostAddress()
              + ": MAC of "
              + (mac == null ? "null" : mac.length + " bytes")
              + " is not an Ethernet address");
    }
    byte[] ip = vip.getAddress();
    ByteBuffer b = ByteBuffer.allocate(FRAME_LENGTH);
    // Ethernet header
    b.put(new byte[] {-1, -1, -1, -1, -1, -1}).put(mac).putShort((short) ETH_P_ARP);
    // ARP: htype, ptype, hlen, plen, oper
    b.putShort((short) ARPHRD_ETHER).putShort((short) ETH_P_IP).put((byte) 6).put((byte) 4);
    b.putShort((short) operation.value());
    b.put(mac).put(ip); // sender
    // Target: unknown hardware address for a request (RFC 5227), our own for a reply.
    b.put(operation == Operation.REPLY ? mac : new byte[6]).put(ip);
    return b.array();
  }
}
