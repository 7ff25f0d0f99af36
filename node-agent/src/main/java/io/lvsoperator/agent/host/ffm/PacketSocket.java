package io.lvsoperator.agent.host.ffm;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An AF_PACKET SOCK_RAW socket bound to one interface: sends whole Ethernet frames (gratuitous
 * ARP). Opened with {@link #openSender} it receives nothing, so it costs nothing on a busy link.
 */
public final class PacketSocket extends NativeSocket {

  /** ETH_P_ARP from linux/if_ether.h. */
  public static final int ETH_P_ARP = 0x0806;

  /** ETH_P_ALL from linux/if_ether.h. */
  public static final int ETH_P_ALL = 0x0003;

  private static final int ETH_HEADER_BYTES = 14;
  private static final int RECEIVE_BUFFER_BYTES = 65536;

  private final int interfaceIndex;
  private final Arena arena = Arena.ofShared();
  private final MemorySegment receiveBuffer = arena.allocate(RECEIVE_BUFFER_BYTES, 8);
  private final ReentrantLock receiveLock = new ReentrantLock();

  private PacketSocket(int fd, int interfaceIndex, int etherType) {
    super(
        fd,
        "packet(ifindex="
            + interfaceIndex
            + ", ethertype=0x"
            + Integer.toHexString(etherType)
            + ")");
    this.interfaceIndex = interfaceIndex;
  }

  /** A send-only socket on {@code interfaceIndex} (protocol 0: the kernel delivers it nothing). */
  public static PacketSocket openSender(int interfaceIndex) throws NativeException {
    return open(interfaceIndex, 0);
  }

  /** A socket on {@code interfaceIndex} that also receives frames of {@code etherType}. */
  public static PacketSocket open(int interfaceIndex, int etherType) throws NativeException {
    if (interfaceIndex <= 0) {
      throw new NativeException(
          "packet socket: bad interface index " + interfaceIndex, Errno.EINVAL);
    }
    int fd =
        Libc.socket(
            Libc.AF_PACKET,
            Libc.SOCK_RAW,
            htons(etherType),
            "socket(AF_PACKET, SOCK_RAW, 0x" + Integer.toHexString(etherType) + ")");
    PacketSocket socket = new PacketSocket(fd, interfaceIndex, etherType);
    try {
      socket.withFd(
          "bind",
          f -> {
            try (Arena a = Arena.ofConfined()) {
              Libc.bind(
                  f,
                  sockaddrLl(a, interfaceIndex, etherType, null),
                  "bind(" + socket.description() + ")");
            }
            return null;
          });
    } catch (NativeException e) {
      try {
        socket.close();
      } catch (NativeException ignored) {
        // The bind error is the one to report.
      }
      throw e;
    }
    return socket;
  }

  /** The interface this socket is bound to. */
  public int interfaceIndex() {
    return interfaceIndex;
  }

  // struct sockaddr_ll { u16 family; be16 protocol; int ifindex; u16 hatype; u8 pkttype, halen;
  // u8 addr[8]; }
  private static MemorySegment sockaddrLl(Arena arena, int ifindex, int etherType, byte[] mac) {
    MemorySegment address = arena.allocate(20, 4);
    address.set(JAVA_SHORT, 0, (short) Libc.AF_PACKET);
    address.set(JAVA_SHORT, 2, (short) htons(etherType));
    address.set(JAVA_INT, 4, ifindex);
    if (mac != null) {
      address.set(JAVA_BYTE, 11, (byte) mac.length);
      MemorySegment.copy(mac, 0, address, JAVA_BYTE, 12, mac.length);
    }
    return address;
  }

  private static int htons(int value) {
    int v = value & 0xffff;
    return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? ((v & 0xff) << 8) | (v >>> 8) : v;
  }

  /** Sends one whole Ethernet frame (destination MAC, source MAC, ethertype, payload). */
  public void send(byte[] frame) throws NativeException {
    if (frame.length < ETH_HEADER_BYTES) {
      throw new NativeException(
          "send(" + description() + "): frame of " + frame.length + " bytes", Errno.EINVAL);
    }
    String op = "sendto(" + description() + ")";
    withFd(
        "send",
        fd -> {
          try (Arena a = Arena.ofConfined()) {
            MemorySegment buffer = a.allocate(frame.length, 8);
            MemorySegment.copy(frame, 0, buffer, JAVA_BYTE, 0, frame.length);
            int etherType = ((frame[12] & 0xff) << 8) | (frame[13] & 0xff);
            byte[] destination = java.util.Arrays.copyOfRange(frame, 0, 6);
            long sent =
                Libc.sendto(
                    fd, buffer, 0, sockaddrLl(a, interfaceIndex, etherType, destination), op);
            if (sent != frame.length) {
              throw new NativeException(
                  op + ": sent " + sent + " of " + frame.length, Errno.EMSGSIZE);
            }
          }
          return null;
        });
  }

  /** Receives one frame (with its Ethernet header), waiting up to {@code timeoutMillis}. */
  public Optional<byte[]> receive(int timeoutMillis) throws NativeException {
    String op = "recvfrom(" + description() + ")";
    return withFd(
        "receive",
        fd -> {
          receiveLock.lock();
          try {
            if (!awaitReadable(fd, timeoutMillis, "poll(" + description() + ")")) {
              return Optional.empty();
            }
            long n =
                Libc.recvfrom(
                    fd,
                    receiveBuffer,
                    Libc.MSG_DONTWAIT,
                    MemorySegment.NULL,
                    MemorySegment.NULL,
                    op);
            return n < 0
                ? Optional.empty()
                : Optional.of(receiveBuffer.asSlice(0, n).toArray(JAVA_BYTE));
          } finally {
            receiveLock.unlock();
          }
        });
  }

  @Override
  void releaseResources() {
    arena.close();
  }
}
