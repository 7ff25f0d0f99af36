package io.lvsoperator.keepalived.model;

import io.lvsoperator.keepalived.conf.Statement;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * One director's {@code vrrp_instance NAME { ... }}; every setting may be null (not written).
 *
 * @param header the {@code vrrp_instance NAME} line
 * @param advertInt {@code advert_int}, seconds
 * @param accept false for {@code no_accept}
 * @param unicastPeers the addresses of {@code unicast_peer { ... }}, in order
 * @param notifyScripts {@code notify_master}, {@code notify_backup}, {@code notify_fault}, {@code
 *     notify_stop} and {@code notify}, by keyword
 */
public record VrrpInstanceConf(
    Statement header,
    Setting<String> state,
    Setting<String> interfaceName,
    Setting<Integer> virtualRouterId,
    Setting<Integer> priority,
    Setting<BigDecimal> advertInt,
    Setting<Integer> version,
    Setting<String> authType,
    Setting<String> authPass,
    List<Vip> vips,
    List<Vip> excludedVips,
    Setting<String> unicastSrcIp,
    List<Setting<String>> unicastPeers,
    List<Setting<String>> trackInterfaces,
    Setting<Boolean> nopreempt,
    Setting<BigDecimal> preemptDelay,
    Setting<Boolean> accept,
    Setting<Integer> garpMasterRepeat,
    Setting<BigDecimal> garpMasterDelay,
    Setting<Integer> garpMasterRefresh,
    Setting<Integer> garpMasterRefreshRepeat,
    Setting<Boolean> strictMode,
    Map<String, Setting<Script>> notifyScripts,
    SyncDaemon syncDaemon) {

  public String name() {
    return header.arg(0);
  }
}
