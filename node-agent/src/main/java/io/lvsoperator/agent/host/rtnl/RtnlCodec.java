package io.lvsoperator.agent.host.rtnl;

import static io.lvsoperator.agent.host.rtnl.RtnlConstants.*;

import io.lvsoperator.agent.host.netlink.AttributeWriter;
import io.lvsoperator.agent.host.netlink.Attributes;
import io.lvsoperator.agent.host.netlink.NetlinkConstants;
import io.lvsoperator.agent.host.netlink.NetlinkException;
import io.lvsoperator.agent.host.netlink.NetlinkMessage;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;

/** rtnetlink address and link messages: struct ifaddrmsg / ifinfomsg plus attributes. */
public final class RtnlCodec {

  private static final int IFADDRMSG_LEN = 8;
  private static final int IFINFOMSG_LEN = 16;

  private RtnlCodec() {}

  private static int family(InetAddress a) {
    return a instanceof Inet4Address ? AF_INET : AF_INET6;
  }

  // struct ifaddrmsg { u8 family, prefixlen, flags, scope; u32 index; }
  private static AttributeWriter ifaddrmsg(int family, int prefixLength, int scope, int index) {
    return new AttributeWriter()
        .rawU8(family)
        .rawU8(prefixLength)
        .rawU8(0)
        .rawU8(scope)
        .rawU32(index);
  }

  // ifaddrmsg, IFA_LOCAL, IFA_LABEL (IPv4, when given), IFA_ADDRESS: iproute2's order.
  private static AttributeWriter address(
      int index, InetAddress address, int prefixLength, String label) {
    AttributeWriter w = ifaddrmsg(family(address), prefixLength, RT_SCOPE_UNIVERSE, index);
    w.attribute(IFA_LOCAL, address.getAddress());
    if (label != null && address instanceof Inet4Address) {
      w.string(IFA_LABEL, label);
    }
    w.attribute(IFA_ADDRESS, address.getAddress());
    return w;
  }

  /** RTM_NEWADDR with NLM_F_CREATE|NLM_F_EXCL, attributes in iproute2's order. */
  public static NetlinkMessage newAddress(
      int index, InetAddress address, int prefixLength, String label) {
    return new NetlinkMessage(
        RTM_NEWADDR,
        NetlinkConstants.NLM_F_CREATE | NetlinkConstants.NLM_F_EXCL,
        0,
        0,
        address(index, address, prefixLength, label).toByteArray());
  }

  /**
   * RTM_NEWADDR with NLM_F_CREATE|NLM_F_REPLACE and IFA_CACHEINFO, as {@code ip addr replace ...
   * valid_lft V preferred_lft P} sends it: adds the address, or renews the lifetime of the one that
   * is there (the kernel changes nothing else of an existing address, its label included).
   */
  public static NetlinkMessage putAddress(
      int index, InetAddress address, int prefixLength, String label, AddressLifetime lifetime) {
    AttributeWriter w = address(index, address, prefixLength, label);
    // struct ifa_cacheinfo { u32 ifa_prefered, ifa_valid, cstamp, tstamp; } (the stamps: output)
    w.attribute(
        IFA_CACHEINFO,
        new AttributeWriter()
            .rawU32((int) lifetime.preferredSeconds())
            .rawU32((int) lifetime.validSeconds())
            .rawU32(0)
            .rawU32(0)
            .toByteArray());
    return new NetlinkMessage(
        RTM_NEWADDR,
        NetlinkConstants.NLM_F_CREATE | NetlinkConstants.NLM_F_REPLACE,
        0,
        0,
        w.toByteArray());
  }

  /** RTM_DELADDR for one address and prefix length. */
  public static NetlinkMessage deleteAddress(int index, InetAddress address, int prefixLength) {
    AttributeWriter w = ifaddrmsg(family(address), prefixLength, RT_SCOPE_UNIVERSE, index);
    w.attribute(IFA_LOCAL, address.getAddress());
    w.attribute(IFA_ADDRESS, address.getAddress());
    return new NetlinkMessage(RTM_DELADDR, 0, 0, 0, w.toByteArray());
  }

  /** RTM_GETADDR dump request for {@code family} (AF_UNSPEC: all). */
  public static NetlinkMessage dumpAddresses(int family) {
    return new NetlinkMessage(RTM_GETADDR, 0, 0, 0, ifaddrmsg(family, 0, 0, 0).toByteArray());
  }

  /** RTM_GETLINK dump request. */
  public static NetlinkMessage dumpLinks() {
    return new NetlinkMessage(RTM_GETLINK, 0, 0, 0, new byte[IFINFOMSG_LEN]);
  }

  /** RTM_GETLINK for one index. */
  public static NetlinkMessage getLink(int index) {
    byte[] ifinfomsg =
        new AttributeWriter()
            .rawU8(AF_UNSPEC)
            .rawU8(0)
            .rawU16(0)
            .rawU32(index)
            .rawU32(0)
            .rawU32(0)
            .toByteArray();
    return new NetlinkMessage(RTM_GETLINK, 0, 0, 0, ifinfomsg);
  }

  public static InterfaceAddress decodeAddress(NetlinkMessage m) throws NetlinkException {
    byte[] p = m.payload();
    if (p.length < IFADDRMSG_LEN) {
      throw NetlinkException.malformed("address message of " + p.length + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(p).order(ByteOrder.nativeOrder());
    int family = p[0] & 0xff;
    int prefixLength = p[1] & 0xff;
    int flags = p[2] & 0xff;
    int scope = p[3] & 0xff;
    int index = b.getInt(4);
    Attributes a = Attributes.parse(p, IFADDRMSG_LEN, p.length - IFADDRMSG_LEN);
    byte[] raw =
        a.bytes(family == AF_INET ? IFA_LOCAL : IFA_ADDRESS)
            .or(() -> a.bytes(IFA_ADDRESS))
            .orElseThrow(
                () -> NetlinkException.malformed("address message without IFA_LOCAL/IFA_ADDRESS"));
    int length = family == AF_INET ? 4 : 16;
    InetAddress address;
    try {
      address = InetAddress.getByAddress(Arrays.copyOf(raw, length));
    } catch (UnknownHostException e) {
      throw NetlinkException.malformed("address: " + e.getMessage());
    }
    return new InterfaceAddress(
        index,
        address,
        prefixLength,
        a.string(IFA_LABEL).orElse(null),
        scope,
        a.u32(IFA_FLAGS).orElse(flags));
  }

  public static LinkState decodeLink(NetlinkMessage m) throws NetlinkException {
    byte[] p = m.payload();
    if (p.length < IFINFOMSG_LEN) {
      throw NetlinkException.malformed("link message of " + p.length + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(p).order(ByteOrder.nativeOrder());
    int index = b.getInt(4);
    int flags = b.getInt(8);
    Attributes a = Attributes.parse(p, IFINFOMSG_LEN, p.length - IFINFOMSG_LEN);
    String name = a.string(IFLA_IFNAME).orElse("");
    OperState oper = OperState.fromValue(a.u8(IFLA_OPERSTATE).orElse(IF_OPER_UNKNOWN));
    boolean carrier =
        a.u8(IFLA_CARRIER).isPresent()
            ? a.u8(IFLA_CARRIER).getAsInt() != 0
            : (flags & IFF_LOWER_UP) != 0;
    String mac =
        a.bytes(IFLA_ADDRESS).map(bytes -> HexFormat.ofDelimiter(":").formatHex(bytes)).orElse("");
    return new LinkState(index, name, flags, oper, carrier, mac, a.u32(IFLA_MTU).orElse(0));
  }
}
