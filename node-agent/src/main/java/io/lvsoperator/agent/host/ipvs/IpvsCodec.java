package io.lvsoperator.agent.host.ipvs;

import static io.lvsoperator.agent.ipvs.IpvsConstants.*;

import io.lvsoperator.agent.host.netlink.AttributeWriter;
import io.lvsoperator.agent.host.netlink.Attributes;
import io.lvsoperator.agent.host.netlink.GenericNetlink;
import io.lvsoperator.agent.host.netlink.NetlinkException;
import io.lvsoperator.agent.host.netlink.NetlinkMessage;
import io.lvsoperator.agent.ipvs.ForwardingMethod;
import io.lvsoperator.agent.ipvs.IpvsDestination;
import io.lvsoperator.agent.ipvs.IpvsOperation;
import io.lvsoperator.agent.ipvs.IpvsProtocol;
import io.lvsoperator.agent.ipvs.IpvsService;
import io.lvsoperator.agent.ipvs.IpvsServiceKey;
import io.lvsoperator.agent.ipvs.IpvsTimeouts;
import io.lvsoperator.agent.ipvs.SyncDaemon;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * IPVS generic netlink messages, laid out as linux/ip_vs.h and ip_vs_ctl.c expect: addresses as
 * 16-byte union nf_inet_addr, ports as __be16, the IPv4 persistence netmask as a __be32 mask and
 * the IPv6 one as a prefix length. Requests carry no sequence or flags yet; the client adds them.
 */
public final class IpvsCodec {

  private final int familyId;

  public IpvsCodec(int familyId) {
    this.familyId = familyId;
  }

  public int familyId() {
    return familyId;
  }

  private NetlinkMessage message(int command, int flags, AttributeWriter payload) {
    return GenericNetlink.message(familyId, flags, payload);
  }

  private static AttributeWriter payload(int command) {
    return GenericNetlink.payload(command, IPVS_GENL_VERSION);
  }

  /** The message for one operation. */
  public NetlinkMessage encode(IpvsOperation operation) {
    return switch (operation) {
      case IpvsOperation.AddService a -> serviceMessage(IPVS_CMD_NEW_SERVICE, a.service());
      case IpvsOperation.EditService e -> serviceMessage(IPVS_CMD_SET_SERVICE, e.service());
      case IpvsOperation.DeleteService d ->
          message(
              IPVS_CMD_DEL_SERVICE, 0, serviceKey(payload(IPVS_CMD_DEL_SERVICE), d.serviceKey()));
      case IpvsOperation.AddDestination a ->
          destinationMessage(IPVS_CMD_NEW_DEST, a.serviceKey(), a.destination(), true);
      case IpvsOperation.EditDestination e ->
          destinationMessage(IPVS_CMD_SET_DEST, e.serviceKey(), e.destination(), true);
      case IpvsOperation.DeleteDestination d ->
          destinationMessage(IPVS_CMD_DEL_DEST, d.serviceKey(), d.destination(), false);
    };
  }

  private NetlinkMessage serviceMessage(int command, IpvsService service) {
    AttributeWriter w = payload(command);
    w.beginNested(IPVS_CMD_ATTR_SERVICE);
    keyAttributes(w, service.key());
    w.string(IPVS_SVC_ATTR_SCHED_NAME, service.scheduler());
    if (service.persistenceEngine() != null) {
      w.string(IPVS_SVC_ATTR_PE_NAME, service.persistenceEngine());
    }
    int flags =
        service.flags() | (service.persistenceTimeoutSeconds() > 0 ? IP_VS_SVC_F_PERSISTENT : 0);
    // struct ip_vs_flags { __u32 flags; __u32 mask; }: all bits ours, as ipvsadm sends it (the
    // kernel sets HASHED itself).
    w.attribute(IPVS_SVC_ATTR_FLAGS, new AttributeWriter().rawU32(flags).rawU32(-1).toByteArray());
    w.u32(IPVS_SVC_ATTR_TIMEOUT, service.persistenceTimeoutSeconds());
    w.attribute(
        IPVS_SVC_ATTR_NETMASK, netmask(service.key().family(), service.persistenceNetmask()));
    w.endNested();
    return message(command, 0, w);
  }

  private static AttributeWriter serviceKey(AttributeWriter w, IpvsServiceKey key) {
    w.beginNested(IPVS_CMD_ATTR_SERVICE);
    keyAttributes(w, key);
    return w.endNested();
  }

