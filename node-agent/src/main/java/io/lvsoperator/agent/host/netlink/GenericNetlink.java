package io.lvsoperator.agent.host.netlink;

import static io.lvsoperator.agent.host.netlink.GenlConstants.CTRL_ATTR_FAMILY_ID;
import static io.lvsoperator.agent.host.netlink.GenlConstants.CTRL_ATTR_FAMILY_NAME;
import static io.lvsoperator.agent.host.netlink.GenlConstants.CTRL_ATTR_MAXATTR;
import static io.lvsoperator.agent.host.netlink.GenlConstants.CTRL_ATTR_MCAST_GROUPS;
import static io.lvsoperator.agent.host.netlink.GenlConstants.CTRL_ATTR_MCAST_GRP_ID;
import static io.lvsoperator.agent.host.netlink.GenlConstants.CTRL_ATTR_MCAST_GRP_NAME;
import static io.lvsoperator.agent.host.netlink.GenlConstants.CTRL_ATTR_VERSION;
import static io.lvsoperator.agent.host.netlink.GenlConstants.CTRL_CMD_GETFAMILY;
import static io.lvsoperator.agent.host.netlink.GenlConstants.GENL_HDRLEN;
import static io.lvsoperator.agent.host.netlink.GenlConstants.GENL_ID_CTRL;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Generic netlink message framing (struct genlmsghdr) and family resolution. */
public final class GenericNetlink {

  private GenericNetlink() {}

  /** A payload writer that starts with genlmsghdr { u8 cmd; u8 version; u16 reserved; }. */
  public static AttributeWriter payload(int command, int version) {
    return new AttributeWriter().rawU8(command).rawU8(version).rawU16(0);
  }

  /** A request message for {@code familyId} (flags besides REQUEST/ACK/DUMP as given). */
  public static NetlinkMessage message(int familyId, int flags, AttributeWriter payload) {
    return new NetlinkMessage(familyId, flags, 0, 0, payload.toByteArray());
  }

  /** The command byte of a generic netlink message. */
  public static int command(NetlinkMessage message) throws NetlinkException {
    requireHeader(message);
    return message.payload()[0] & 0xff;
  }

  /** The attributes after the genlmsghdr. */
  public static Attributes attributes(NetlinkMessage message) throws NetlinkException {
    requireHeader(message);
    return Attributes.parse(message.payload(), GENL_HDRLEN, message.payload().length - GENL_HDRLEN);
  }

  private static void requireHeader(NetlinkMessage message) throws NetlinkException {
    if (message.payload().length < GENL_HDRLEN) {
      throw NetlinkException.malformed(
          "generic netlink message of " + message.payload().length + " bytes has no genlmsghdr");
    }
  }

  /** The CTRL_CMD_GETFAMILY request for {@code name}. */
  public static NetlinkMessage getFamilyRequest(String name) {
    return message(
        GENL_ID_CTRL, 0, payload(CTRL_CMD_GETFAMILY, 0).string(CTRL_ATTR_FAMILY_NAME, name));
  }

  /**
   * Resolves a family by name. A kernel without it answers ENOENT, which arrives as a {@link
   * NetlinkException} with that errno.
   */
  public static GenlFamily resolve(NetlinkClient client, String name) throws IOException {
    List<NetlinkMessage> replies =
        client.request(getFamilyRequest(name), "CTRL_CMD_GETFAMILY " + name);
    if (replies.isEmpty()) {
      throw NetlinkException.malformed("CTRL_CMD_GETFAMILY " + name + ": no family in the reply");
    }
    return parseFamily(replies.getFirst());
  }

  static GenlFamily parseFamily(NetlinkMessage reply) throws NetlinkException {
    Attributes a = attributes(reply);
    int id = a.require(CTRL_ATTR_FAMILY_ID, "CTRL_ATTR_FAMILY_ID").u16();
    String name = a.require(CTRL_ATTR_FAMILY_NAME, "CTRL_ATTR_FAMILY_NAME").string();
    int version = a.u32(CTRL_ATTR_VERSION).orElse(0);
    int maxAttribute = a.u32(CTRL_ATTR_MAXATTR).orElse(0);
    Map<String, Integer> groups = new HashMap<>();
    if (a.get(CTRL_ATTR_MCAST_GROUPS).isPresent()) {
      for (Attribute group : a.nested(CTRL_ATTR_MCAST_GROUPS).orElseThrow().all()) {
        Attributes g = group.nestedAttributes();
        groups.put(
            g.require(CTRL_ATTR_MCAST_GRP_NAME, "CTRL_ATTR_MCAST_GRP_NAME").string(),
            g.require(CTRL_ATTR_MCAST_GRP_ID, "CTRL_ATTR_MCAST_GRP_ID").u32());
      }
    }
    return new GenlFamily(id, name, version, maxAttribute, groups);
  }
}
