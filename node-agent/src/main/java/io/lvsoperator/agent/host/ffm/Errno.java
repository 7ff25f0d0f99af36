package io.lvsoperator.agent.host.ffm;

import java.util.Map;

/**
 * Linux errno values (asm-generic/errno-base.h and errno.h, x86_64/aarch64 numbering) the agent
 * reacts to, and the mapping of any errno to its name and text.
 */
public final class Errno {
  public static final int EPERM = 1;
  public static final int ENOENT = 2;
  public static final int ESRCH = 3;
  public static final int EINTR = 4;
  public static final int EIO = 5;
  public static final int ENXIO = 6;
  public static final int EBADF = 9;
  public static final int EAGAIN = 11;
  public static final int ENOMEM = 12;
  public static final int EACCES = 13;
  public static final int EFAULT = 14;
  public static final int EBUSY = 16;
  public static final int EEXIST = 17;
  public static final int ENODEV = 19;
  public static final int EINVAL = 22;
  public static final int ENOSPC = 28;
  public static final int ERANGE = 34;
  public static final int ENOTSUP = 95;
  public static final int EOPNOTSUPP = 95;
  public static final int EPROTONOSUPPORT = 93;
  public static final int EAFNOSUPPORT = 97;
  public static final int EADDRINUSE = 98;
  public static final int EADDRNOTAVAIL = 99;
  public static final int ENETDOWN = 100;
  public static final int ENETUNREACH = 101;
  public static final int ENOBUFS = 105;
  public static final int ETIMEDOUT = 110;
  public static final int EHOSTUNREACH = 113;
  public static final int EMSGSIZE = 90;
  public static final int ENOTSOCK = 88;
  public static final int ENOPROTOOPT = 92;

  private static final Map<Integer, String> NAMES =
      Map.ofEntries(
          Map.entry(EPERM, "EPERM"),
          Map.entry(ENOENT, "ENOENT"),
          Map.entry(ESRCH, "ESRCH"),
          Map.entry(EINTR, "EINTR"),
          Map.entry(EIO, "EIO"),
          Map.entry(ENXIO, "ENXIO"),
          Map.entry(EBADF, "EBADF"),
          Map.entry(EAGAIN, "EAGAIN"),
          Map.entry(ENOMEM, "ENOMEM"),
          Map.entry(EACCES, "EACCES"),
          Map.entry(EFAULT, "EFAULT"),
          Map.entry(EBUSY, "EBUSY"),
          Map.entry(EEXIST, "EEXIST"),
          Map.entry(ENODEV, "ENODEV"),
          Map.entry(EINVAL, "EINVAL"),
          Map.entry(ENOSPC, "ENOSPC"),
          Map.entry(ERANGE, "ERANGE"),
          Map.entry(EOPNOTSUPP, "EOPNOTSUPP"),
          Map.entry(EPROTONOSUPPORT, "EPROTONOSUPPORT"),
          Map.entry(EAFNOSUPPORT, "EAFNOSUPPORT"),
          Map.entry(EADDRINUSE, "EADDRINUSE"),
          Map.entry(EADDRNOTAVAIL, "EADDRNOTAVAIL"),
          Map.entry(ENETDOWN, "ENETDOWN"),
          Map.entry(ENETUNREACH, "ENETUNREACH"),
          Map.entry(ENOBUFS, "ENOBUFS"),
          Map.entry(ETIMEDOUT, "ETIMEDOUT"),
          Map.entry(EHOSTUNREACH, "EHOSTUNREACH"),
          Map.entry(EMSGSIZE, "EMSGSIZE"),
          Map.entry(ENOTSOCK, "ENOTSOCK"),
          Map.entry(ENOPROTOOPT, "ENOPROTOOPT"));

  private Errno() {}

  /** The symbolic name, or {@code errno <n>} for one this class does not name. */
  public static String name(int errno) {
    String name = NAMES.get(errno);
    return name != null ? name : "errno " + errno;
  }

  /** {@code EEXIST (File exists)}: the name and the C library's own text. */
  public static String describe(int errno) {
    return name(errno) + " (" + Libc.strerror(errno) + ")";
  }
}
