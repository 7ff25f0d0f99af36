package io.lvsoperator.agent.host.netlink;

import io.lvsoperator.agent.host.ffm.NativeException;
import io.lvsoperator.agent.host.ffm.NetlinkChannel;
import io.lvsoperator.agent.host.ffm.NetlinkDatagram;
import java.util.Optional;

/** A {@link NetlinkTransport} on a real socket; datagrams not sent by the kernel are dropped. */
public final class ChannelTransport implements NetlinkTransport {

  private final NetlinkChannel channel;
  private final int portId;

  private ChannelTransport(NetlinkChannel channel) throws NativeException {
    this.channel = channel;
    this.portId = channel.portId();
  }

  /** Opens a socket of {@code protocol} (NETLINK_ROUTE, NETLINK_GENERIC) with extended acks. */
  public static ChannelTransport open(int protocol) throws NativeException {
    NetlinkChannel channel = NetlinkChannel.open(protocol);
    try {
      channel.enableExtendedAck();
    } catch (NativeException e) {
      // Kernels before 4.12 have no extended ack: errors then come without text.
    }
    try {
      channel.enableCappedAck();
    } catch (NativeException e) {
      // Without NETLINK_CAP_ACK errors echo the whole request; the codec handles both.
    }
    return new ChannelTransport(channel);
  }

  /** The underlying channel, for group membership and buffer sizes. */
  public NetlinkChannel channel() {
    return channel;
  }

  @Override
  public void send(byte[] datagram) throws NativeException {
    channel.send(datagram);
  }

  @Override
  public Optional<byte[]> receive(int timeoutMillis) throws NativeException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    while (true) {
      int remaining =
          timeoutMillis < 0 ? -1 : (int) Math.max(0, (deadline - System.nanoTime()) / 1_000_000L);
      Optional<NetlinkDatagram> datagram = channel.receive(remaining);
      if (datagram.isEmpty()) {
        return Optional.empty();
      }
      if (datagram.get().fromKernel()) {
        return Optional.of(datagram.get().data());
      }
      if (remaining == 0) {
        return Optional.empty();
      }
    }
  }

  @Override
  public int portId() {
    return portId;
  }

  @Override
  public void close() throws NativeException {
    channel.close();
  }
}
