package io.lvsoperator.agent.vrrp.codec;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One VRRP ADVERTISEMENT, valid by construction.
 *
 * @param version 2 (RFC 3768) or 3 (RFC 5798)
 * @param virtualRouterId VRID 1-255
 * @param priority 0 (master stopping) to 255 (address owner)
 * @param advertIntervalCentis the interval in centiseconds; v3 carries it as a 12-bit count of
 *     centiseconds (1-4095), v2 as whole seconds (1-255), so a v2 value is a multiple of 100
 * @param authType v2 authentication type; always {@link VrrpAuthType#NONE} for v3
 * @param authPassword v2 simple text password, 1-8 ISO-8859-1 characters (zero-padded to 8 on the
 *     wire); empty unless {@code authType} is {@link VrrpAuthType#SIMPLE_TEXT_PASSWORD}
 * @param addresses the virtual addresses, all IPv4 or all IPv6 (v3 only), at most 255
 */
public record VrrpAdvertisement(
    VrrpVersion version,
    int virtualRouterId,
    int priority,
    int advertIntervalCentis,
    VrrpAuthType authType,
    String authPassword,
    List<InetAddress> addresses) {

  public VrrpAdvertisement {
    if (version == null) {
      throw new VrrpCodecException("version: must be given");
    }
    if (virtualRouterId < 1 || virtualRouterId > 255) {
      throw new VrrpCodecException("virtualRouterId: " + virtualRouterId + " is not in 1-255");
    }
    if (priority < 0 || priority > 255) {
      throw new VrrpCodecException("priority: " + priority + " is not in 0-255");
    }
    authType = authType == null ? VrrpAuthType.NONE : authType;
    authPassword = authPassword == null ? "" : authPassword;
    addresses = addresses == null ? List.of() : List.copyOf(addresses);
    if (addresses.size() > VrrpConstants.MAX_ADDRESS_COUNT) {
      throw new VrrpCodecException(
          "addresses: " + addresses.size() + " addresses, at most 255 fit the count field");
    }
    boolean v6 = !addresses.isEmpty() && addresses.getFirst() instanceof Inet6Address;
    for (InetAddress a : addresses) {
      if ((a instanceof Inet6Address) != v6) {
        throw new VrrpCodecException("addresses: " + a + " mixes IPv4 and IPv6 in one advert");
      }
    }
    switch (version) {
      case V3 -> {
        if (advertIntervalCentis < 1
            || advertIntervalCentis > VrrpConstants.V3_MAX_ADVER_INT_CENTIS) {
          throw new VrrpCodecException(
              "advertIntervalCentis: " + advertIntervalCentis + " is not in 1-4095 (VRRPv3)");
        }
        if (authType != VrrpAuthType.NONE || !authPassword.isEmpty()) {
          throw new VrrpCodecException("authType: " + authType + " is not allowed in VRRPv3");
        }
      }
      case V2 -> {
        if (advertIntervalCentis % 100 != 0
            || advertIntervalCentis < 100
            || advertIntervalCentis > VrrpConstants.V2_MAX_ADVER_INT_SECONDS * 100) {
          throw new VrrpCodecException(
              "advertIntervalCentis: "
                  + advertIntervalCentis
                  + " is not a whole number of seconds in 1-255 (VRRPv2)");
        }
        if (v6) {
          throw new VrrpCodecException("addresses: VRRPv2 carries IPv4 addresses only");
        }
        switch (authType) {
          case NONE -> {
            if (!authPassword.isEmpty()) {
              throw new VrrpCodecException("authPassword: given without authType PASS");
            }
          }
          case SIMPLE_TEXT_PASSWORD -> {
            if (authPassword.isEmpty()
                || authPassword.length() > VrrpConstants.V2_AUTH_DATA_LENGTH
                || !StandardCharsets.ISO_8859_1.newEncoder().canEncode(authPassword)) {
              throw new VrrpCodecException(
                  "authPassword: must be 1-8 ISO-8859-1 characters, got "
                      + authPassword.length()
                      + " characters");
            }
          }
          case IP_AUTHENTICATION_HEADER ->
              throw new VrrpCodecException("authType: IP_AUTHENTICATION_HEADER is not supported");
        }
      }
    }
  }

  /** Length of the address family carried, 4 or 16 (4 when there are no addresses). */
  public int addressLength() {
    return !addresses.isEmpty() && addresses.getFirst() instanceof Inet6Address
        ? VrrpConstants.IPV6_ADDRESS_LENGTH
        : VrrpConstants.IPV4_ADDRESS_LENGTH;
  }

  /** Length of the encoded message in bytes. */
  public int encodedLength() {
    return VrrpConstants.HEADER_LENGTH
        + addresses.size() * addressLength()
        + (version == VrrpVersion.V2 ? VrrpConstants.V2_AUTH_DATA_LENGTH : 0);
  }

  /** A copy with another priority (e.g. 0 for the stop advert). */
  public VrrpAdvertisement withPriority(int newPriority) {
    return new VrrpAdvertisement(
        version,
        virtualRouterId,
        newPriority,
        advertIntervalCentis,
        authType,
        authPassword,
        addresses);
  }

  static boolean isIpv4(InetAddress a) {
    return a instanceof Inet4Address;
  }
}
