package io.lvsoperator.agent;

import io.lvsoperator.agent.rtnl.RtnlClient;
import io.lvsoperator.agent.vrrp.VrrpEffects;
import io.lvsoperator.agent.vrrp.VrrpInstanceConfig;
import io.lvsoperator.agent.vrrp.VrrpInstanceConfig.VirtualAddress;
import java.io.IOException;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Being VRRP master on this host: the VIPs on the interface through rtnetlink (with their label and
 * prefix, as keepalived's virtual_ipaddress), and gratuitous ARPs so neighbours update their caches
 * at once.
 */
public final class HostVrrpEffects implements VrrpEffects {
  private static final Logger log = LoggerFactory.getLogger(HostVrrpEffects.class);

  private final RtnlClient rtnl;
  private final BiConsumer<VrrpInstanceConfig, VirtualAddress> garp;

  /**
   * @param garp announces one VIP of an instance that just became master (count and spacing from
   *     the instance's GARP settings); must not block the caller
   */
  public HostVrrpEffects(RtnlClient rtnl, BiConsumer<VrrpInstanceConfig, VirtualAddress> garp) {
    this.rtnl = rtnl;
    this.garp = garp;
  }

  @Override
  public void onBecomeMaster(VrrpInstanceConfig config) {
    for (VirtualAddress vip : config.virtualAddresses()) {
      try {
        rtnl.addAddress(config.interfaceName(), vip.address(), vip.prefixLength(), vip.label());
      } catch (IOException | RuntimeException e) {
        log.error(
            "event=vip_add_failed instance={} address={} interface={} error=\"{}\"",
            config.name(),
            vip.address().getHostAddress(),
            config.interfaceName(),
            e.getMessage());
        continue;
      }
      garp.accept(config, vip);
    }
  }

  @Override
  public void onLeaveMaster(VrrpInstanceConfig config) {
    remove(config, "vip_removed");
  }

  @Override
  public void removeStale(VrrpInstanceConfig config) {
    remove(config, "stale_vip_removed");
  }

  private void remove(VrrpInstanceConfig config, String event) {
    for (VirtualAddress vip : config.virtualAddresses()) {
      try {
        if (rtnl.removeAddress(config.interfaceName(), vip.address(), vip.prefixLength())) {
          log.info(
              "event={} instance={} address={} interface={}",
              event,
              config.name(),
              vip.address().getHostAddress(),
              config.interfaceName());
        }
      } catch (IOException | RuntimeException e) {
        log.error(
            "event=vip_remove_failed instance={} address={} interface={} error=\"{}\"",
            config.name(),
            vip.address().getHostAddress(),
            config.interfaceName(),
            e.getMessage());
      }
    }
  }
}
