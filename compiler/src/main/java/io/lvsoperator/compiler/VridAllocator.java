package io.lvsoperator.compiler;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Hands out VRRP virtual router ids per interface. Explicit ids are reserved first; the rest get a
 * preferred id (the one in use before, else a hash of the VIP) or the next free one after it.
 * Callers go oldest first, so adding an instance never moves an existing one.
 */
final class VridAllocator {
  private final Map<String, BitSet> usedByInterface = new HashMap<>();

  /** Reserves an explicit id; false when the interface already has it. */
  boolean reserve(String iface, int vrid) {
    BitSet used = usedByInterface.computeIfAbsent(iface, k -> new BitSet(256));
    if (used.get(vrid)) {
      return false;
    }
    used.set(vrid);
    return true;
  }

  /** Allocates an id for a VIP, preferring {@code previous}; null when all 255 are taken. */
  Integer allocate(String iface, String vip, Integer previous) {
    BitSet used = usedByInterface.computeIfAbsent(iface, k -> new BitSet(256));
    int start = previous != null && previous >= 1 && previous <= 255 ? previous : hash(vip);
    for (int i = 0; i < 255; i++) {
      int candidate = (start - 1 + i) % 255 + 1;
      if (!used.get(candidate)) {
        used.set(candidate);
        return candidate;
      }
    }
    return null;
  }

  static int hash(String vip) {
    CRC32 crc = new CRC32();
    crc.update(vip.getBytes(StandardCharsets.US_ASCII));
    return (int) (crc.getValue() % 255) + 1;
  }
}
