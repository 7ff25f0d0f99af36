package io.lvsoperator.compiler;

import java.net.InetAddress;
import java.util.Optional;

/**
 * An address range in CIDR notation, e.g. 10.0.10.0/24 or fd00:10::/64. Bits beyond the prefix are
 * ignored (10.0.10.7/24 is 10.0.10.0/24), as Kubernetes' {@code cidr()} CEL function masks them.
 */
record Cidr(byte[] network, int prefixLength, String text) {

  /** The range, or empty when the text is not an IPv4 or IPv6 CIDR. */
  static Optional<Cidr> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    int slash = text.indexOf('/');
    if (slash < 0 || !text.substring(slash + 1).matches("[0-9]{1,3}")) {
      return Optional.empty();
    }
    Optional<InetAddress> address = Addresses.parse(text.substring(0, slash));
    int prefix = Integer.parseInt(text.substring(slash + 1));
    if (address.isEmpty() || prefix > address.get().getAddress().length * 8) {
      return Optional.empty();
    }
    return Optional.of(new Cidr(address.get().getAddress(), prefix, text));
  }

  /** Whether the address lies in this range (never across families). */
  boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    if (a.length != network.length) {
      return false;
    }
    int full = prefixLength / 8;
    for (int i = 0; i < full; i++) {
      if (a[i] != network[i]) {
        return false;
      }
    }
    int rest = prefixLength % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (a[full] & mask) == (network[full] & mask);
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && c.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
