package io.lvsoperator.agent.host.ffm;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An AF_NETLINK datagram socket: send request bytes to the kernel, receive whole datagrams with a
 * timeout, join multicast groups. Message encoding lives in the netlink package.
 */
public final class NetlinkChannel extends NativeSocket {

  /** Large enough for any datagram the kernel sends (dumps use at most 32 KiB per datagram). */
  private static final int RECEIVE_BUFFER_BYTES = 1 << 17;

  private final int protocol;
  private final Arena arena = Arena.ofShared();
  private final MemorySegment receiveBuffer = arena.allocate(RECEIVE_BUFFER_BYTES, 8);
  private final MemorySegment receiveAddress = arena.allocate(12, 4);
  private final MemorySegment receiveAddressLength = arena.allocate(JAVA_INT);
  private final ReentrantLock receiveLock = new ReentrantLock();

  private NetlinkChannel(int fd, int protocol) {
    super(fd, "netlink(" + protocol + ")");
    this.protocol = protocol;
  }

  /**
   * Opens a netlink socket of the given protocol (NETLINK_ROUTE 0, NETLINK_GENERIC 16...), bound to
   * a kernel-assigned port id and no multicast groups.
   */
  public static NetlinkChannel open(int protocol) throws NativeException {
    int fd =
        Libc.socket(
            Libc.AF_NETLINK, Libc.SOCK_RAW, protocol, "socket(AF_NETLINK, " + protocol + ")");
    NetlinkChannel channel = new NetlinkChannel(fd, protocol);
    try {
      channel.bind(0);
    } catch (NativeException e) {
      channel.closeQuietly();
      throw e;
    }
    return channel;
  }

  private void bind(int groups) throws NativeException {
    withFd(
        "bind",
        fd -> {
          try (Arena a = Arena.ofConfined()) {
            MemorySegment address = sockaddrNl(a, 0, groups);
            Libc.bind(fd, address, "bind(" + description() + ")");
          }
          return null;
        });
  }

  private static MemorySegment sockaddrNl(Arena arena, int portId, int groups) {
    // struct sockaddr_nl { sa_family_t nl_family; unsigned short nl_pad; __u32 nl_pid, nl_groups; }
    MemorySegment address = arena.allocate(12, 4);
    address.set(JAVA_SHORT, 0, (short) Libc.AF_NETLINK);
    address.set(JAVA_INT, 4, portId);
    address.set(JAVA_INT, 8, groups);
    return address;
  }

  /** The netlink protocol number this socket was opened with. */
  public int protocol() {
    return protocol;
  }

  /** The port id the kernel assigned (nl_pid); replies to this socket carry it. */
  public int portId() throws NativeException {
    return withFd(
        "getsockname",
        fd -> {
          try (Arena a = Arena.ofConfined()) {
            MemorySegment address = a.allocate(12, 4);
            Libc.getsockname(fd, address, "getsockname(" + description() + ")");
            return address.get(JAVA_INT, 4);
          }
        });
  }

  /** Joins a multicast group by number (e.g. RTNLGRP_LINK = 1), any group number. */
  public void joinGroup(int group) throws NativeException {
    withFd(
        "join",
        fd -> {
          Libc.setsockoptInt(
              fd,
              Libc.SOL_NETLINK,
              Libc.NETLINK_ADD_MEMBERSHIP,
              group,
              "setsockopt(NETLINK_ADD_MEMBERSHIP, " + group + ")");
          return null;
        });
  }

  /** Leaves a multicast group. */
  public void leaveGroup(int group) throws NativeException {
    withFd(
        "leave",
        fd -> {
          Libc.setsockoptInt(
              fd,
              Libc.SOL_NETLINK,
              Libc.NETLINK_DROP_MEMBERSHIP,
              group,
              "setsockopt(NETLINK_DROP_MEMBERSHIP, " + group + ")");
          return null;
        });
  }

  /** Asks the kernel for extended-ack error text (NETLINK_EXT_ACK); kernels before 4.12 refuse. */
  public void enableExtendedAck() throws NativeException {
    setNetlinkOption(Libc.NETLINK_EXT_ACK, 1, "NETLINK_EXT_ACK");
  }

