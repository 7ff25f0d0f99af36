package io.lvsoperator.agent.host.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lvsoperator.agent.host.ffm.Errno;
import io.lvsoperator.testing.HostCommands;
import org.junit.jupiter.api.Test;

/** The client against the host kernel: family resolution and a real extended-ack error. */
class NetlinkKernelIT {

  @Test
  void resolvesTheControllerFamilyItself() throws Exception {
    try (NetlinkClient client =
        new NetlinkClient(ChannelTransport.open(NetlinkConstants.NETLINK_GENERIC))) {
      GenlFamily nlctrl = GenericNetlink.resolve(client, "nlctrl");
      assertThat(nlctrl.id()).isEqualTo(GenlConstants.GENL_ID_CTRL);
      assertThat(nlctrl.multicastGroups()).containsKey("notify");
    }
  }

  @Test
  void missingFamilyIsEnoent() throws Exception {
    try (NetlinkClient client =
        new NetlinkClient(ChannelTransport.open(NetlinkConstants.NETLINK_GENERIC))) {
      assertThatThrownBy(() -> GenericNetlink.resolve(client, "NOSUCHFAMILY"))
          .isInstanceOfSatisfying(
              NetlinkException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT));
    }
  }

  /** RTM_NEWLINK of an unknown kind: the kernel says why in NLMSGERR_ATTR_MSG (capped ack). */
  @Test
  void kernelExtendedAckTextArrives() throws Exception {
    assumeTrue(HostCommands.isRoot(), "RTM_NEWLINK needs CAP_NET_ADMIN");
    byte[] payload =
        new AttributeWriter()
            .raw(new byte[16]) // ifinfomsg
            .string(3, HostCommands.uniqueName("kcnl")) // IFLA_IFNAME
            .beginNested(18, false) // IFLA_LINKINFO
            .string(1, "nosuchkind") // IFLA_INFO_KIND
            .endNested()
            .toByteArray();
    NetlinkMessage newLink =
        new NetlinkMessage(
            16, NetlinkConstants.NLM_F_CREATE | NetlinkConstants.NLM_F_EXCL, 0, 0, payload);
    try (NetlinkClient client =
        new NetlinkClient(ChannelTransport.open(NetlinkConstants.NETLINK_ROUTE))) {
      assertThatThrownBy(() -> client.request(newLink, "RTM_NEWLINK nosuchkind"))
          .isInstanceOfSatisfying(
              NetlinkException.class,
              e -> {
                assertThat(e.errno()).isEqualTo(Errno.EOPNOTSUPP);
                assertThat(e.extendedAck()).isEqualTo("Unknown device type");
              });
    }
  }
}
