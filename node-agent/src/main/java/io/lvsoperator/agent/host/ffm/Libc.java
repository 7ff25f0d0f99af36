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

  private Libc() {}

  private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
    MemorySegment symbol =
        LOOKUP.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
    return LINKER.downcallHandle(symbol, descriptor, Linker.Option.captureCallState("errno"));
  }

  /**
   * strerror's texts, read on the first error only: linking strerror and 160 calls through it cost
   * a start that has no error to describe (docs/benchmarks.md, start-up).
   */
  private static final class StrerrorTexts {
    private static final int COUNT = 160;
    private static final MethodHandle STRERROR =
        LINKER.downcallHandle(
            LOOKUP.find("strerror").orElseThrow(), FunctionDescriptor.of(ADDRESS, JAVA_INT));

    // Read once, single-threaded in class initialisation: strerror is not required to be
    // thread-safe.
    private static final String[] TEXTS = load(COUNT);

    private static String[] load(int count) {
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
  }

  static String strerror(int errno) {
    return errno >= 0 && errno < StrerrorTexts.COUNT
        ? StrerrorTexts.TEXTS[errno]
        : "Unknown error " + errno;
  }

  private static int errno(MemorySegment state) {
    return (int) ERRNO.get(state, 0L);
  }

  /** One downcall: the C function's result, with errno captured in {@code errnoState}. */
  @FunctionalInterface
  private interface Downcall {
    long invoke(MemorySegment errnoState) throws Throwable;
  }

  /** What a failed call does beside throwing. */
  private enum OnFailure {
    /** Throw at once (close: on Linux the descriptor is released even on EINTR). */
    THROW,
    /** Call again after EINTR, else throw. */
    RETRY_EINTR,
    /** Call again after EINTR; EAGAIN (MSG_DONTWAIT found nothing) returns -1; else throw. */
    RETRY_EINTR_EAGAIN_EMPTY
  }

  /**
   * The one way a libc function is called: errno captured in the same downcall, a negative result
   * (C's failure convention; callers map other conventions to -1) turned into a {@link
   * NativeException} naming {@code op} and the errno.
   */
  private static long call(String op, OnFailure onFailure, Downcall downcall)
      throws NativeException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
      while (true) {
        long result = downcall.invoke(state);
        if (result >= 0) {
          return result;
        }
        int errno = errno(state);
        if (errno == Errno.EAGAIN && onFailure == OnFailure.RETRY_EINTR_EAGAIN_EMPTY) {
          return -1;
        }
        if (errno != Errno.EINTR || onFailure == OnFailure.THROW) {
          throw new NativeException(op, errno);
        }
      }
    } catch (NativeException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("unexpected exception from a downcall", t);
    }
  }

  static int socket(int domain, int type, int protocol, String op) throws NativeException {
    return (int)
        call(
            op,
            OnFailure.THROW,
            state -> (int) SOCKET.invokeExact(state, domain, type | SOCK_CLOEXEC, protocol));
  }

  static void bind(int fd, MemorySegment address, String op) throws NativeException {
    call(
        op,
        OnFailure.THROW,
        state -> (int) BIND.invokeExact(state, fd, address, (int) address.byteSize()));
  }

  /** getsockname into {@code address}; returns the length the kernel wrote. */
  static int getsockname(int fd, MemorySegment address, String op) throws NativeException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment length = arena.allocate(JAVA_INT);
      length.set(JAVA_INT, 0, (int) address.byteSize());
      call(op, OnFailure.THROW, state -> (int) GETSOCKNAME.invokeExact(state, fd, address, length));
      return length.get(JAVA_INT, 0);
    }
  }

  static void setsockopt(int fd, int level, int name, MemorySegment value, String op)
      throws NativeException {
    call(
        op,
        OnFailure.THROW,
        state ->
            (int) SETSOCKOPT.invokeExact(state, fd, level, name, value, (int) value.byteSize()));
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
      MemorySegment value = arena.allocate(JAVA_INT);
      MemorySegment length = arena.allocate(JAVA_INT);
      length.set(JAVA_INT, 0, 4);
      call(
          op,
          OnFailure.THROW,
          state -> (int) GETSOCKOPT.invokeExact(state, fd, level, name, value, length));
      return value.get(JAVA_INT, 0);
    }
  }

  /** sendto; {@code address} may be {@link MemorySegment#NULL}. Returns the bytes sent. */
  static long sendto(int fd, MemorySegment buffer, int flags, MemorySegment address, String op)
      throws NativeException {
    int addressLength = address.equals(MemorySegment.NULL) ? 0 : (int) address.byteSize();
    return call(
        op,
        OnFailure.RETRY_EINTR,
        state ->
            (long)
                SENDTO.invokeExact(
                    state, fd, buffer, buffer.byteSize(), flags, address, addressLength));
  }

  static long sendmsg(int fd, MemorySegment msghdr, int flags, String op) throws NativeException {
    return call(
        op, OnFailure.RETRY_EINTR, state -> (long) SENDMSG.invokeExact(state, fd, msghdr, flags));
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
    return call(
        op,
        OnFailure.RETRY_EINTR_EAGAIN_EMPTY,
        state ->
            (long)
                RECVFROM.invokeExact(
                    state, fd, buffer, buffer.byteSize(), flags, address, addressLength));
  }

  /** recvmsg; returns the length, or -1 when MSG_DONTWAIT found nothing to read. */
  static long recvmsg(int fd, MemorySegment msghdr, int flags, String op) throws NativeException {
    return call(
        op,
        OnFailure.RETRY_EINTR_EAGAIN_EMPTY,
        state -> (long) RECVMSG.invokeExact(state, fd, msghdr, flags));
  }

  /**
   * Waits until {@code fd} is readable or the timeout passes; returns the revents (0 on timeout). A
   * negative timeout waits forever; a poll interrupted by a signal goes on for the time left.
   */
  static short pollIn(int fd, int timeoutMillis, String op) throws NativeException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment pollfd = arena.allocate(8, 4);
      long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
      int[] remaining = {timeoutMillis};
      long ready =
          call(
              op,
              OnFailure.RETRY_EINTR,
              state -> {
                pollfd.set(JAVA_INT, 0, fd);
                pollfd.set(JAVA_SHORT, 4, POLLIN);
                pollfd.set(JAVA_SHORT, 6, (short) 0);
                int r = (int) POLL.invokeExact(state, pollfd, 1L, remaining[0]);
                if (r < 0 && timeoutMillis >= 0) {
                  remaining[0] = (int) Math.max(0, (deadline - System.nanoTime()) / 1_000_000L);
                }
                return r;
              });
      return ready == 0 ? 0 : pollfd.get(JAVA_SHORT, 6);
    }
  }

  static void close(int fd, String op) throws NativeException {
    call(op, OnFailure.THROW, state -> (int) CLOSE.invokeExact(state, fd));
  }

  /**
   * sched_setscheduler for the calling thread (pid 0 is the caller's thread on Linux). Linked on
   * first use: most runs never call it before their first advert.
   */
  static void setCallingThreadScheduler(int policy, int priority, String op)
      throws NativeException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment param = arena.allocate(JAVA_INT); // struct sched_param { int sched_priority; }
      param.set(JAVA_INT, 0, priority);
      call(
          op, OnFailure.RETRY_EINTR, state -> (int) Sched.SET.invokeExact(state, 0, policy, param));
    }
  }

  private static final class Sched {
    private static final MethodHandle SET =
        downcall(
            "sched_setscheduler", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
  }

  static int ifNameToIndex(String name) throws NativeException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment cName = arena.allocateFrom(name);
      return (int)
          call(
              "if_nametoindex(" + name + ")",
              OnFailure.THROW,
              state -> {
                int index = (int) IF_NAMETOINDEX.invokeExact(state, cName);
                return index == 0 ? -1 : index;
              });
    }
  }

  static String ifIndexToName(int index) throws NativeException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buffer = arena.allocate(16); // IF_NAMESIZE
      call(
          "if_indextoname(" + index + ")",
          OnFailure.THROW,
          state -> {
            MemorySegment r = (MemorySegment) IF_INDEXTONAME.invokeExact(state, index, buffer);
            return r.equals(MemorySegment.NULL) ? -1 : 0;
          });
      return buffer.getString(0);
    }
  }
}
