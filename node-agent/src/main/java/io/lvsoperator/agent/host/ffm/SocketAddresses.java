package io.lvsoperator.agent.host.ffm;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** struct sockaddr_in building and address conversions. */
final class SocketAddresses {

  private SocketAddresses() {}

  /** struct sockaddr_in { sa_family_t; in_port_t (big-endian); in_addr; zero[8] }, port 0. */
  static MemorySegment sockaddrIn(Arena arena, Inet4Address address) {
    MemorySegment sockaddr = arena.allocate(16, 4);
    sockaddr.set(JAVA_SHORT, 0, (short) Libc.AF_INET);
    MemorySegment.copy(address.getAddress(), 0, sockaddr, JAVA_BYTE, 4, 4);
    return sockaddr;
  }

  static Inet4Address inet4(byte[] bytes) {
    try {
      return (Inet4Address) InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IPv4 address: " + bytes.length + " bytes", e);
    }
  }
}
