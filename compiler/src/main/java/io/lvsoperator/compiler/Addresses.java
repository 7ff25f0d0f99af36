package io.lvsoperator.compiler;

import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;

/** IP literal parsing that never touches DNS. */
final class Addresses {
  private Addresses() {}

  /** Address literals in numeric order (IPv4 before IPv6), text order for anything else. */
  static final Comparator<String> NUMERIC =
      (a, b) -> {
        Optional<InetAddress> x = parse(a);
        Optional<InetAddress> y = parse(b);
        if (x.isEmpty() || y.isEmpty()) {
          return a.compareTo(b);
        }
        byte[] xb = x.get().getAddress();
        byte[] yb = y.get().getAddress();
        int c = Integer.compare(xb.length, yb.length);
        return c != 0 ? c : Arrays.compareUnsigned(xb, yb);
      };

  /** VIPs by numeric address. */
  static final Comparator<LvsNodeSpec.Vip> NUMERIC_VIPS =
      Comparator.comparing(LvsNodeSpec.Vip::address, NUMERIC);

  /** The address, or empty when the text is not an IPv4 or IPv6 literal. */
  static Optional<InetAddress> parse(String text) {
    if (text == null || text.isBlank() || text.indexOf('/') >= 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.ofLiteral(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The canonical text of an address literal (e.g. "::1" for "0:0::1"). */
  static String canonical(InetAddress address) {
    return address.getHostAddress();
  }

  static boolean isIpv4(InetAddress address) {
    return address instanceof Inet4Address;
  }

  /** Whether a dotted-quad netmask is contiguous ones then zeros. */
  static boolean isContiguousNetmask(InetAddress mask) {
    if (!(mask instanceof Inet4Address)) {
      return false;
    }
    byte[] b = mask.getAddress();
    int bits = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    int inverted = ~bits;
    return (inverted & (inverted + 1)) == 0;
  }
}