  private static void keyAttributes(AttributeWriter w, IpvsServiceKey key) {
    w.u16(IPVS_SVC_ATTR_AF, key.family());
    if (key.isFwmark()) {
      w.u32(IPVS_SVC_ATTR_FWMARK, key.fwmark());
    } else {
      w.u16(IPVS_SVC_ATTR_PROTOCOL, key.protocol().value());
      w.attribute(IPVS_SVC_ATTR_ADDR, inetAddr(key.address()));
      w.be16(IPVS_SVC_ATTR_PORT, key.port());
    }
  }

  private NetlinkMessage destinationMessage(
      int command, IpvsServiceKey service, IpvsDestination d, boolean fullEntry) {
    AttributeWriter w = payload(command);
    serviceKey(w, service);
    w.beginNested(IPVS_CMD_ATTR_DEST);
    w.attribute(IPVS_DEST_ATTR_ADDR, inetAddr(d.address()));
    w.be16(IPVS_DEST_ATTR_PORT, d.port());
    w.u16(IPVS_DEST_ATTR_ADDR_FAMILY, IpvsServiceKey.familyOf(d.address()));
    if (fullEntry) {
      w.u32(IPVS_DEST_ATTR_FWD_METHOD, d.forwarding().value());
      w.u32(IPVS_DEST_ATTR_WEIGHT, d.weight());
      w.u32(IPVS_DEST_ATTR_U_THRESH, d.upperThreshold());
      w.u32(IPVS_DEST_ATTR_L_THRESH, d.lowerThreshold());
    }
    w.endNested();
    return message(command, 0, w);
  }

  /** The service dump request (IPVS_CMD_GET_SERVICE; the client adds NLM_F_DUMP). */
  public NetlinkMessage dumpServices() {
    return message(IPVS_CMD_GET_SERVICE, 0, payload(IPVS_CMD_GET_SERVICE));
  }

  /** The destination dump request of one service. */
  public NetlinkMessage dumpDestinations(IpvsServiceKey key) {
    return message(IPVS_CMD_GET_DEST, 0, serviceKey(payload(IPVS_CMD_GET_DEST), key));
  }

  public NetlinkMessage getConfig() {
    return message(IPVS_CMD_GET_CONFIG, 0, payload(IPVS_CMD_GET_CONFIG));
  }

  public NetlinkMessage setConfig(IpvsTimeouts t) {
    return message(
        IPVS_CMD_SET_CONFIG,
        0,
        payload(IPVS_CMD_SET_CONFIG)
            .u32(IPVS_CMD_ATTR_TIMEOUT_TCP, t.tcpSeconds())
            .u32(IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, t.tcpFinSeconds())
            .u32(IPVS_CMD_ATTR_TIMEOUT_UDP, t.udpSeconds()));
  }

  /**
   * IPVS_CMD_NEW_DAEMON in ipvsadm's attribute order; the options (maxlen, port, TTL, group) only
   * when set, so that the kernel takes its defaults for the others (and kernels before 4.3, which
   * know none of them, still take a daemon without options).
   */
  public NetlinkMessage newDaemon(SyncDaemon daemon) {
    AttributeWriter w =
        payload(IPVS_CMD_NEW_DAEMON)
            .beginNested(IPVS_CMD_ATTR_DAEMON)
            .u32(IPVS_DAEMON_ATTR_STATE, daemon.state())
            .string(IPVS_DAEMON_ATTR_MCAST_IFN, daemon.interfaceName())
            .u32(IPVS_DAEMON_ATTR_SYNC_ID, daemon.syncId());
    if (daemon.maxLength() != 0) {
      w.u16(IPVS_DAEMON_ATTR_SYNC_MAXLEN, daemon.maxLength());
    }
    if (daemon.port() != 0) {
      w.u16(IPVS_DAEMON_ATTR_MCAST_PORT, daemon.port()); // host order: the kernel htons()es it
    }
    if (daemon.ttl() != 0) {
      w.u8(IPVS_DAEMON_ATTR_MCAST_TTL, daemon.ttl());
    }
    if (daemon.group() != null) {
      w.attribute(IPVS_DAEMON_ATTR_MCAST_GROUP, daemon.group().getAddress()); // __be32
    }
    return message(IPVS_CMD_NEW_DAEMON, 0, w.endNested());
  }

