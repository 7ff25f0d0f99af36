package io.lvsoperator.agent.vrrp.codec;

/** Wire constants of RFC 5798 (VRRPv3) and RFC 3768 (VRRPv2), under the RFCs' names. */
public final class VrrpConstants {
  private VrrpConstants() {}

  /** IP protocol number assigned to VRRP. */
  public static final int IPPROTO_VRRP = 112;

  /** The IPv4 multicast group adverts are sent to: 224.0.0.18. */
  public static final byte[] IPV4_MULTICAST_GROUP = {(byte) 224, 0, 0, 18};

  /** Adverts are sent, and must be received, with this IPv4 TTL / IPv6 hop limit. */
  public static final int TTL = 255;

  /** Fixed part of the VRRP message, before the address list. */
  public static final int HEADER_LENGTH = 8;

  /** Length of the v2 authentication data that follows the address list. */
  public static final int V2_AUTH_DATA_LENGTH = 8;

  public static final int IPV4_ADDRESS_LENGTH = 4;
  public static final int IPV6_ADDRESS_LENGTH = 16;

  /** Minimum IPv4 header length (IHL 5). */
  public static final int IPV4_MIN_HEADER_LENGTH = 20;

  /** Priority of the router that owns the virtual addresses. */
  public static final int PRIORITY_OWNER = 255;

  /** Priority a master sends when it stops, so that backups take over after Skew_Time. */
  public static final int PRIORITY_STOP = 0;

  /** Highest priority a non-owner may use. */
  public static final int PRIORITY_MAX_BACKUP = 254;

  /** v3 Max Adver Int is a 12-bit count of centiseconds. */
  public static final int V3_MAX_ADVER_INT_CENTIS = 0x0fff;

  /** v2 Adver Int is an 8-bit count of seconds. */
  public static final int V2_MAX_ADVER_INT_SECONDS = 0xff;

  /** Most addresses a message can carry (the count field is 8 bits). */
  public static final int MAX_ADDRESS_COUNT = 255;

  /** Largest VRRP message: v2 header, 255 IPv6 addresses... bounded by the count field. */
  public static final int MAX_MESSAGE_LENGTH =
      HEADER_LENGTH + MAX_ADDRESS_COUNT * IPV6_ADDRESS_LENGTH + V2_AUTH_DATA_LENGTH;
}
