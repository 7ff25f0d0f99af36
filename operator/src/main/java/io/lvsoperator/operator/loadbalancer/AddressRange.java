package io.lvsoperator.operator.loadbalancer;

import java.util.Optional;

/**
 * IPv4 addresses {@code first} to {@code last}, both included, as unsigned 32-bit numbers.
 *
 * @param text what was written (10.0.0.10, 10.0.0.10-10.0.0.20 or 10.0.0.0/28)
 */
public record AddressRange(String text, long first, long last) {
  public AddressRange {
    if (first < 0 || last > 0xFFFF_FFFFL || last < first) {
      throw new IllegalArgumentException("not a range: " + text);
    }
  }

  public long size() {
    return last - first + 1;
  }

  public boolean contains(long address) {
    return address >= first && address <= last;
  }

  public boolean overlaps(AddressRange other) {
    return first <= other.last && other.first <= last;
  }

  /** The range written as {@code text}; the error says what is wrong with it. */
  public static Parsed parse(String text) {
    if (text == null || text.isBlank()) {
      return Parsed.error("is empty");
    }
    String t = text.trim();
    int slash = t.indexOf('/');
    int dash = t.indexOf('-');
    if (slash >= 0) {
      Optional<Long> base = address(t.substring(0, slash));
      int prefix;
      try {
        prefix = Integer.parseInt(t.substring(slash + 1));
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (base.isEmpty() || prefix < 0 || prefix > 32) {
        return Parsed.error("is not an IPv4 address, range or CIDR block");
      }
      long size = 1L << (32 - prefix);
      if (base.get() % size != 0) {
        return Parsed.error(
            "is not a CIDR block: host bits are set (the block is "
                + format(base.get() - base.get() % size)
                + "/"
                + prefix
                + ")");
      }
      return Parsed.ok(new AddressRange(text, base.get(), base.get() + size - 1));
    }
    if (dash >= 0) {
      Optional<Long> from = address(t.substring(0, dash));
      Optional<Long> to = address(t.substring(dash + 1));
      if (from.isEmpty() || to.isEmpty()) {
        return Parsed.error("is not an IPv4 address, range or CIDR block");
      }
      if (to.get() < from.get()) {
        return Parsed.error("is a range that ends before it starts");
      }
      return Parsed.ok(new AddressRange(text, from.get(), to.get()));
    }
    return address(t)
        .map(a -> Parsed.ok(new AddressRange(text, a, a)))
        .orElseGet(() -> Parsed.error("is not an IPv4 address, range or CIDR block"));
  }

  /** A dotted quad as an unsigned number; empty when it is not exactly one. */
  public static Optional<Long> address(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String[] parts = text.trim().split("\\.", -1);
    if (parts.length != 4) {
      return Optional.empty();
    }
    long value = 0;
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
        return Optional.empty();
      }
      if (p.length() > 1 && p.charAt(0) == '0') {
        return Optional.empty(); // 010 would read as octal to inet_aton
      }
      int octet = Integer.parseInt(p);
      if (octet > 255) {
        return Optional.empty();
      }
      value = value << 8 | octet;
    }
    return Optional.of(value);
  }

  public static String format(long address) {
    return (address >>> 24 & 255)
        + "."
        + (address >>> 16 & 255)
        + "."
        + (address >>> 8 & 255)
        + "."
        + (address & 255);
  }

  /** A parsed range, or why it is not one. */
  public record Parsed(AddressRange range, String error) {
    static Parsed ok(AddressRange range) {
      return new Parsed(range, null);
    }

    static Parsed error(String error) {
      return new Parsed(null, error);
    }
  }
}
