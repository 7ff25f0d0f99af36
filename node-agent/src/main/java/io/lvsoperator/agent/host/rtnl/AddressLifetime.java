package io.lvsoperator.agent.host.rtnl;

import java.time.Duration;

/**
 * How long the kernel keeps an address that nobody renews (struct ifa_cacheinfo's ifa_valid and
 * ifa_prefered, whole seconds). When the valid lifetime runs out the kernel deletes the address
 * itself, so an address whose owner died goes away without it.
 *
 * <p>Both lifetimes must be finite for the kernel to notice: IPv4's lifetime check ({@code
 * check_lifetime} in net/ipv4/devinet.c) schedules its next run from the preferred lifetime and
 * skips an address whose preferred lifetime is forever. It runs at most once a second, so an
 * address goes 0 to about 0.4 s after its valid lifetime.
 *
 * @param validSeconds seconds the address stays after it was last added or renewed
 * @param preferredSeconds seconds it stays preferred (not deprecated); at most {@code validSeconds}
 */
public record AddressLifetime(long validSeconds, long preferredSeconds) {
  /** The kernel's INFINITY_LIFE_TIME. */
  public static final long FOREVER_SECONDS = 0xFFFF_FFFFL;

  /** An address that stays until it is removed (what {@code ip addr add} makes by default). */
  public static final AddressLifetime PERMANENT =
      new AddressLifetime(FOREVER_SECONDS, FOREVER_SECONDS);

  public AddressLifetime {
    if (validSeconds < 1 || validSeconds > FOREVER_SECONDS) {
      throw new IllegalArgumentException(
          "valid lifetime: " + validSeconds + " s is not 1 s or more");
    }
    if (preferredSeconds < 0 || preferredSeconds > validSeconds) {
      throw new IllegalArgumentException(
          "preferred lifetime: " + preferredSeconds + " s is not 0 to " + validSeconds + " s");
    }
  }

  /** Valid and preferred for {@code lifetime}, rounded up to whole seconds. */
  public static AddressLifetime of(Duration lifetime) {
    long seconds = Math.max(1, (lifetime.toMillis() + 999) / 1000);
    return new AddressLifetime(seconds, seconds);
  }

  public boolean permanent() {
    return validSeconds == FOREVER_SECONDS;
  }
}
