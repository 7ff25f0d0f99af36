package io.lvsoperator.agent.host.ffm;

import java.io.IOException;

/**
 * A libc call failed. Names the operation (e.g. {@code setsockopt(IP_ADD_MEMBERSHIP)}) and the
 * errno, with its symbolic name and the C library's text.
 */
public final class NativeException extends IOException {

  private final String operation;
  private final int errno;

  public NativeException(String operation, int errno) {
    super(operation + ": " + Errno.describe(errno));
    this.operation = operation;
    this.errno = errno;
  }

  /** The failed operation, as given by the caller of the downcall. */
  public String operation() {
    return operation;
  }

  /** The errno the call left behind. */
  public int errno() {
    return errno;
  }

  /** The symbolic errno name, e.g. {@code EEXIST}. */
  public String errnoName() {
    return Errno.name(errno);
  }
}
