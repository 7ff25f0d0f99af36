package io.lvsoperator.api.v1alpha1;

/** Regular expressions shared by the OpenAPI schema and the compiler's own checks. */
public final class Patterns {
  private Patterns() {}

  /** IPv4 dotted quad, or IPv6 text (checked exactly by the compiler). */
  public static final String IP_ADDRESS =
      "^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$"
          + "|^[0-9a-fA-F:.]*:[0-9a-fA-F:.]*$";

  /** IPv4 netmask in dotted-quad form. */
  public static final String IPV4_NETMASK =
      "^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$";

  /** A duration: digits and a unit, ms, s or m. */
  public static final String DURATION = "^[0-9]{1,9}(ms|s|m)$";

  /** A Linux interface name (IFNAMSIZ 16 including the terminating NUL). */
  public static final String INTERFACE_NAME = "^[a-zA-Z0-9][a-zA-Z0-9_.@-]{0,14}$";

  /** A DNS label (RFC 1123): lower-case letters, digits and dashes, at most 63 characters. */
  public static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$";

  /** A sync group name: a DNS label. */
  public static final String SYNC_GROUP = DNS_LABEL;

  /**
   * An HTTP check's request path: "/" then printable ASCII without spaces (RFC 3986; anything else
   * percent-encoded). A CR or LF would end the request line and let a manifest inject headers.
   */
  public static final String HTTP_PATH = "^/[!-~]*$";

  /** An HTTP check's Host header (and TLS server name): printable ASCII without spaces. */
  public static final String HTTP_HOST = "^[!-~]{1,253}$";

  /**
   * A VRRP v2 PASS password: 1 to 8 printable ASCII characters, the 8 bytes of the advert's
   * authentication data. keepalived cuts a longer auth_pass to its first 8 with a warning; we
   * refuse it, so what is written is what goes on the wire.
   */
  public static final String VRRP_AUTH_PASS = "^[!-~]{1,8}$";

  /** An address label: the interface name, optionally ":" and a suffix, 15 bytes at most. */
  public static final String INTERFACE_LABEL = "^[a-zA-Z0-9][a-zA-Z0-9_.@:-]{0,14}$";

  /** The name of a namespaced object: a DNS subdomain (RFC 1123), at most 253 characters. */
  public static final String OBJECT_NAME =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** An IPv4 address, or a range in the last octet such as 10.0.0.10-20. */
  public static final String IPV4_ADDRESS_RANGE =
      "^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
          + "(-(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9]))?$";

  /**
   * An address range: IPv4 with /0 to /32, or IPv6 text with /0 to /128 (checked exactly later).
   */
  public static final String CIDR =
      "^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
          + "/(3[0-2]|[12]?[0-9])$"
          + "|^[0-9a-fA-F:.]*:[0-9a-fA-F:.]*/(12[0-8]|1[01][0-9]|[1-9]?[0-9])$";

  /** A namespace name: a DNS label. */
  public static final String NAMESPACE_NAME = DNS_LABEL;

  /**
   * An AddressPool's addresses: an IPv4 address, a range of two addresses (10.0.0.10-10.0.0.20), or
   * a CIDR block (10.0.0.0/28).
   */
  public static final String IPV4_POOL_RANGE =
      "^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
          + "(-((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
          + "|/(3[0-2]|[12]?[0-9]))?$";
}
