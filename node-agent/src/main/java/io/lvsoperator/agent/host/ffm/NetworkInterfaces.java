package io.lvsoperator.agent.host.ffm;

/** Interface name and index lookups (if_nametoindex / if_indextoname). */
public final class NetworkInterfaces {

  private NetworkInterfaces() {}

  /** The index of interface {@code name}; ENODEV when there is none. */
  public static int indexOf(String name) throws NativeException {
    if (name.isEmpty() || name.length() >= 16) {
      throw new NativeException("if_nametoindex(" + name + "): bad interface name", Errno.EINVAL);
    }
    return Libc.ifNameToIndex(name);
  }

  /** The name of the interface with index {@code index}; ENXIO when there is none. */
  public static String nameOf(int index) throws NativeException {
    return Libc.ifIndexToName(index);
  }
}