  public NetlinkMessage delDaemon(int state) {
    return message(
        IPVS_CMD_DEL_DAEMON,
        0,
        payload(IPVS_CMD_DEL_DAEMON)
            .beginNested(IPVS_CMD_ATTR_DAEMON)
            .u32(IPVS_DAEMON_ATTR_STATE, state)
            .endNested());
  }

  public NetlinkMessage dumpDaemons() {
    return message(IPVS_CMD_GET_DAEMON, 0, payload(IPVS_CMD_GET_DAEMON));
  }

  /**
   * Decodes one service of a dump (IPVS_CMD_NEW_SERVICE with a nested IPVS_CMD_ATTR_SERVICE). A
   * reply the records refuse (an unknown protocol or family, a negative timeout, a prefix out of
   * range) is malformed, like one whose lengths are wrong: only {@link NetlinkException} leaves.
   */
  public static IpvsService decodeService(NetlinkMessage message) throws NetlinkException {
    try {
      return service(message);
    } catch (IllegalArgumentException e) {
      throw NetlinkException.malformed("service reply: " + e.getMessage());
    }
  }

  private static IpvsService service(NetlinkMessage message) throws NetlinkException {
    Attributes top = GenericNetlink.attributes(message);
    Attributes s =
        top.nested(IPVS_CMD_ATTR_SERVICE)
            .orElseThrow(
                () -> NetlinkException.malformed("service reply without IPVS_CMD_ATTR_SERVICE"));
    int family = s.require(IPVS_SVC_ATTR_AF, "IPVS_SVC_ATTR_AF").u16();
    IpvsServiceKey key;
    OptionalInt fwmark = s.u32(IPVS_SVC_ATTR_FWMARK);
    if (fwmark.isPresent() && fwmark.getAsInt() != 0) {
      key = IpvsServiceKey.ofFwmark(family, fwmark.getAsInt());
    } else {
      IpvsProtocol protocol =
          IpvsProtocol.fromValue(s.require(IPVS_SVC_ATTR_PROTOCOL, "IPVS_SVC_ATTR_PROTOCOL").u16());
      InetAddress address =
          address(family, s.require(IPVS_SVC_ATTR_ADDR, "IPVS_SVC_ATTR_ADDR").value());
      int port = s.require(IPVS_SVC_ATTR_PORT, "IPVS_SVC_ATTR_PORT").be16();
      key = new IpvsServiceKey(family, protocol, address, port, 0);
    }
    String scheduler = s.require(IPVS_SVC_ATTR_SCHED_NAME, "IPVS_SVC_ATTR_SCHED_NAME").string();
    String engine = s.string(IPVS_SVC_ATTR_PE_NAME).orElse(null);
    int flags = s.require(IPVS_SVC_ATTR_FLAGS, "IPVS_SVC_ATTR_FLAGS").u32();
    int timeout = s.u32(IPVS_SVC_ATTR_TIMEOUT).orElse(0);
    byte[] netmask = s.require(IPVS_SVC_ATTR_NETMASK, "IPVS_SVC_ATTR_NETMASK").value();
    boolean persistent = (flags & IP_VS_SVC_F_PERSISTENT) != 0;
    return new IpvsService(
        key,
        scheduler,
        flags & ~(IP_VS_SVC_F_PERSISTENT | IP_VS_SVC_F_HASHED),
        persistent ? timeout : 0,
        prefixLength(family, netmask),
        engine);
  }

  /** Decodes one destination of a dump; as {@link #decodeService}, only NetlinkException leaves. */
  public static IpvsDestination decodeDestination(NetlinkMessage message, int serviceFamily)
      throws NetlinkException {
    try {
      return destination(message, serviceFamily);
    } catch (IllegalArgumentException e) {
      throw NetlinkException.malformed("destination reply: " + e.getMessage());
    }
  }

  private static IpvsDestination destination(NetlinkMessage message, int serviceFamily)
      throws NetlinkException {
    Attributes top = GenericNetlink.attributes(message);
    Attributes d =
        top.nested(IPVS_CMD_ATTR_DEST)
            .orElseThrow(
                () -> NetlinkException.malformed("destination reply without IPVS_CMD_ATTR_DEST"));
    int family = d.u16(IPVS_DEST_ATTR_ADDR_FAMILY).orElse(serviceFamily);
    return new IpvsDestination(
        address(family, d.require(IPVS_DEST_ATTR_ADDR, "IPVS_DEST_ATTR_ADDR").value()),
        d.require(IPVS_DEST_ATTR_PORT, "IPVS_DEST_ATTR_PORT").be16(),
        ForwardingMethod.fromValue(
            d.require(IPVS_DEST_ATTR_FWD_METHOD, "IPVS_DEST_ATTR_FWD_METHOD").u32()),
        d.require(IPVS_DEST_ATTR_WEIGHT, "IPVS_DEST_ATTR_WEIGHT").u32(),
        d.u32(IPVS_DEST_ATTR_U_THRESH).orElse(0),
        d.u32(IPVS_DEST_ATTR_L_THRESH).orElse(0));
  }

