package io.lvsoperator.agent.vrrp.codec;

/**
 * The receive checks of RFC 5798 section 7.1 and RFC 3768 section 7.1 applied to one IPv4 packet as
 * a raw socket delivers it (IP header included). Returns a verdict for every input, never throws,
 * and allocates nothing.
 */
public final class VrrpPacketInspector {
  private VrrpPacketInspector() {}

  /**
   * Checks {@code packet[0, length)}.
   *
   * @param expectations the virtual routers running on the receiving interface, by VRID
   * @param ownAddress the receiving interface's primary address, to drop our own looped adverts;
   *     null to skip that check
   * @param out filled with the advert's fields when the verdict is {@link ReceiveVerdict#ACCEPTED}
   *     (and, as far as parsed, otherwise)
   */
  public static ReceiveVerdict inspect(
      byte[] packet,
      int length,
      ReceiveExpectation.Lookup expectations,
      byte[] ownAddress,
      ReceivedAdvert out) {
    if (packet == null || length < VrrpConstants.IPV4_MIN_HEADER_LENGTH || length > packet.length) {
      return ReceiveVerdict.TRUNCATED;
    }
    if ((packet[0] & 0xf0) != 0x40) {
      // IPv6 raw sockets deliver no IP header; their path will check the hop limit via ancillary
      // data instead.
      return ReceiveVerdict.NOT_VRRP;
    }
    int headerLength = (packet[0] & 0x0f) * 4;
    int totalLength = ((packet[2] & 0xff) << 8) | (packet[3] & 0xff);
    if (headerLength < VrrpConstants.IPV4_MIN_HEADER_LENGTH
        || totalLength < headerLength
        || totalLength > length) {
      return ReceiveVerdict.TRUNCATED;
    }
    if ((packet[9] & 0xff) != VrrpConstants.IPPROTO_VRRP) {
      return ReceiveVerdict.NOT_VRRP;
    }
    out.sourceLength = VrrpConstants.IPV4_ADDRESS_LENGTH;
    System.arraycopy(packet, 12, out.source, 0, VrrpConstants.IPV4_ADDRESS_LENGTH);
    out.addressListMismatch = false;
    if ((packet[8] & 0xff) != VrrpConstants.TTL) {
      return ReceiveVerdict.BAD_TTL;
    }
    int m = headerLength;
    int messageLength = totalLength - headerLength;
    if (messageLength < VrrpConstants.HEADER_LENGTH) {
      return ReceiveVerdict.TRUNCATED;
    }
    int versionNibble = (packet[m] & 0xf0) >>> 4;
    if (versionNibble != 2 && versionNibble != 3) {
      return ReceiveVerdict.BAD_VERSION;
    }
    VrrpVersion version = versionNibble == 2 ? VrrpVersion.V2 : VrrpVersion.V3;
    out.version = version;
    if ((packet[m] & 0x0f) != VrrpType.ADVERTISEMENT.value()) {
      return ReceiveVerdict.BAD_TYPE;
    }
    int count = packet[m + 3] & 0xff;
    int expectedLength =
        VrrpConstants.HEADER_LENGTH
            + count * VrrpConstants.IPV4_ADDRESS_LENGTH
            + (version == VrrpVersion.V2 ? VrrpConstants.V2_AUTH_DATA_LENGTH : 0);
    if (expectedLength != messageLength) {
      return ReceiveVerdict.BAD_ADDRESS_COUNT;
    }
    int onWire = ((packet[m + 6] & 0xff) << 8) | (packet[m + 7] & 0xff);
    long sum = version == VrrpVersion.V3 ? ipv4PseudoHeaderSum(packet, messageLength) : 0L;
    sum = InternetChecksum.add(sum, packet, m, 6);
    sum = InternetChecksum.add(sum, packet, m + 8, messageLength - 8);
    if (InternetChecksum.finish(sum) != onWire) {
      return ReceiveVerdict.BAD_CHECKSUM;
    }
    out.virtualRouterId = packet[m + 1] & 0xff;
    out.priority = packet[m + 2] & 0xff;
    out.advertIntervalCentis =
        version == VrrpVersion.V3
            ? ((packet[m + 4] & 0x0f) << 8) | (packet[m + 5] & 0xff)
            : (packet[m + 5] & 0xff) * 100;
    if (ownAddress != null && out.compareSourceTo(ownAddress) == 0) {
      return ReceiveVerdict.OWN_ADVERT;
    }
    ReceiveExpectation expected = expectations.forVirtualRouterId(out.virtualRouterId);
    if (expected == null) {
      return ReceiveVerdict.WRONG_VRID;
    }
    if (expected.version() != version) {
      return ReceiveVerdict.BAD_VERSION;
    }
    if (!expected.sourceAllowed(packet, 12)) {
      return ReceiveVerdict.UNKNOWN_SOURCE;
    }
    int addressesAt = m + VrrpConstants.HEADER_LENGTH;
    if (version == VrrpVersion.V2) {
      if ((packet[m + 4] & 0xff) != expected.authType().value()) {
        return ReceiveVerdict.AUTH_TYPE_MISMATCH;
      }
      if (expected.authType() == VrrpAuthType.SIMPLE_TEXT_PASSWORD
          && !expected.authDataMatches(
              packet, addressesAt + count * VrrpConstants.IPV4_ADDRESS_LENGTH)) {
        return ReceiveVerdict.AUTH_FAILED;
      }
      if (out.advertIntervalCentis != expected.advertIntervalCentis()) {
        return ReceiveVerdict.INTERVAL_MISMATCH;
      }
    } else if (out.advertIntervalCentis == 0) {
      return ReceiveVerdict.BAD_INTERVAL;
    }
    if (!expected.addressesMatch(packet, addressesAt, count, VrrpConstants.IPV4_ADDRESS_LENGTH)) {
      // RFC 5798 / 3768 7.1: drop unless the sender owns the addresses.
      if (out.priority != VrrpConstants.PRIORITY_OWNER) {
        return ReceiveVerdict.ADDRESS_LIST_MISMATCH;
      }
      out.addressListMismatch = true;
    }
    return ReceiveVerdict.ACCEPTED;
  }

  private static long ipv4PseudoHeaderSum(byte[] packet, int messageLength) {
    // Source (12..15) and destination (16..19) are adjacent in the IPv4 header.
    long sum = InternetChecksum.add(0, packet, 12, 8);
    return sum + VrrpConstants.IPPROTO_VRRP + messageLength;
  }
}
