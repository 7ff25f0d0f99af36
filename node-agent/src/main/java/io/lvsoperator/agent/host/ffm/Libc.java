package io.lvsoperator.agent.host.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Every libc downcall of the agent. Each call captures errno in the same downcall (the JVM may
 * clobber errno between two calls) and a failure becomes a {@link NativeException} naming the
 * operation. EINTR is retried here so no caller has to.
 */
final class Libc {

  // <sys/socket.h>, <netinet/in.h>, <linux/netlink.h>, <linux/if_packet.h>, <poll.h> (Linux, LP64)
  static final int AF_INET = 2;
  static final int AF_NETLINK = 16;
  static final int AF_PACKET = 17;
  static final int SOCK_DGRAM = 2;
  static final int SOCK_RAW = 3;
  static final int SOCK_CLOEXEC = 0x80000;
  static final int SOL_SOCKET = 1;
  static final int SO_SNDBUF = 7;
  static final int SO_RCVBUF = 8;
  static final int SO_BINDTODEVICE = 25;
  static final int SO_RCVBUFFORCE = 33;
  static final int IPPROTO_IP = 0;
  static final int IP_TTL = 2;
  static final int IP_PKTINFO = 8;
  static final int IP_MULTICAST_IF = 32;
  static final int IP_MULTICAST_TTL = 33;
  static final int IP_MULTICAST_LOOP = 34;
  static final int IP_ADD_MEMBERSHIP = 35;
  static final int IP_DROP_MEMBERSHIP = 36;
  static final int SOL_NETLINK = 270;
  static final int NETLINK_ADD_MEMBERSHIP = 1;
  static final int NETLINK_DROP_MEMBERSHIP = 2;
  static final int NETLINK_CAP_ACK = 10;
  static final int NETLINK_EXT_ACK = 11;
  static final int MSG_CTRUNC = 0x08;
  static final int MSG_TRUNC = 0x20;
  static final int MSG_DONTWAIT = 0x40;
  static final short POLLIN = 0x1;
  static final short POLLERR = 0x8;
  static final short POLLHUP = 0x10;
  static final short POLLNVAL = 0x20;

  // struct msghdr (LP64): name 0, namelen 8, iov 16, iovlen 24, control 32, controllen 40, flags 48
  static final long MSGHDR_SIZE = 56;
  static final long IOVEC_SIZE = 16;
  // struct cmsghdr (LP64): len 0 (size_t), level 8, type 12, data 16; CMSG_ALIGN is 8
  static final long CMSGHDR_SIZE = 16;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final SymbolLookup LOOKUP = LINKER.defaultLookup();
  private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CAPTURE_LAYOUT.varHandle(PathElement.groupElement("errno"));

