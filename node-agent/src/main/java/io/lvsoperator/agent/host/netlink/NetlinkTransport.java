package io.lvsoperator.agent.host.netlink;

import java.io.IOException;
import java.util.Optional;

/**
 * Datagrams to and from the kernel. The socket implementation is {@link ChannelTransport}; tests
 * use a fake that answers at the message level.
 */
public interface NetlinkTransport extends AutoCloseable {

  /** Sends one datagram of one or more encoded messages. */
  void send(byte[] datagram) throws IOException;

  /** Receives one datagram from the kernel, or empty after {@code timeoutMillis}. */
  Optional<byte[]> receive(int timeoutMillis) throws IOException;

  /** Our port id; replies to our requests carry it. */
  int portId() throws IOException;

  @Override
  void close() throws IOException;
}
