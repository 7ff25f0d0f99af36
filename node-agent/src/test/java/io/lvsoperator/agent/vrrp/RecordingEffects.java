package io.lvsoperator.agent.vrrp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Effects that record what they were asked, and which instances hold their VIPs. */
public final class RecordingEffects implements VrrpEffects {
  private final String host;
  private final List<String> log;
  private final Set<String> holding = new HashSet<>();
  private final Map<String, Integer> announces = new HashMap<>();
  private final Map<String, Integer> refreshes = new HashMap<>();
  private final Map<String, Integer> renewals = new HashMap<>();
  private boolean failAdds;
  private java.time.Duration renewEvery = java.time.Duration.ZERO;

  /**
   * @param log shared between hosts, so a test sees the global order of effects
   */
  public RecordingEffects(String host, List<String> log) {
    this.host = host;
    this.log = log;
  }

  public RecordingEffects(String host) {
    this(host, new ArrayList<>());
  }

  public List<String> log() {
    return log;
  }

  public boolean holds(String instance) {
    return holding.contains(instance);
  }

  /** From now on, adding VIPs fails (true) or works again (false). */
  public void failAdds(boolean fail) {
    this.failAdds = fail;
  }

  /** Gratuitous ARP bursts sent on becoming master. */
  public int announces(String instance) {
    return announces.getOrDefault(instance, 0);
  }

  /** Periodic gratuitous ARP refreshes. */
  public int refreshes(String instance) {
    return refreshes.getOrDefault(instance, 0);
  }

  /** VIPs with a lifetime the master renews this often (zero, the default: permanent VIPs). */
  public void renewEvery(java.time.Duration interval) {
    this.renewEvery = interval;
  }

  /** Lifetime renewals asked for while the instance held its VIPs. */
  public int renewals(String instance) {
    return renewals.getOrDefault(instance, 0);
  }

  @Override
  public java.time.Duration addressRenewalInterval(VrrpInstanceConfig config) {
    return renewEvery;
  }

  @Override
  public void renewAddresses(VrrpInstanceConfig config) {
    if (holding.contains(config.name())) {
      renewals.merge(config.name(), 1, Integer::sum);
    } else {
      log.add(host + " renew-without-vips " + config.name());
    }
  }

  @Override
  public boolean onBecomeMaster(VrrpInstanceConfig config) {
    if (failAdds) {
      log.add(host + " add-failed " + config.name());
      return false;
    }
    holding.add(config.name());
    log.add(host + " add " + config.name());
    return true;
  }

  @Override
  public void announce(VrrpInstanceConfig config) {
    announces.merge(config.name(), 1, Integer::sum);
  }

  @Override
  public void refresh(VrrpInstanceConfig config) {
    refreshes.merge(config.name(), 1, Integer::sum);
  }

  @Override
  public void onLeaveMaster(VrrpInstanceConfig config) {
    holding.remove(config.name());
    log.add(host + " remove " + config.name());
  }

  @Override
  public void removeStale(VrrpInstanceConfig config) {
    holding.remove(config.name());
    log.add(host + " stale " + config.name());
  }

  /** A host restarted after kill -9: its VIPs are still on the interface. */
  public void crashedHolding(String instance) {
    holding.add(instance);
  }
}