  private static final MethodHandle SOCKET =
      downcall("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
  private static final MethodHandle BIND =
      downcall("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
  private static final MethodHandle GETSOCKNAME =
      downcall("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
  private static final MethodHandle SETSOCKOPT =
      downcall(
          "setsockopt",
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
  private static final MethodHandle GETSOCKOPT =
      downcall(
          "getsockopt",
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
  private static final MethodHandle SENDTO =
      downcall(
          "sendto",
          FunctionDescriptor.of(
              JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
  private static final MethodHandle SENDMSG =
      downcall("sendmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
  private static final MethodHandle RECVFROM =
      downcall(
          "recvfrom",
          FunctionDescriptor.of(
              JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS));
  private static final MethodHandle RECVMSG =
      downcall("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
  private static final MethodHandle POLL =
      downcall("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
  private static final MethodHandle CLOSE =
      downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
  private static final MethodHandle IF_NAMETOINDEX =
      downcall("if_nametoindex", FunctionDescriptor.of(JAVA_INT, ADDRESS));
  private static final MethodHandle IF_INDEXTONAME =
      downcall("if_indextoname", FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS));
  private static final MethodHandle STRERROR =
      LINKER.downcallHandle(
          LOOKUP.find("strerror").orElseThrow(), FunctionDescriptor.of(ADDRESS, JAVA_INT));

  private static final String[] STRERROR_TEXTS = loadStrerrorTexts(160);

  private Libc() {}

  private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
    MemorySegment symbol =
        LOOKUP.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
    return LINKER.downcallHandle(symbol, descriptor, Linker.Option.captureCallState("errno"));
  }

  // Read once, single-threaded in class initialisation: strerror is not required to be
  // thread-safe.
  private static String[] loadStrerrorTexts(int count) {
    String[] texts = new String[count];
    for (int i = 0; i < count; i++) {
      try {
        MemorySegment text = (MemorySegment) STRERROR.invokeExact(i);
        texts[i] = text.reinterpret(1024).getString(0);
      } catch (Throwable t) {
        texts[i] = "errno " + i;
      }
    }
    return texts;
  }

  static String strerror(int errno) {
    return errno >= 0 && errno < STRERROR_TEXTS.length
        ? STRERROR_TEXTS[errno]
        : "Unknown error " + errno;
  }

  private static int errno(MemorySegment state) {
    return (int) ERRNO.get(state, 0L);
  }

  private static MemorySegment captureState(Arena arena) {
    return arena.allocate(CAPTURE_LAYOUT);
  }

  private static NativeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    throw new IllegalStateException("unexpected exception from a downcall", t);
  }

  static int socket(int domain, int type, int protocol, String op) throws NativeException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = captureState(arena);
      int fd = (int) SOCKET.invokeExact(state, domain, type | SOCK_CLOEXEC, protocol);
      if (fd < 0) {
        throw new NativeException(op, errno(state));
      }
      return fd;
    } catch (NativeException e) {
      throw e;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static void bind(int fd, MemorySegment address, String op) throws NativeException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = captureState(arena);
      int r = (int) BIND.invokeExact(state, fd, address, (int) address.byteSize());
      if (r < 0) {
        throw new NativeException(op, errno(state));
      }
    } catch (NativeException e) {
      throw e;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** getsockname into {@code address}; returns the length the kernel wrote. */
  static int getsockname(int fd, MemorySegment address, String op) throws NativeException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = captureState(arena);
      MemorySegment length = arena.allocate(JAVA_INT);
      length.set(JAVA_INT, 0, (int) address.byteSize());
      int r = (int) GETSOCKNAME.invokeExact(state, fd, address, length);
      if (r < 0) {
        throw new NativeException(op, errno(state));
      }
      return length.get(JAVA_INT, 0);
    } catch (NativeException e) {
      throw e;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static void setsockopt(int fd, int level, int name, MemorySegment value, String op)
      throws NativeException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = captureState(arena);
      int r = (int) SETSOCKOPT.invokeExact(state, fd, level, name, value, (int) value.byteSize());
      if (r < 0) {
        throw new NativeException(op, errno(state));
      }
    } catch (NativeException e) {
      throw e;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static void setsockoptInt(int fd, int level, int name, int value, String op)
      throws NativeException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment v = arena.allocate(JAVA_INT);
      v.set(JAVA_INT, 0, value);
      setsockopt(fd, level, name, v, op);
    }
  }

  static int getsockoptInt(int fd, int level, int name, String op) throws NativeException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = captureState(arena);
      MemorySegment value = arena.allocate(JAVA_INT);
      MemorySegment length = arena.allocate(JAVA_INT);
      length.set(JAVA_INT, 0, 4);
      int r = (int) GETSOCKOPT.invokeExact(state, fd, level, name, value, length);
      if (r < 0) {
        throw new NativeException(op, errno(state));
      }
      return value.get(JAVA_INT, 0);
    } catch (NativeException e) {
      throw e;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** sendto; {@code address} may be {@link MemorySegment#NULL}. Returns the bytes sent. */
  static long sendto(int fd, MemorySegment buffer, int flags, MemorySegment address, String op)
      throws NativeException {
    int addressLength = address.equals(MemorySegment.NULL) ? 0 : (int) address.byteSize();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = captureState(arena);
      while (true) {
        long n =
            (long)
                SENDTO.invokeExact(
                    state, fd, buffer, buffer.byteSize(), flags, address, addressLength);
        if (n >= 0) {
          return n;
        }
        int errno = errno(state);
        if (errno != Errno.EINTR) {
          throw new NativeException(op, errno);
        }
      }
    } catch (NativeException e) {
      throw e;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static long sendmsg(int fd, MemorySegment msghdr, int flags, String op) throws NativeException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = captureState(arena);
      while (true) {
        long n = (long) SENDMSG.invokeExact(state, fd, msghdr, flags);
        if (n >= 0) {
          return n;
        }
        int errno = errno(state);
        if (errno != Errno.EINTR) {
          throw new NativeException(op, errno);
        }
      }
    } catch (NativeException e) {
      throw e;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /**
   * recvfrom; returns the datagram's length (which exceeds the buffer when MSG_TRUNC is given and
   * the datagram did not fit), or -1 when MSG_DONTWAIT found nothing to read.
   */
  static long recvfrom(
      int fd,
      MemorySegment buffer,
      int flags,
      MemorySegment address,
      MemorySegment addressLength,
      String op)
      throws NativeException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = captureState(arena);
      while (true) {
        long n =
            (long)
                RECVFROM.invokeExact(
                    state, fd, buffer, buffer.byteSize(), flags, address, addressLength);
        if (n >= 0) {
          return n;
        }
        int errno = errno(state);
        if (errno == Errno.EAGAIN) {
          return -1;
        }
        if (errno != Errno.EINTR) {
          throw new NativeException(op, errno);
        }
      }
    } catch (NativeException e) {
      throw e;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** recvmsg; returns the length, or -1 when MSG_DONTWAIT found nothing to read. */
  static long recvmsg(int fd, MemorySegment msghdr, int flags, String op) throws NativeException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = captureState(arena);
      while (true) {
        long n = (long) RECVMSG.invokeExact(state, fd, msghdr, flags);
        if (n >= 0) {
          return n;
        }
        int errno = errno(state);
        if (errno == Errno.EAGAIN) {
          return -1;
        }
        if (errno != Errno.EINTR) {
          throw new NativeException(op, errno);
        }
      }
    } catch (NativeException e) {
      throw e;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /**
   * Waits until {@code fd} is readable or the timeout passes; returns the revents (0 on timeout). A
   * negative timeout waits forever.
   */
  static short pollIn(int fd, int timeoutMillis, String op) throws NativeException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = captureState(arena);
      MemorySegment pollfd = arena.allocate(8, 4);
      long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
      int remaining = timeoutMillis;
      while (true) {
        pollfd.set(JAVA_INT, 0, fd);
        pollfd.set(JAVA_SHORT, 4, POLLIN);
        pollfd.set(JAVA_SHORT, 6, (short) 0);
        int r = (int) POLL.invokeExact(state, pollfd, 1L, remaining);
        if (r >= 0) {
          return r == 0 ? 0 : pollfd.get(JAVA_SHORT, 6);
        }
        int errno = errno(state);
        if (errno != Errno.EINTR) {
          throw new NativeException(op, errno);
        }
        if (timeoutMillis >= 0) {
          remaining = (int) Math.max(0, (deadline - System.nanoTime()) / 1_000_000L);
        }
      }
    } catch (NativeException e) {
      throw e;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static void close(int fd, String op) throws NativeException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = captureState(arena);
      // Never retry close on EINTR: on Linux the descriptor is released anyway.
      int r = (int) CLOSE.invokeExact(state, fd);
      if (r < 0) {
        throw new NativeException(op, errno(state));
      }
    } catch (NativeException e) {
      throw e;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static int ifNameToIndex(String name) throws NativeException {
    String op = "if_nametoindex(" + name + ")";
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = captureState(arena);
      int index = (int) IF_NAMETOINDEX.invokeExact(state, arena.allocateFrom(name));
      if (index == 0) {
        throw new NativeException(op, errno(state));
      }
      return index;
    } catch (NativeException e) {
      throw e;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static String ifIndexToName(int index) throws NativeException {
    String op = "if_indextoname(" + index + ")";
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = captureState(arena);
      MemorySegment buffer = arena.allocate(16); // IF_NAMESIZE
      MemorySegment r = (MemorySegment) IF_INDEXTONAME.invokeExact(state, index, buffer);
      if (r.equals(MemorySegment.NULL)) {
        throw new NativeException(op, errno(state));
      }
      return buffer.getString(0);
    } catch (NativeException e) {
      throw e;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }
}
