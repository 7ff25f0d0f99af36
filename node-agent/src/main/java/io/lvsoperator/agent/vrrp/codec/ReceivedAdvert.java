package io.lvsoperator.agent.vrrp.codec;

import java.util.Arrays;

/**
 * The fields of the last inspected advert, overwritten by each {@link VrrpPacketInspector#inspect}
 * call: a reusable holder owned by one receive thread, so receiving allocates nothing.
 */
public final class ReceivedAdvert {
  int virtualRouterId;
  int priority;
  int advertIntervalCentis;
  VrrpVersion version;
  final byte[] source = new byte[VrrpConstants.IPV6_ADDRESS_LENGTH];
  int sourceLength;
  boolean addressListMismatch;

  public int virtualRouterId() {
    return virtualRouterId;
  }

  public int priority() {
    return priority;
  }

  /** Max Adver Int (v3) or Adver Int (v2), in centiseconds. */
  public int advertIntervalCentis() {
    return advertIntervalCentis;
  }

  public VrrpVersion version() {
    return version;
  }

  /** True when accepted only because the sender owns the addresses (priority 255). */
  public boolean addressListMismatch() {
    return addressListMismatch;
  }

  /**
   * Compares the sender's IP source (its primary address) with {@code address}, as unsigned
   * numbers: negative, zero or positive.
   */
  public int compareSourceTo(byte[] address) {
    return Arrays.compareUnsigned(source, 0, sourceLength, address, 0, address.length);
  }

  /** A copy of the sender's address (allocates; for logging). */
  public byte[] source() {
    return Arrays.copyOf(source, sourceLength);
  }

  /** Fills the holder directly, for tests and in-memory transports. */
  public ReceivedAdvert set(
      VrrpVersion version,
      int virtualRouterId,
      int priority,
      int advertIntervalCentis,
      byte[] src) {
    this.version = version;
    this.virtualRouterId = virtualRouterId;
    this.priority = priority;
    this.advertIntervalCentis = advertIntervalCentis;
    System.arraycopy(src, 0, source, 0, src.length);
    this.sourceLength = src.length;
    this.addressListMismatch = false;
    return this;
  }
}
