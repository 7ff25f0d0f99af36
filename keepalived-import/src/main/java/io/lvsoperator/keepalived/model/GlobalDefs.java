package io.lvsoperator.keepalived.model;

import java.math.BigDecimal;

/**
 * What {@code global_defs} says that the import uses; every field may be null (not written).
 *
 * @param vrrpVersion {@code vrrp_version}: the default of every instance's {@code version}
 */
public record GlobalDefs(
    Setting<String> routerId,
    Setting<Integer> vrrpVersion,
    Setting<Boolean> vrrpStrict,
    Setting<Integer> garpMasterRepeat,
    Setting<BigDecimal> garpMasterDelay,
    Setting<Integer> garpMasterRefresh,
    Setting<Integer> garpMasterRefreshRepeat,
    Setting<BigDecimal> garpInterval,
    Setting<Boolean> minGarp,
    Setting<String> mcastGroup4,
    SyncDaemon syncDaemon) {

  public static GlobalDefs none() {
    return new GlobalDefs(null, null, null, null, null, null, null, null, null, null, null);
  }
}
