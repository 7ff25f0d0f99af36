package io.lvsoperator.agent.vrrp;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Effects that record what they were asked, and which instances hold their VIPs. */
public final class RecordingEffects implements VrrpEffects {
  private final String host;
  private final List<String> log;
  private final Set<String> holding = new HashSet<>();

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

  @Override
  public void onBecomeMaster(VrrpInstanceConfig config) {
    holding.add(config.name());
    log.add(host + " add " + config.name());
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
