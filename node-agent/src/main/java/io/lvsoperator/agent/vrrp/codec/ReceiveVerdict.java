package io.lvsoperator.agent.vrrp.codec;

/** What the receive checks of RFC 5798 / RFC 3768 section 7.1 made of one packet. */
public enum ReceiveVerdict {
  /** Passed every check; the state machine processes it. */
  ACCEPTED,
  /** Shorter than its IP header, than its IP total length, or than the VRRP header. */
  TRUNCATED,
  /** Not an IPv4 packet of protocol 112. */
  NOT_VRRP,
  /** IP TTL is not 255: the packet crossed a router (RFC 5798 7.1). */
  BAD_TTL,
  /** Version is not the one this virtual router runs. */
  BAD_VERSION,
  /** Type is not ADVERTISEMENT. */
  BAD_TYPE,
  /** The address count disagrees with the message length (includes hostile huge counts). */
  BAD_ADDRESS_COUNT,
  /** The checksum does not verify. */
  BAD_CHECKSUM,
  /** No virtual router with this VRID runs on the interface. */
  WRONG_VRID,
  /**
   * The virtual router is configured with unicast peers and the source is none of them (keepalived:
   * check_unicast_src). Checked before authentication, so no other host probes the password.
   */
  UNKNOWN_SOURCE,
  /** v2: authentication type differs from the configured one. */
  AUTH_TYPE_MISMATCH,
  /** v2: the simple text password differs from the configured one. */
  AUTH_FAILED,
  /** v2: the advert interval differs from the configured one (RFC 3768 7.1 MUST discard). */
  INTERVAL_MISMATCH,
  /** v3: a Max Adver Int of zero, which would make Master_Down_Interval almost nothing. */
  BAD_INTERVAL,
  /** The address list differs from ours and the sender is not the address owner (priority 255). */
  ADDRESS_LIST_MISMATCH,
  /** Our own advert looped back (the source is our primary address). */
  OWN_ADVERT,
  /**
   * Arrived while the agent was starting: the socket was open but no instance on it was running
   * yet. Ignored, as if the socket were not open.
   */
  NOT_STARTED
}
