package io.lvsoperator.agent.host.ffm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Talks to the real kernel; NETLINK_ROUTE dumps need no privileges. */
class NetlinkChannelTest {

  private static final int NETLINK_ROUTE = 0;

  @Test
  void dumpsLinksFromTheKernel() throws Exception {
    try (NetlinkChannel channel = NetlinkChannel.open(NETLINK_ROUTE)) {
      int port = channel.portId();
      assertThat(port).isNotZero();
      // nlmsghdr(len 32, RTM_GETLINK 18, NLM_F_REQUEST|NLM_F_DUMP 0x301, seq 7, pid 0) + ifinfomsg
      ByteBuffer request = ByteBuffer.allocate(32).order(ByteOrder.nativeOrder());
      request.putInt(32).putShort((short) 18).putShort((short) 0x301).putInt(7).putInt(0);
      channel.send(request.array());

      Optional<NetlinkDatagram> reply = channel.receive(2000);

      assertThat(reply).isPresent();
      assertThat(reply.get().fromKernel()).isTrue();
      ByteBuffer data = ByteBuffer.wrap(reply.get().data()).order(ByteOrder.nativeOrder());
      assertThat(data.getInt(0)).isLessThanOrEqualTo(data.limit());
      assertThat(data.getShort(4)).isEqualTo((short) 16); // RTM_NEWLINK
      assertThat(data.getInt(8)).isEqualTo(7);
      assertThat(data.getInt(12)).isEqualTo(port);
    }
  }

  @Test
  void receiveTimesOutEmpty() throws Exception {
    try (NetlinkChannel channel = NetlinkChannel.open(NETLINK_ROUTE)) {
      assertThat(channel.receive(50)).isEmpty();
    }
  }

  @Test
  void closedChannelRefusesWithEbadf() throws Exception {
    NetlinkChannel channel = NetlinkChannel.open(NETLINK_ROUTE);
    channel.close();
    channel.close();
    assertThat(channel.isClosed()).isTrue();
    assertThatThrownBy(() -> channel.send(new byte[16]))
        .isInstanceOfSatisfying(
            NativeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBADF));
  }
}
