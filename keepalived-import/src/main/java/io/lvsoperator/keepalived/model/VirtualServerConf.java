package io.lvsoperator.keepalived.model;

import io.lvsoperator.keepalived.conf.Statement;
import java.util.List;

/**
 * {@code virtual_server ADDRESS PORT | fwmark N | group NAME { ... }}; settings may be null (not
 * written).
 *
 * @param address set for {@code virtual_server ADDRESS [PORT]}
 * @param port the PORT of that form, or null
 * @param fwmark set for {@code virtual_server fwmark N}
 * @param group set for {@code virtual_server group NAME}
 * @param persistenceTimeout seconds; {@code persistence_timeout} without a value is keepalived's
 *     360
 */
public record VirtualServerConf(
    Statement header,
    String address,
    Integer port,
    Long fwmark,
    String group,
    Setting<String> scheduler,
    Setting<String> method,
    Setting<String> protocol,
    Setting<Integer> persistenceTimeout,
    Setting<String> persistenceGranularity,
    Setting<Integer> quorum,
    Setting<Integer> hysteresis,
    Setting<SorryServer> sorryServer,
    CheckTiming timing,
    List<RealServerConf> realServers) {

  /** {@code sorry_server ADDRESS [PORT]}. */
  public record SorryServer(String address, Integer port) {}
}
