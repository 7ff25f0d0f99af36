package io.lvsoperator.compiler;

/** A clash with an older object, which keeps working while this one is held back. */
public record Conflict(Kind kind, ObjectKey other, String message) {
  /** What clashed. */
  public enum Kind {
    /** The same VIP, port and protocol. */
    VIP_PORT,
    /** The same VRRP virtual router id on the same interface. */
    VRID,
    /** The same VIP with different VRRP settings or directors. */
    VRRP_SETTINGS
  }

  @Override
  public String toString() {
    return kind + " with " + other + ": " + message;
  }
}
