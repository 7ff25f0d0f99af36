package io.lvsoperator.agent.host.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvsoperator.agent.host.ffm.Errno;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetlinkCodecTest {

  private static final HexFormat HEX = HexFormat.of();

  /** What iproute2's {@code genl ctrl get name IPVS} sends (captured with strace -xx). */
  @Test
  void getFamilyRequestMatchesIproute2Bytes() {
    NetlinkMessage request =
        GenericNetlink.getFamilyRequest("IPVS")
            .with(NetlinkConstants.NLM_F_REQUEST | NetlinkConstants.NLM_F_ACK, 0x6b07bf92);

    byte[] bytes = NetlinkCodec.encode(request);

    assertThat(HEX.formatHex(bytes))
        .isEqualTo(
            "20000000" // nlmsg_len 32
                + "1000" // nlmsg_type GENL_ID_CTRL
                + "0500" // NLM_F_REQUEST | NLM_F_ACK
                + "92bf076b" // nlmsg_seq
                + "00000000" // nlmsg_pid
                + "03000000" // genlmsghdr: CTRL_CMD_GETFAMILY, version 0
                + "09000200" // nla_len 9, CTRL_ATTR_FAMILY_NAME
                + "4950565300" // "IPVS\0"
                + "000000"); // pad to 4
  }

  @Test
  void nestedAttributesGetTheirLengthAndFlag() {
    byte[] payload =
        new AttributeWriter()
            .beginNested(1)
            .u16(2, 0x1234)
            .be16(3, 80)
            .endNested()
            .u32(4, 7)
            .toByteArray();

    assertThat(HEX.formatHex(payload))
        .isEqualTo(
            "14000180" // nla_len 20, type 1 | NLA_F_NESTED
                + "06000200"
                + "34120000" // u16 0x1234, host order, padded
                + "06000300"
                + "00500000" // be16 80 = 00 50, padded
                + "08000400"
                + "07000000");
  }

  @Test
  void attributesRoundTrip() throws Exception {
    byte[] payload =
        new AttributeWriter()
            .string(1, "wlc")
            .beginNested(2)
            .u32(1, 42)
            .u64(2, 1L << 40)
            .endNested()
            .toByteArray();

    Attributes a = Attributes.parse(payload);

    assertThat(a.string(1)).contains("wlc");
    Attributes nested = a.nested(2).orElseThrow();
    assertThat(a.get(2).orElseThrow().nested()).isTrue();
    assertThat(nested.u32(1).getAsInt()).isEqualTo(42);
    assertThat(nested.u64(2).getAsLong()).isEqualTo(1L << 40);
  }

  @Test
  void multipartDatagramSplitsIntoMessages() throws Exception {
    byte[] datagram =
        HEX.parseHex(
            "14000000"
                + "1000"
                + "0200"
                + "07000000"
                + "92100000"
                + "01020304" // NEW, MULTI
                + "14000000"
                + "1000"
                + "0200"
                + "07000000"
                + "92100000"
                + "05060708"
                + "14000000"
                + "0300"
                + "0200"
                + "07000000"
                + "92100000"
                + "00000000"); // DONE

    List<NetlinkMessage> messages = NetlinkCodec.decode(datagram);

    assertThat(messages).extracting(NetlinkMessage::type).containsExactly(16, 16, 3);
    assertThat(messages.get(1).payload()).containsExactly(5, 6, 7, 8);
    assertThat(messages.get(0).hasFlag(NetlinkConstants.NLM_F_MULTI)).isTrue();
    assertThat(messages.get(2).sequence()).isEqualTo(7);
  }

  @Test
  void lengthBeyondTheDatagramIsRejected() {
    byte[] datagram = HEX.parseHex("40000000" + "1000" + "0000" + "01000000" + "00000000");

    assertThatThrownBy(() -> NetlinkCodec.decode(datagram))
        .isInstanceOf(NetlinkException.class)
        .hasMessageContaining("nlmsg_len 64 at offset 0 of a 16-byte datagram");
  }

  @Test
  void attributeLengthBeyondItsRunIsRejected() {
    assertThatThrownBy(() -> Attributes.parse(HEX.parseHex("0c000100" + "01000000")))
        .isInstanceOf(NetlinkException.class)
        .hasMessageContaining("nla_len 12");
  }

  /**
   * The kernel's reply to {@code ip link add kcxx type nosuchkind} (strace -xx): uncapped, so the
   * whole request is echoed before the NLMSGERR_ATTR_MSG "Unknown device type".
   */
  @Test
  void uncappedErrorWithExtendedAck() throws Exception {
    byte[] datagram =
        HEX.parseHex(
            "6c000000"
                + "0200"
                + "0002"
                + "92bf076b"
                + "19310000" // NLMSG_ERROR, ACK_TLVS
                + "a1ffffff" // error -95 EOPNOTSUPP
                + "40000000"
                + "1000"
                + "0506"
                + "92bf076b"
                + "00000000" // echoed header
                + "00000000000000000000000000000000" // ifinfomsg
                + "09000300"
                + "6b63787800"
                + "000000" // IFLA_IFNAME "kcxx"
                + "14001200"
                + "0e000100"
                + "6e6f737563686b696e64"
                + "0000" // LINKINFO/KIND
                + "18000100"
                + "556e6b6e6f776e206465766963652074797065"
                + "00");

    NetlinkMessage message = NetlinkCodec.decode(datagram).getFirst();
    NetlinkCodec.NetlinkError error = NetlinkCodec.decodeError(message);

    assertThat(error.errno()).isEqualTo(Errno.EOPNOTSUPP);
    assertThat(error.sequence()).isEqualTo(0x6b07bf92);
    assertThat(error.extendedAck()).isEqualTo("Unknown device type");
  }

  /** The kernel's ENOENT for CTRL_CMD_GETFAMILY IPVS on this host (no ext-ack, uncapped). */
  @Test
  void plainErrorWithoutTlvs() throws Exception {
    byte[] datagram =
        HEX.parseHex(
            "34000000"
                + "0200"
                + "0000"
                + "92bf076b"
                + "14310000"
                + "feffffff" // -ENOENT
                + "20000000"
                + "1000"
                + "0500"
                + "92bf076b"
                + "00000000"
                + "03000000"
                + "09000200"
                + "4950565300000000");

    NetlinkCodec.NetlinkError error =
        NetlinkCodec.decodeError(NetlinkCodec.decode(datagram).getFirst());

    assertThat(error.errno()).isEqualTo(Errno.ENOENT);
    assertThat(error.extendedAck()).isNull();
  }

  @Test
  void cappedErrorTlvsFollowTheEchoedHeaderOnly() throws Exception {
    NetlinkMessage request = new NetlinkMessage(0x20, 5, 9, 0, HEX.parseHex("0102030405060708"));
    NetlinkMessage reply = FakeNetlinkTransport.error(request, Errno.EINVAL, "bad scheduler");

    NetlinkCodec.NetlinkError error = NetlinkCodec.decodeError(reply);

    assertThat(error.errno()).isEqualTo(Errno.EINVAL);
    assertThat(error.sequence()).isEqualTo(9);
    assertThat(error.extendedAck()).isEqualTo("bad scheduler");
  }
}