  public static IpvsTimeouts decodeConfig(NetlinkMessage message) throws NetlinkException {
    Attributes a = GenericNetlink.attributes(message);
    return new IpvsTimeouts(
        a.u32(IPVS_CMD_ATTR_TIMEOUT_TCP).orElse(0),
        a.u32(IPVS_CMD_ATTR_TIMEOUT_TCP_FIN).orElse(0),
        a.u32(IPVS_CMD_ATTR_TIMEOUT_UDP).orElse(0));
  }

  public static SyncDaemon decodeDaemon(NetlinkMessage message) throws NetlinkException {
    Attributes d =
        GenericNetlink.attributes(message)
            .nested(IPVS_CMD_ATTR_DAEMON)
            .orElseThrow(
                () -> NetlinkException.malformed("daemon reply without IPVS_CMD_ATTR_DAEMON"));
    InetAddress group = null;
    var raw = d.bytes(IPVS_DAEMON_ATTR_MCAST_GROUP);
    if (raw.isPresent()) {
      try {
        group = InetAddress.getByAddress(raw.get());
      } catch (UnknownHostException e) {
        throw NetlinkException.malformed("IPVS_DAEMON_ATTR_MCAST_GROUP of " + raw.get().length);
      }
    }
    try {
      return new SyncDaemon(
          d.require(IPVS_DAEMON_ATTR_STATE, "IPVS_DAEMON_ATTR_STATE").u32(),
          d.require(IPVS_DAEMON_ATTR_MCAST_IFN, "IPVS_DAEMON_ATTR_MCAST_IFN").string(),
          d.require(IPVS_DAEMON_ATTR_SYNC_ID, "IPVS_DAEMON_ATTR_SYNC_ID").u32(),
          d.u16(IPVS_DAEMON_ATTR_SYNC_MAXLEN).orElse(0),
          d.u16(IPVS_DAEMON_ATTR_MCAST_PORT).orElse(0),
          d.u8(IPVS_DAEMON_ATTR_MCAST_TTL).orElse(0),
          group);
    } catch (IllegalArgumentException e) {
      throw NetlinkException.malformed("daemon reply: " + e.getMessage());
    }
  }

  /** union nf_inet_addr: 16 bytes, an IPv4 address in the first 4. */
  static byte[] inetAddr(InetAddress address) {
    return Arrays.copyOf(address.getAddress(), 16);
  }

  static InetAddress address(int family, byte[] value) throws NetlinkException {
    int length = family == AF_INET6 ? 16 : 4;
    if (value.length < length) {
      throw NetlinkException.malformed(
          "address of " + value.length + " bytes for family " + family);
    }
    try {
      return InetAddress.getByAddress(Arrays.copyOf(value, length));
    } catch (UnknownHostException e) {
      throw NetlinkException.malformed("address: " + e.getMessage());
    }
  }

  // IPv4: the mask itself, __be32 (255.255.255.255 for /32). IPv6: the prefix length, host order.
  static byte[] netmask(int family, int prefixLength) {
    if (family == AF_INET6) {
      return new AttributeWriter().rawU32(prefixLength).toByteArray();
    }
    int mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    return new byte[] {
      (byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask
    };
  }

  static int prefixLength(int family, byte[] value) throws NetlinkException {
    if (value.length < 4) {
      throw NetlinkException.malformed("IPVS_SVC_ATTR_NETMASK of " + value.length + " bytes");
    }
    if (family == AF_INET6) {
      return java.nio.ByteBuffer.wrap(value).order(java.nio.ByteOrder.nativeOrder()).getInt();
    }
    int mask =
        ((value[0] & 0xff) << 24)
            | ((value[1] & 0xff) << 16)
            | ((value[2] & 0xff) << 8)
            | (value[3] & 0xff);
    // A hand-made service may carry a non-contiguous mask; its bit count is close enough to
    // compare, and such a service is only ever ours to edit.
    return Integer.bitCount(mask);
  }
}
