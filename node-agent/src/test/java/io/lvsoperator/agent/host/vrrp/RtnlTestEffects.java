package io.lvsoperator.agent.host.vrrp;

import io.lvsoperator.agent.host.rtnl.RtnlClient;
import io.lvsoperator.agent.vrrp.VrrpEffects;
import io.lvsoperator.agent.vrrp.VrrpInstanceConfig;
import java.io.IOException;

/** Test effects: VIPs through rtnetlink with their label (no GARP), printed as EFFECT lines. */
final class RtnlTestEffects implements VrrpEffects {
  private final RtnlClient rtnl;

  RtnlTestEffects(RtnlClient rtnl) {
    this.rtnl = rtnl;
  }

  @Override
  public boolean onBecomeMaster(VrrpInstanceConfig config) {
    boolean all = true;
    for (VrrpInstanceConfig.VirtualAddress v : config.virtualAddresses()) {
      try {
        rtnl.addAddress(config.interfaceName(), v.address(), v.prefixLength(), v.label());
        System.out.println("EFFECT add " + v.address().getHostAddress());
      } catch (IOException e) {
        System.out.println("EFFECT add failed " + e);
        all = false;
      }
    }
    return all;
  }

  @Override
  public void onLeaveMaster(VrrpInstanceConfig config) {
    remove(config, "remove");
  }

  @Override
  public void removeStale(VrrpInstanceConfig config) {
    remove(config, "stale");
  }

  private void remove(VrrpInstanceConfig config, String what) {
    for (VrrpInstanceConfig.VirtualAddress v : config.virtualAddresses()) {
      try {
        boolean removed = rtnl.removeAddress(config.interfaceName(), v.address(), v.prefixLength());
        System.out.println("EFFECT " + what + " " + v.address().getHostAddress() + " " + removed);
      } catch (IOException e) {
        System.out.println("EFFECT " + what + " failed " + e);
      }
    }
  }
}
