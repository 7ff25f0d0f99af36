package io.lvsoperator.agent.host.ffm;

/**
 * One datagram read from a netlink socket.
 *
 * @param data the bytes (one or more netlink messages)
 * @param senderPortId the sender's port id; 0 is the kernel
 * @param groups the multicast group mask it was sent to (0 for unicast)
 */
public record NetlinkDatagram(byte[] data, int senderPortId, int groups) {

  /** Whether the kernel sent it (another process could otherwise forge replies or events). */
  public boolean fromKernel() {
    return senderPortId == 0;
  }
}
