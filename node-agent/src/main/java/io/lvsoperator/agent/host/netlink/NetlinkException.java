package io.lvsoperator.agent.host.netlink;

import io.lvsoperator.agent.host.ffm.Errno;
import java.io.IOException;

/**
 * The kernel refused a request (NLMSG_ERROR with a negative errno), or a reply was malformed or
 * missing. Carries the operation, the errno and the kernel's extended-ack text when it sent one.
 */
public final class NetlinkException extends IOException {

  private final String operation;
  private final int errno;
  private final String extendedAck;

  public NetlinkException(String operation, int errno, String extendedAck) {
    super(
        operation
            + ": "
            + Errno.describe(errno)
            + (extendedAck == null || extendedAck.isEmpty() ? "" : ": " + extendedAck));
    this.operation = operation;
    this.errno = errno;
    this.extendedAck = extendedAck;
  }

  public NetlinkException(String operation, int errno) {
    this(operation, errno, null);
  }

  /** A reply that does not parse. */
  public static NetlinkException malformed(String what) {
    return new NetlinkException("parse reply: " + what, Errno.EINVAL, null);
  }

  public String operation() {
    return operation;
  }

  /** The positive errno (EEXIST, ENOENT, ESRCH...). */
  public int errno() {
    return errno;
  }

  /** The kernel's NLMSGERR_ATTR_MSG text, or null. */
  public String extendedAck() {
    return extendedAck;
  }
}
