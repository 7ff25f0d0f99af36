package io.lvsoperator.agent.host.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An AF_INET SOCK_RAW socket for one IP protocol (VRRP is 112). The kernel builds the IPv4 header
 * on send; on receive the packet comes with its header, its source, and the interface it arrived on
 * (IP_PKTINFO is always on).
 */
public final class Ipv4RawSocket extends NativeSocket {

  private static final int RECEIVE_BUFFER_BYTES = 65536;
  private static final int CONTROL_BYTES = 128;

  private final int protocol;
  private final Arena arena = Arena.ofShared();
  private final MemorySegment receiveBuffer = arena.allocate(RECEIVE_BUFFER_BYTES, 8);
  private final MemorySegment receiveName = arena.allocate(16, 4);
  private final MemorySegment receiveControl = arena.allocate(CONTROL_BYTES, 8);
  private final MemorySegment receiveIovec = arena.allocate(Libc.IOVEC_SIZE, 8);
  private final MemorySegment receiveMsghdr = arena.allocate(Libc.MSGHDR_SIZE, 8);
  private final ReentrantLock receiveLock = new ReentrantLock();

  private Ipv4RawSocket(int fd, int protocol) {
    super(fd, "raw-ipv4(" + protocol + ")");
    this.protocol = protocol;
  }

  /** Opens a raw IPv4 socket for {@code protocol} (IPPROTO_VRRP = 112), with IP_PKTINFO on. */
  public static Ipv4RawSocket open(int protocol) throws NativeException {
    int fd =
        Libc.socket(
            Libc.AF_INET, Libc.SOCK_RAW, protocol, "socket(AF_INET, SOCK_RAW, " + protocol + ")");
    Ipv4RawSocket socket = new Ipv4RawSocket(fd, protocol);
    try {
      socket.setIntOption(Libc.IPPROTO_IP, Libc.IP_PKTINFO, 1, "IP_PKTINFO");
    } catch (NativeException e) {
      try {
        socket.close();
      } catch (NativeException ignored) {
        // The option error is the one to report.
      }
      throw e;
    }
    return socket;
  }

  /** The IP protocol number of this socket. */
  public int protocol() {
    return protocol;
  }

  /** TTL of unicast packets sent (IP_TTL). */
  public void setTtl(int ttl) throws NativeException {
    setIntOption(Libc.IPPROTO_IP, Libc.IP_TTL, ttl, "IP_TTL " + ttl);
  }

  /** TTL of multicast packets sent (IP_MULTICAST_TTL). */
  public void setMulticastTtl(int ttl) throws NativeException {
    setIntOption(Libc.IPPROTO_IP, Libc.IP_MULTICAST_TTL, ttl, "IP_MULTICAST_TTL " + ttl);
  }

  /** Whether our own multicast packets come back to local sockets (IP_MULTICAST_LOOP). */
  public void setMulticastLoop(boolean loop) throws NativeException {
    setIntOption(
        Libc.IPPROTO_IP, Libc.IP_MULTICAST_LOOP, loop ? 1 : 0, "IP_MULTICAST_LOOP " + loop);
  }

  /** Interface multicast packets leave by (IP_MULTICAST_IF with an ip_mreqn). */
  public void setMulticastInterface(int interfaceIndex) throws NativeException {
    setMembershipOption(
        Libc.IP_MULTICAST_IF, null, interfaceIndex, "IP_MULTICAST_IF ifindex=" + interfaceIndex);
  }

  /** Joins {@code group} on one interface (IP_ADD_MEMBERSHIP with an ip_mreqn). */
  public void joinGroup(Inet4Address group, int interfaceIndex) throws NativeException {
    setMembershipOption(
        Libc.IP_ADD_MEMBERSHIP,
        group,
        interfaceIndex,
        "IP_ADD_MEMBERSHIP " + group.getHostAddress() + " ifindex=" + interfaceIndex);
  }

  /** Leaves {@code group} on one interface (IP_DROP_MEMBERSHIP). */
  public void leaveGroup(Inet4Address group, int interfaceIndex) throws NativeException {
    setMembershipOption(
        Libc.IP_DROP_MEMBERSHIP,
        group,
        interfaceIndex,
        "IP_DROP_MEMBERSHIP " + group.getHostAddress() + " ifindex=" + interfaceIndex);
  }

