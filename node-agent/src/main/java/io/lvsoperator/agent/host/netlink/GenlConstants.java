package io.lvsoperator.agent.host.netlink;

/** Constants of linux/genetlink.h, under the kernel's names. */
public final class GenlConstants {
  private GenlConstants() {}

  public static final int GENL_HDRLEN = 4;
  public static final int GENL_ID_CTRL = 0x10;

  // enum ctrl_cmd
  public static final int CTRL_CMD_UNSPEC = 0;
  public static final int CTRL_CMD_NEWFAMILY = 1;
  public static final int CTRL_CMD_DELFAMILY = 2;
  public static final int CTRL_CMD_GETFAMILY = 3;

  // enum ctrl_attr
  public static final int CTRL_ATTR_UNSPEC = 0;
  public static final int CTRL_ATTR_FAMILY_ID = 1;
  public static final int CTRL_ATTR_FAMILY_NAME = 2;
  public static final int CTRL_ATTR_VERSION = 3;
  public static final int CTRL_ATTR_HDRSIZE = 4;
  public static final int CTRL_ATTR_MAXATTR = 5;
  public static final int CTRL_ATTR_OPS = 6;
  public static final int CTRL_ATTR_MCAST_GROUPS = 7;

  // enum ctrl_attr_mcast_grp
  public static final int CTRL_ATTR_MCAST_GRP_UNSPEC = 0;
  public static final int CTRL_ATTR_MCAST_GRP_NAME = 1;
  public static final int CTRL_ATTR_MCAST_GRP_ID = 2;
}
