package io.lvsoperator.agent.health;

import java.util.BitSet;
import java.util.List;

/**
 * The HTTP status codes that count as healthy: codes ("200") and inclusive ranges ("200-299"),
 * 200-299 when none are given (keepalived's default).
 */
public final class StatusCodeMatcher {

  private static final StatusCodeMatcher DEFAULT = new StatusCodeMatcher(range(200, 299));

  private final BitSet codes;

  private StatusCodeMatcher(BitSet codes) {
    this.codes = codes;
  }

  /**
   * Parses {@code healthCheck.expectedStatus}.
   *
   * @throws IllegalArgumentException naming the entry that is not a code or range of 100-599
   */
  public static StatusCodeMatcher parse(List<String> expected) {
    if (expected == null || expected.isEmpty()) {
      return DEFAULT;
    }
    BitSet codes = new BitSet(600);
    for (int i = 0; i < expected.size(); i++) {
      String entry = expected.get(i);
      String where = "healthCheck.expectedStatus[" + i + "]: ";
      if (entry == null) {
        throw new IllegalArgumentException(where + "null is not a status code");
      }
      String[] parts = entry.trim().split("-", -1);
      if (parts.length > 2) {
        throw new IllegalArgumentException(where + "'" + entry + "' is not a code or range");
      }
      int low = code(parts[0], where, entry);
      int high = parts.length == 2 ? code(parts[1], where, entry) : low;
      if (high < low) {
        throw new IllegalArgumentException(where + "'" + entry + "' is an empty range");
      }
      codes.or(range(low, high));
    }
    return new StatusCodeMatcher(codes);
  }

  public boolean matches(int status) {
    return status >= 0 && codes.get(status);
  }

  private static int code(String s, String where, String entry) {
    try {
      int code = Integer.parseInt(s.trim());
      if (code >= 100 && code <= 599) {
        return code;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(where + "'" + entry + "' is not a status code 100-599");
  }

  private static BitSet range(int low, int high) {
    BitSet set = new BitSet(600);
    set.set(low, high + 1);
    return set;
  }

  @Override
  public String toString() {
    return codes.toString();
  }
}
