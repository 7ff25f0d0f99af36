package io.lvsoperator.agent.ipvs;

/**
 * A virtual service's settings.
 *
 * @param key what identifies it
 * @param scheduler the kernel scheduler name (rr, wrr, lc, wlc, sh, mh...)
 * @param flags IP_VS_SVC_F_* besides PERSISTENT and HASHED (ONEPACKET, SCHED1-3)
 * @param persistenceTimeoutSeconds 0 for no persistence; otherwise sets IP_VS_SVC_F_PERSISTENT
 * @param persistenceNetmask prefix length of the persistence mask (32 or 128 for per-client)
 * @param persistenceEngine a persistence engine name (e.g. "sip"), or null
 */
public record IpvsService(
    IpvsServiceKey key,
    String scheduler,
    int flags,
    int persistenceTimeoutSeconds,
    int persistenceNetmask,
    String persistenceEngine) {

  public IpvsService {
    if (key == null) {
      throw new IllegalArgumentException("IPVS service: key is required");
    }
    if (scheduler == null
        || scheduler.isEmpty()
        || scheduler.length() >= IpvsConstants.IP_VS_SCHEDNAME_MAXLEN) {
      throw new IllegalArgumentException(
          key + ": scheduler '" + scheduler + "' is not a scheduler name");
    }
    if ((flags & (IpvsConstants.IP_VS_SVC_F_PERSISTENT | IpvsConstants.IP_VS_SVC_F_HASHED)) != 0) {
      throw new IllegalArgumentException(
          key + ": flags 0x" + Integer.toHexString(flags) + " must not carry PERSISTENT or HASHED");
    }
    if (persistenceTimeoutSeconds < 0) {
      throw new IllegalArgumentException(
          key + ": persistence timeout " + persistenceTimeoutSeconds + " is negative");
    }
    int maxPrefix = key.family() == IpvsConstants.AF_INET6 ? 128 : 32;
    if (persistenceNetmask < 0 || persistenceNetmask > maxPrefix) {
      throw new IllegalArgumentException(
          key + ": persistence netmask /" + persistenceNetmask + " is not in 0.." + maxPrefix);
    }
    if (persistenceEngine != null && persistenceEngine.isEmpty()) {
      persistenceEngine = null;
    }
  }

  /** A service without persistence and flags, netmask /32 or /128. */
  public static IpvsService of(IpvsServiceKey key, String scheduler) {
    return new IpvsService(
        key, scheduler, 0, 0, key.family() == IpvsConstants.AF_INET6 ? 128 : 32, null);
  }

  public IpvsService withScheduler(String newScheduler) {
    return new IpvsService(
        key, newScheduler, flags, persistenceTimeoutSeconds, persistenceNetmask, persistenceEngine);
  }

  public IpvsService withPersistence(int timeoutSeconds, int netmask) {
    return new IpvsService(key, scheduler, flags, timeoutSeconds, netmask, persistenceEngine);
  }
}
