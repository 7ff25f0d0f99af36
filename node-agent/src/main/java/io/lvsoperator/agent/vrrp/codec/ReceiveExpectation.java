package io.lvsoperator.agent.vrrp.codec;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What one virtual router expects of the adverts it receives, precomputed so that checking a packet
 * allocates nothing.
 */
public final class ReceiveExpectation {
  private final VrrpVersion version;
  private final int virtualRouterId;
  private final int advertIntervalCentis;
  private final VrrpAuthType authType;
  private final byte[] authData = new byte[VrrpConstants.V2_AUTH_DATA_LENGTH];
  private final byte[] addresses;
  private final int addressCount;
  private final byte[] peers;
  private final int peerCount;

  /**
   * @param addresses the virtual addresses configured (all of one family)
   * @param authPassword v2 simple text password, or null/empty for none
   * @param unicastPeers the only sources accepted; empty accepts any (multicast)
   */
  public ReceiveExpectation(
      VrrpVersion version,
      int virtualRouterId,
      int advertIntervalCentis,
      VrrpAuthType authType,
      String authPassword,
      List<InetAddress> addresses,
      List<InetAddress> unicastPeers) {
    this.peers = new byte[unicastPeers.size() * VrrpConstants.IPV4_ADDRESS_LENGTH];
    this.peerCount = unicastPeers.size();
    for (int i = 0; i < peerCount; i++) {
      byte[] raw = unicastPeers.get(i).getAddress();
      if (raw.length != VrrpConstants.IPV4_ADDRESS_LENGTH) {
        throw new IllegalArgumentException("unicast peer " + unicastPeers.get(i) + " is not IPv4");
      }
      System.arraycopy(raw, 0, peers, i * raw.length, raw.length);
    }
    this.version = version;
    this.virtualRouterId = virtualRouterId;
    this.advertIntervalCentis = advertIntervalCentis;
    this.authType = authType == null ? VrrpAuthType.NONE : authType;
    if (authPassword != null) {
      byte[] raw = authPassword.getBytes(StandardCharsets.ISO_8859_1);
      System.arraycopy(raw, 0, authData, 0, Math.min(raw.length, authData.length));
    }
    this.addressCount = addresses.size();
    int length = addresses.isEmpty() ? 4 : addresses.getFirst().getAddress().length;
    this.addresses = new byte[addressCount * length];
    for (int i = 0; i < addressCount; i++) {
      System.arraycopy(addresses.get(i).getAddress(), 0, this.addresses, i * length, length);
    }
  }

  public VrrpVersion version() {
    return version;
  }

  public int virtualRouterId() {
    return virtualRouterId;
  }

  public int advertIntervalCentis() {
    return advertIntervalCentis;
  }

  public VrrpAuthType authType() {
    return authType;
  }

  boolean authDataMatches(byte[] packet, int offset) {
    for (int i = 0; i < authData.length; i++) {
      if (packet[offset + i] != authData[i]) {
        return false;
      }
    }
    return true;
  }

  /** True when no unicast peers are configured, or the IPv4 source at {@code offset} is one. */
  boolean sourceAllowed(byte[] packet, int offset) {
    if (peerCount == 0) {
      return true;
    }
    for (int i = 0; i < peerCount; i++) {
      int at = i * VrrpConstants.IPV4_ADDRESS_LENGTH;
      if (java.util.Arrays.equals(
          packet, offset, offset + VrrpConstants.IPV4_ADDRESS_LENGTH, peers, at, at + 4)) {
        return true;
      }
    }
    return false;
  }

  /** True when the packet's list holds exactly our addresses, in any order. */
  boolean addressesMatch(byte[] packet, int offset, int count, int length) {
    if (count != addressCount) {
      return false;
    }
    outer:
    for (int i = 0; i < count; i++) {
      int at = offset + i * length;
      for (int j = 0; j < addressCount; j++) {
        if (java.util.Arrays.equals(
            packet, at, at + length, addresses, j * length, (j + 1) * length)) {
          continue outer;
        }
      }
      return false;
    }
    return true;
  }

  /** Looks up the expectation of the virtual router with a VRID on one interface. */
  @FunctionalInterface
  public interface Lookup {
    /** The expectation for {@code virtualRouterId}, or null when none runs. */
    ReceiveExpectation forVirtualRouterId(int virtualRouterId);
  }
}
