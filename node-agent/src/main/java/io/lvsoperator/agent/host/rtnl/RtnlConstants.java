package io.lvsoperator.agent.host.rtnl;

/**
 * Constants of linux/rtnetlink.h, linux/if_link.h, linux/if_addr.h and linux/if.h, under the
 * kernel's names.
 */
public final class RtnlConstants {
  private RtnlConstants() {}

  // Message types
  public static final int RTM_NEWLINK = 16;
  public static final int RTM_DELLINK = 17;
  public static final int RTM_GETLINK = 18;
  public static final int RTM_NEWADDR = 20;
  public static final int RTM_DELADDR = 21;
  public static final int RTM_GETADDR = 22;

  // Legacy multicast group masks (bind nl_groups) and group numbers (NETLINK_ADD_MEMBERSHIP)
  public static final int RTMGRP_LINK = 1;
  public static final int RTMGRP_IPV4_IFADDR = 0x10;
  public static final int RTMGRP_IPV6_IFADDR = 0x100;
  public static final int RTNLGRP_LINK = 1;
  public static final int RTNLGRP_IPV4_IFADDR = 5;
  public static final int RTNLGRP_IPV6_IFADDR = 9;

  // Address families
  public static final int AF_UNSPEC = 0;
  public static final int AF_INET = 2;
  public static final int AF_INET6 = 10;

  // enum rt_scope_t
  public static final int RT_SCOPE_UNIVERSE = 0;
  public static final int RT_SCOPE_SITE = 200;
  public static final int RT_SCOPE_LINK = 253;
  public static final int RT_SCOPE_HOST = 254;
  public static final int RT_SCOPE_NOWHERE = 255;

  // IFLA_* (struct ifinfomsg attributes)
  public static final int IFLA_UNSPEC = 0;
  public static final int IFLA_ADDRESS = 1;
  public static final int IFLA_BROADCAST = 2;
  public static final int IFLA_IFNAME = 3;
  public static final int IFLA_MTU = 4;
  public static final int IFLA_LINK = 5;
  public static final int IFLA_OPERSTATE = 16;
  public static final int IFLA_LINKMODE = 17;
  public static final int IFLA_LINKINFO = 18;
  public static final int IFLA_CARRIER = 33;
  public static final int IFLA_INFO_KIND = 1;

  // IFA_* (struct ifaddrmsg attributes)
  public static final int IFA_UNSPEC = 0;
  public static final int IFA_ADDRESS = 1;
  public static final int IFA_LOCAL = 2;
  public static final int IFA_LABEL = 3;
  public static final int IFA_BROADCAST = 4;
  public static final int IFA_ANYCAST = 5;
  public static final int IFA_CACHEINFO = 6;
  public static final int IFA_MULTICAST = 7;
  public static final int IFA_FLAGS = 8;

  // ifa_flags
  public static final int IFA_F_SECONDARY = 0x01;
  public static final int IFA_F_NODAD = 0x02;
  public static final int IFA_F_DADFAILED = 0x08;
  public static final int IFA_F_TENTATIVE = 0x40;
  public static final int IFA_F_PERMANENT = 0x80;
  public static final int IFA_F_NOPREFIXROUTE = 0x200;

  // Interface flags (linux/if.h)
  public static final int IFF_UP = 0x1;
  public static final int IFF_BROADCAST = 0x2;
  public static final int IFF_LOOPBACK = 0x8;
  public static final int IFF_RUNNING = 0x40;
  public static final int IFF_MULTICAST = 0x1000;
  public static final int IFF_LOWER_UP = 0x10000;

  // RFC 2863 operational states (IFLA_OPERSTATE)
  public static final int IF_OPER_UNKNOWN = 0;
  public static final int IF_OPER_NOTPRESENT = 1;
  public static final int IF_OPER_DOWN = 2;
  public static final int IF_OPER_LOWERLAYERDOWN = 3;
  public static final int IF_OPER_TESTING = 4;
  public static final int IF_OPER_DORMANT = 5;
  public static final int IF_OPER_UP = 6;

  /** IFNAMSIZ: names are at most 15 characters. */
  public static final int IFNAMSIZ = 16;
}