  /** Asks the kernel not to echo the request in error replies (NETLINK_CAP_ACK). */
  public void enableCappedAck() throws NativeException {
    setNetlinkOption(Libc.NETLINK_CAP_ACK, 1, "NETLINK_CAP_ACK");
  }

  private void setNetlinkOption(int option, int value, String name) throws NativeException {
    withFd(
        name,
        fd -> {
          Libc.setsockoptInt(fd, Libc.SOL_NETLINK, option, value, "setsockopt(" + name + ")");
          return null;
        });
  }

  /**
   * Sets the receive buffer; tries SO_RCVBUFFORCE (needs CAP_NET_ADMIN, passes rmem_max) first.
   * Returns the size the kernel reports afterwards (it doubles the request).
   */
  public int setReceiveBufferSize(int bytes) throws NativeException {
    return withFd(
        "SO_RCVBUF",
        fd -> {
          try {
            Libc.setsockoptInt(
                fd, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, bytes, "setsockopt(SO_RCVBUFFORCE)");
          } catch (NativeException e) {
            if (e.errno() != Errno.EPERM) {
              throw e;
            }
            Libc.setsockoptInt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, bytes, "setsockopt(SO_RCVBUF)");
          }
          return Libc.getsockoptInt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, "getsockopt(SO_RCVBUF)");
        });
  }

  /** Sends one datagram (one or more netlink messages) to the kernel. */
  public void send(byte[] message) throws NativeException {
    withFd(
        "send",
        fd -> {
          try (Arena a = Arena.ofConfined()) {
            MemorySegment buffer = a.allocate(message.length, 8);
            MemorySegment.copy(message, 0, buffer, JAVA_BYTE, 0, message.length);
            long sent =
                Libc.sendto(fd, buffer, 0, sockaddrNl(a, 0, 0), "sendto(" + description() + ")");
            if (sent != message.length) {
              throw new NativeException(
                  "sendto(" + description() + "): sent " + sent + " of " + message.length,
                  Errno.EMSGSIZE);
            }
          }
          return null;
        });
  }

  /**
   * Receives one datagram, waiting up to {@code timeoutMillis} (negative: forever, which makes
   * {@link #close()} wait too; prefer a timeout). Empty when the timeout passed. ENOBUFS (the
   * kernel dropped messages for this socket) arrives as a {@link NativeException}.
   */
  public Optional<NetlinkDatagram> receive(int timeoutMillis) throws NativeException {
    return withFd(
        "receive",
        fd -> {
          receiveLock.lock();
          try {
            String op = "recvfrom(" + description() + ")";
            if (!awaitReadable(fd, timeoutMillis, "poll(" + description() + ")")) {
              return Optional.empty();
            }
            receiveAddressLength.set(JAVA_INT, 0, 12);
            long n =
                Libc.recvfrom(
                    fd,
                    receiveBuffer,
                    Libc.MSG_DONTWAIT | Libc.MSG_TRUNC,
                    receiveAddress,
                    receiveAddressLength,
                    op);
            if (n < 0) {
              return Optional.empty();
            }
            if (n > RECEIVE_BUFFER_BYTES) {
              throw new NativeException(
                  op + ": datagram of " + n + " bytes truncated", Errno.EMSGSIZE);
            }
            byte[] data = receiveBuffer.asSlice(0, n).toArray(JAVA_BYTE);
            return Optional.of(
                new NetlinkDatagram(
                    data, receiveAddress.get(JAVA_INT, 4), receiveAddress.get(JAVA_INT, 8)));
          } finally {
            receiveLock.unlock();
          }
        });
  }

  @Override
  void releaseResources() {
    // Waits for nothing: close holds the write lock, so no receive is using the buffer.
    arena.close();
  }

  private void closeQuietly() {
    try {
      close();
    } catch (NativeException ignored) {
      // Already failing: the open error is the one to report.
    }
  }
}
