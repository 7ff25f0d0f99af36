package io.lvsoperator.agent.host.rtnl;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvsoperator.agent.host.netlink.AttributeWriter;
import io.lvsoperator.agent.host.netlink.NetlinkCodec;
import io.lvsoperator.agent.host.netlink.NetlinkConstants;
import io.lvsoperator.agent.host.netlink.NetlinkMessage;
import java.net.InetAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Requests pinned to what iproute2 sends (strace -xx of ip addr add/del), flags aside. */
class RtnlCodecTest {

  private static final HexFormat HEX = HexFormat.of();

  private static String encode(NetlinkMessage m) {
    return HEX.formatHex(
        NetlinkCodec.encode(
            m.with(m.flags() | NetlinkConstants.NLM_F_REQUEST | NetlinkConstants.NLM_F_ACK, 1)));
  }

  @Test
  void newAddressWithLabelMatchesIpAddrAdd() throws Exception {
    // ip addr add 10.1.2.3/24 dev kcst0a label kcst0a:1 (ifindex 7)
    assertThat(encode(RtnlCodec.newAddress(7, InetAddress.getByName("10.1.2.3"), 24, "kcst0a:1")))
        .isEqualTo(
            "38000000"
                + "1400"
                + "0506"
                + "01000000"
                + "00000000" // RTM_NEWADDR, REQ|ACK|EXCL|CREATE
                + "02"
                + "18"
                + "00"
                + "00"
                + "07000000" // ifaddrmsg AF_INET /24 universe idx 7
                + "08000200"
                + "0a010203" // IFA_LOCAL
                + "0d000300"
                + "6b63737430613a3100"
                + "000000" // IFA_LABEL "kcst0a:1"
                + "08000100"
                + "0a010203"); // IFA_ADDRESS
  }

  @Test
  void putAddressWithLifetimeMatchesIpAddrReplace() throws Exception {
    // ip addr replace 10.1.2.3/24 dev kcst0a label kcst0a:1 valid_lft 1 preferred_lft 1
    assertThat(
            encode(
                RtnlCodec.putAddress(
                    7,
                    InetAddress.getByName("10.1.2.3"),
                    24,
                    "kcst0a:1",
                    new AddressLifetime(1, 1))))
        .isEqualTo(
            "4c000000"
                + "1400"
                + "0505"
                + "01000000"
                + "00000000" // RTM_NEWADDR, REQ|ACK|REPLACE|CREATE
                + "02"
                + "18"
                + "00"
                + "00"
                + "07000000" // ifaddrmsg AF_INET /24 universe idx 7
                + "08000200"
                + "0a010203" // IFA_LOCAL
                + "0d000300"
                + "6b63737430613a3100"
                + "000000" // IFA_LABEL "kcst0a:1"
                + "08000100"
                + "0a010203" // IFA_ADDRESS
                + "14000600" // IFA_CACHEINFO
                + "01000000" // ifa_prefered 1 s
                + "01000000" // ifa_valid 1 s
                + "00000000"
                + "00000000"); // cstamp, tstamp (the kernel's, ignored on input)
  }

  @Test
  void lifetimesAreWholeSecondsAndValidatedLikeTheKernelsFields() {
    assertThat(AddressLifetime.of(java.time.Duration.ofMillis(1)))
        .isEqualTo(new AddressLifetime(1, 1));
    assertThat(AddressLifetime.of(java.time.Duration.ofMillis(2001)))
        .isEqualTo(new AddressLifetime(3, 3));
    assertThat(AddressLifetime.PERMANENT.permanent()).isTrue();
    assertThat(new AddressLifetime(1, 1).permanent()).isFalse();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AddressLifetime(0, 0))
        .hasMessage("valid lifetime: 0 s is not 1 s or more");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AddressLifetime(1, 2))
        .hasMessage("preferred lifetime: 2 s is not 0 to 1 s");
  }

  @Test
  void deleteAddressMatchesIpAddrDel() throws Exception {
    assertThat(encode(RtnlCodec.deleteAddress(7, InetAddress.getByName("10.1.2.3"), 24)))
        .isEqualTo(
            "28000000"
                + "1500"
                + "0500"
                + "01000000"
                + "00000000"
                + "02180000"
                + "07000000"
                + "08000200"
                + "0a010203"
                + "08000100"
                + "0a010203");
  }

  @Test
  void decodesLinkWithCarrierOperStateAndMac() throws Exception {
    byte[] payload =
        new AttributeWriter()
            .rawU8(0)
            .rawU8(0)
            .rawU16(1)
            .rawU32(7)
            .rawU32(RtnlConstants.IFF_UP | RtnlConstants.IFF_MULTICAST)
            .rawU32(0)
            .string(RtnlConstants.IFLA_IFNAME, "eth0")
            .u32(RtnlConstants.IFLA_MTU, 1500)
            .u8(RtnlConstants.IFLA_OPERSTATE, RtnlConstants.IF_OPER_LOWERLAYERDOWN)
            .u8(RtnlConstants.IFLA_CARRIER, 0)
            .attribute(RtnlConstants.IFLA_ADDRESS, HEX.parseHex("020000000001"))
            .toByteArray();

    LinkState link =
        RtnlCodec.decodeLink(new NetlinkMessage(RtnlConstants.RTM_NEWLINK, 0, 0, 0, payload));

    assertThat(link)
        .isEqualTo(
            new LinkState(
                7, "eth0", 0x1001, OperState.LOWERLAYERDOWN, false, "02:00:00:00:00:01", 1500));
    assertThat(link.adminUp()).isTrue();
    assertThat(link.usable()).isFalse();
  }

  @Test
  void decodesLabelledSecondaryAddress() throws Exception {
    byte[] payload =
        new AttributeWriter()
            .rawU8(2)
            .rawU8(16)
            .rawU8(RtnlConstants.IFA_F_SECONDARY)
            .rawU8(0)
            .rawU32(3)
            .attribute(RtnlConstants.IFA_ADDRESS, HEX.parseHex("ac140164"))
            .attribute(RtnlConstants.IFA_LOCAL, HEX.parseHex("ac140164"))
            .string(RtnlConstants.IFA_LABEL, "eth0:1")
            .u32(
                RtnlConstants.IFA_FLAGS,
                RtnlConstants.IFA_F_SECONDARY | RtnlConstants.IFA_F_PERMANENT)
            .toByteArray();

    InterfaceAddress a =
        RtnlCodec.decodeAddress(new NetlinkMessage(RtnlConstants.RTM_NEWADDR, 0, 0, 0, payload));

    assertThat(a)
        .isEqualTo(
            new InterfaceAddress(3, InetAddress.getByName("172.20.1.100"), 16, "eth0:1", 0, 0x81));
    assertThat(a.secondary()).isTrue();
  }
}
