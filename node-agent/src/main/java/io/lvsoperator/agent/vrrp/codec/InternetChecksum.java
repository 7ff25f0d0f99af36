package io.lvsoperator.agent.vrrp.codec;

/** The RFC 1071 Internet checksum: one's complement of the one's complement sum of 16-bit words. */
public final class InternetChecksum {
  private InternetChecksum() {}

  /** Adds {@code length} bytes to a running (unfolded) sum; an odd trailing byte is zero-padded. */
  public static long add(long sum, byte[] data, int offset, int length) {
    int end = offset + length;
    int i = offset;
    for (; i + 1 < end; i += 2) {
      sum += ((data[i] & 0xff) << 8) | (data[i + 1] & 0xff);
    }
    if (i < end) {
      sum += (data[i] & 0xff) << 8;
    }
    return sum;
  }

  /** Folds the carries of a running sum and complements it: the value to put on the wire. */
  public static int finish(long sum) {
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return (int) (~sum & 0xffff);
  }

  /**
   * The running sum of the IPv4 pseudo-header (RFC 768 / RFC 5798 section 5.2.8): source,
   * destination, zero, protocol 112, VRRP message length.
   */
  public static long ipv4PseudoHeader(byte[] source, byte[] destination, int messageLength) {
    long sum = add(0, source, 0, VrrpConstants.IPV4_ADDRESS_LENGTH);
    sum = add(sum, destination, 0, VrrpConstants.IPV4_ADDRESS_LENGTH);
    return sum + VrrpConstants.IPPROTO_VRRP + messageLength;
  }
}
