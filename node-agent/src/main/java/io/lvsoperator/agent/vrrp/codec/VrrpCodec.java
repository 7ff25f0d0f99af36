package io.lvsoperator.agent.vrrp.codec;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes and decodes the VRRP message (the IP payload), shared by every transport.
 *
 * <p>Checksums follow each RFC exactly: v3 (RFC 5798 section 5.2.8) over the IP pseudo-header and
 * the message; v2 (RFC 3768 section 5.3.8) over the message only.
 */
public final class VrrpCodec {
  private VrrpCodec() {}

  /**
   * Writes {@code advert} into {@code out} at {@code offset} and returns its length.
   *
   * @param source the IP source address (v3 pseudo-header); ignored by v2
   * @param destination the IP destination address (v3 pseudo-header); ignored by v2
   */
  public static int encode(
      VrrpAdvertisement advert, byte[] source, byte[] destination, byte[] out, int offset) {
    int length = advert.encodedLength();
    if (out.length - offset < length) {
      throw new VrrpCodecException(
          "buffer: " + (out.length - offset) + " bytes left, the advert needs " + length);
    }
    int p = offset;
    out[p++] = (byte) ((advert.version().value() << 4) | VrrpType.ADVERTISEMENT.value());
    out[p++] = (byte) advert.virtualRouterId();
    out[p++] = (byte) advert.priority();
    out[p++] = (byte) advert.addresses().size();
    if (advert.version() == VrrpVersion.V3) {
      // 4 reserved bits, then the 12-bit Max Adver Int in centiseconds.
      out[p++] = (byte) ((advert.advertIntervalCentis() >>> 8) & 0x0f);
      out[p++] = (byte) advert.advertIntervalCentis();
    } else {
      out[p++] = (byte) advert.authType().value();
      out[p++] = (byte) (advert.advertIntervalCentis() / 100);
    }
    int checksumAt = p;
    out[p++] = 0;
    out[p++] = 0;
    for (InetAddress a : advert.addresses()) {
      byte[] raw = a.getAddress();
      System.arraycopy(raw, 0, out, p, raw.length);
      p += raw.length;
    }
    if (advert.version() == VrrpVersion.V2) {
      byte[] auth = advert.authPassword().getBytes(StandardCharsets.ISO_8859_1);
      System.arraycopy(auth, 0, out, p, auth.length);
      Arrays.fill(out, p + auth.length, p + VrrpConstants.V2_AUTH_DATA_LENGTH, (byte) 0);
      p += VrrpConstants.V2_AUTH_DATA_LENGTH;
    }
    int checksum = checksum(advert.version(), out, offset, length, source, destination);
    out[checksumAt] = (byte) (checksum >>> 8);
    out[checksumAt + 1] = (byte) checksum;
    return length;
  }

  /** Encodes {@code advert} into a new array. */
  public static byte[] encode(VrrpAdvertisement advert, byte[] source, byte[] destination) {
    byte[] out = new byte[advert.encodedLength()];
    encode(advert, source, destination, out, 0);
    return out;
  }

  /**
   * The checksum of a message as it should be on the wire, computed with the checksum field taken
   * as zero whatever it holds.
   */
  public static int checksum(
      VrrpVersion version,
      byte[] message,
      int offset,
      int length,
      byte[] source,
      byte[] destination) {
    long sum = 0;
    if (version == VrrpVersion.V3) {
      if (source == null || destination == null) {
        throw new VrrpCodecException("source/destination: needed for the VRRPv3 checksum");
      }
      if (source.length != VrrpConstants.IPV4_ADDRESS_LENGTH) {
        // The IPv6 pseudo-header (RFC 2460 section 8.1) goes here when IPv6 lands.
        throw new VrrpCodecException("source: IPv6 is not supported yet");
      }
      sum = InternetChecksum.ipv4PseudoHeader(source, destination, length);
    }
    sum = InternetChecksum.add(sum, message, offset, 6);
    sum = InternetChecksum.add(sum, message, offset + 8, length - 8);
    return InternetChecksum.finish(sum);
  }

  /**
   * Decodes a message strictly: any inconsistency throws. The receive path uses {@link
   * VrrpPacketInspector}, which never throws; this is for tools and tests.
   */
  public static VrrpAdvertisement decode(
      byte[] message, int offset, int length, byte[] source, byte[] destination) {
    if (length < VrrpConstants.HEADER_LENGTH) {
      throw new VrrpCodecException("length: " + length + " bytes is shorter than the header (8)");
    }
    VrrpVersion version = VrrpVersion.fromValue((message[offset] & 0xf0) >>> 4);
    VrrpType.fromValue(message[offset] & 0x0f);
    int vrid = message[offset + 1] & 0xff;
    int priority = message[offset + 2] & 0xff;
    int count = message[offset + 3] & 0xff;
    int addressLength =
        source != null && source.length == VrrpConstants.IPV6_ADDRESS_LENGTH
            ? VrrpConstants.IPV6_ADDRESS_LENGTH
            : VrrpConstants.IPV4_ADDRESS_LENGTH;
    int expected =
        VrrpConstants.HEADER_LENGTH
            + count * addressLength
            + (version == VrrpVersion.V2 ? VrrpConstants.V2_AUTH_DATA_LENGTH : 0);
    if (expected != length) {
      throw new VrrpCodecException(
          "count: " + count + " addresses need " + expected + " bytes, the message has " + length);
    }
    int onWire = ((message[offset + 6] & 0xff) << 8) | (message[offset + 7] & 0xff);
    int computed = checksum(version, message, offset, length, source, destination);
    if (onWire != computed) {
      throw new VrrpCodecException(
          "checksum: 0x"
              + Integer.toHexString(onWire)
              + ", expected 0x"
              + Integer.toHexString(computed));
    }
    List<InetAddress> addresses = new ArrayList<>(count);
    int p = offset + VrrpConstants.HEADER_LENGTH;
    for (int i = 0; i < count; i++) {
      try {
        addresses.add(InetAddress.getByAddress(Arrays.copyOfRange(message, p, p + addressLength)));
      } catch (UnknownHostException e) {
        throw new IllegalStateException("an address of length 4 or 16 is always valid", e);
      }
      p += addressLength;
    }
    if (version == VrrpVersion.V3) {
      int interval = ((message[offset + 4] & 0x0f) << 8) | (message[offset + 5] & 0xff);
      return new VrrpAdvertisement(version, vrid, priority, interval, null, null, addresses);
    }
    VrrpAuthType authType = VrrpAuthType.fromValue(message[offset + 4] & 0xff);
    int seconds = message[offset + 5] & 0xff;
    String password = "";
    if (authType == VrrpAuthType.SIMPLE_TEXT_PASSWORD) {
      int end = p;
      while (end < p + VrrpConstants.V2_AUTH_DATA_LENGTH && message[end] != 0) {
        end++;
      }
      password = new String(message, p, end - p, StandardCharsets.ISO_8859_1);
    }
    return new VrrpAdvertisement(
        version, vrid, priority, seconds * 100, authType, password, addresses);
  }
}