  /**
   * Receives and sends only through this interface (SO_BINDTODEVICE); an empty name removes the
   * binding.
   */
  public void bindToDevice(String interfaceName) throws NativeException {
    withFd(
        "SO_BINDTODEVICE",
        fd -> {
          try (Arena a = Arena.ofConfined()) {
            MemorySegment name = a.allocateFrom(interfaceName);
            Libc.setsockopt(
                fd,
                Libc.SOL_SOCKET,
                Libc.SO_BINDTODEVICE,
                name,
                "setsockopt(SO_BINDTODEVICE " + interfaceName + ")");
          }
          return null;
        });
  }

  /** Sets SO_RCVBUF; returns what the kernel reports afterwards. */
  public int setReceiveBufferSize(int bytes) throws NativeException {
    return withFd(
        "SO_RCVBUF",
        fd -> {
          Libc.setsockoptInt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, bytes, "setsockopt(SO_RCVBUF)");
          return Libc.getsockoptInt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, "getsockopt(SO_RCVBUF)");
        });
  }

  /** Sends {@code payload} (no IP header) to {@code destination}; the route picks the rest. */
  public void send(byte[] payload, Inet4Address destination) throws NativeException {
    send(payload, destination, 0, null);
  }

  /**
   * Sends {@code payload} (no IP header) to {@code destination} out of {@code interfaceIndex} (0:
   * by route) with {@code source} as source address (null: the kernel's choice), through an
   * IP_PKTINFO control message.
   */
  public void send(
      byte[] payload, Inet4Address destination, int interfaceIndex, Inet4Address source)
      throws NativeException {
    String op = "sendmsg(" + description() + " to " + destination.getHostAddress() + ")";
    withFd(
        "send",
        fd -> {
          try (Arena a = Arena.ofConfined()) {
            MemorySegment buffer = a.allocate(Math.max(1, payload.length), 8);
            MemorySegment.copy(payload, 0, buffer, JAVA_BYTE, 0, payload.length);
            MemorySegment name = SocketAddresses.sockaddrIn(a, destination);
            MemorySegment iovec = a.allocate(Libc.IOVEC_SIZE, 8);
            iovec.set(ADDRESS, 0, buffer);
            iovec.set(JAVA_LONG, 8, payload.length);
            MemorySegment msghdr = a.allocate(Libc.MSGHDR_SIZE, 8);
            msghdr.set(ADDRESS, 0, name);
            msghdr.set(JAVA_INT, 8, (int) name.byteSize());
            msghdr.set(ADDRESS, 16, iovec);
            msghdr.set(JAVA_LONG, 24, 1L);
            if (interfaceIndex != 0 || source != null) {
              // cmsghdr (16) + struct in_pktinfo { int ipi_ifindex; in_addr ipi_spec_dst, ipi_addr;
              // }
              long controlLength = Libc.CMSGHDR_SIZE + 12;
              MemorySegment control = a.allocate(align8(controlLength), 8);
              control.set(JAVA_LONG, 0, controlLength);
              control.set(JAVA_INT, 8, Libc.IPPROTO_IP);
              control.set(JAVA_INT, 12, Libc.IP_PKTINFO);
              control.set(JAVA_INT, 16, interfaceIndex);
              if (source != null) {
                MemorySegment.copy(source.getAddress(), 0, control, JAVA_BYTE, 20, 4);
              }
              msghdr.set(ADDRESS, 32, control);
              msghdr.set(JAVA_LONG, 40, control.byteSize());
            }
            long sent = Libc.sendmsg(fd, msghdr, 0, op);
            if (sent != payload.length) {
              throw new NativeException(
                  op + ": sent " + sent + " of " + payload.length, Errno.EMSGSIZE);
            }
          }
          return null;
        });
  }

  /**
   * Receives one packet, waiting up to {@code timeoutMillis} (negative: forever; prefer a timeout
   * so {@link #close()} is prompt). Empty when the timeout passed.
   */
  public Optional<Ipv4Packet> receive(int timeoutMillis) throws NativeException {
    String op = "recvmsg(" + description() + ")";
    return withFd(
        "receive",
        fd -> {
          receiveLock.lock();
          try {
            if (!awaitReadable(fd, timeoutMillis, "poll(" + description() + ")")) {
              return Optional.empty();
            }
            receiveIovec.set(ADDRESS, 0, receiveBuffer);
            receiveIovec.set(JAVA_LONG, 8, RECEIVE_BUFFER_BYTES);
            receiveMsghdr.fill((byte) 0);
            receiveMsghdr.set(ADDRESS, 0, receiveName);
            receiveMsghdr.set(JAVA_INT, 8, (int) receiveName.byteSize());
            receiveMsghdr.set(ADDRESS, 16, receiveIovec);
            receiveMsghdr.set(JAVA_LONG, 24, 1L);
            receiveMsghdr.set(ADDRESS, 32, receiveControl);
            receiveMsghdr.set(JAVA_LONG, 40, CONTROL_BYTES);
            long n = Libc.recvmsg(fd, receiveMsghdr, Libc.MSG_DONTWAIT, op);
            if (n < 0) {
              return Optional.empty();
            }
            int flags = receiveMsghdr.get(JAVA_INT, 48);
            if ((flags & Libc.MSG_TRUNC) != 0) {
              throw new NativeException(op + ": packet truncated", Errno.EMSGSIZE);
            }
            byte[] packet = receiveBuffer.asSlice(0, n).toArray(JAVA_BYTE);
            Inet4Address source =
                SocketAddresses.inet4(receiveName.asSlice(4, 4).toArray(JAVA_BYTE));
            int interfaceIndex = 0;
            Inet4Address destination = null;
            long controlLength = receiveMsghdr.get(JAVA_LONG, 40);
            long offset = 0;
            while (offset + Libc.CMSGHDR_SIZE <= controlLength) {
              long length = receiveControl.get(JAVA_LONG, offset);
              if (length < Libc.CMSGHDR_SIZE || offset + length > controlLength) {
                break;
              }
              int level = receiveControl.get(JAVA_INT, offset + 8);
              int type = receiveControl.get(JAVA_INT, offset + 12);
              if (level == Libc.IPPROTO_IP
                  && type == Libc.IP_PKTINFO
                  && length >= Libc.CMSGHDR_SIZE + 12) {
                interfaceIndex = receiveControl.get(JAVA_INT, offset + 16);
                destination =
                    SocketAddresses.inet4(
                        receiveControl.asSlice(offset + 24, 4).toArray(JAVA_BYTE));
              }
              offset += align8(length);
            }
            if (destination == null && packet.length >= 20) {
              destination = SocketAddresses.inet4(java.util.Arrays.copyOfRange(packet, 16, 20));
            }
            return Optional.of(new Ipv4Packet(packet, source, destination, interfaceIndex));
          } finally {
            receiveLock.unlock();
          }
        });
  }

  private static long align8(long n) {
    return (n + 7) & ~7L;
  }

  private void setIntOption(int level, int name, int value, String what) throws NativeException {
    withFd(
        what,
        fd -> {
          Libc.setsockoptInt(fd, level, name, value, "setsockopt(" + what + ")");
          return null;
        });
  }

  private void setMembershipOption(int name, Inet4Address group, int interfaceIndex, String what)
      throws NativeException {
    withFd(
        what,
        fd -> {
          try (Arena a = Arena.ofConfined()) {
            // struct ip_mreqn { in_addr imr_multiaddr, imr_address; int imr_ifindex; }
            MemorySegment mreqn = a.allocate(12, 4);
            if (group != null) {
              MemorySegment.copy(group.getAddress(), 0, mreqn, JAVA_BYTE, 0, 4);
            }
            mreqn.set(JAVA_INT, 8, interfaceIndex);
            Libc.setsockopt(fd, Libc.IPPROTO_IP, name, mreqn, "setsockopt(" + what + ")");
          }
          return null;
        });
  }

  @Override
  void releaseResources() {
    arena.close();
  }
}
