package io.lvsoperator.agent.host.dr;

import io.lvsoperator.agent.host.rtnl.LinkState;
import io.lvsoperator.agent.host.rtnl.RtnlClient;
import io.lvsoperator.agent.node.LoopbackVips;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * DR real-server preparation on this host: arp_ignore/arp_announce on {@code all} and on the given
 * interfaces (or every non-loopback interface), then the VIPs on lo/32. An interface that cannot be
 * prepared is reported among the errors while the rest, and the VIPs, still go through; a failure
 * on {@code all} stops everything before any VIP goes on lo.
 */
public final class HostLoopbackVips implements LoopbackVips {
  private final DrRealServer dr;
  private final RtnlClient rtnl;
  private final List<String> interfaces;

  public HostLoopbackVips(DrRealServer dr, RtnlClient rtnl, List<String> interfaces) {
    this.dr = dr;
    this.rtnl = rtnl;
    this.interfaces = List.copyOf(interfaces);
  }

  @Override
  public List<String> apply(List<String> vips) {
    try {
      List<Inet4Address> addresses = new ArrayList<>();
      for (String v : vips) {
        if (InetAddress.ofLiteral(v) instanceof Inet4Address a) {
          addresses.add(a);
        }
      }
      List<String> nics = interfaces;
      if (nics.isEmpty() && !addresses.isEmpty()) {
        nics = new ArrayList<>();
        for (LinkState link : rtnl.links()) {
          if (!link.name().equals("lo")) {
            nics.add(link.name());
          }
        }
      }
      List<String> errors = new ArrayList<>();
      for (String skipped : dr.apply(addresses, nics)) {
        errors.add("dr: " + skipped);
      }
      return errors;
    } catch (Exception e) {
      return List.of("dr: " + e.getMessage());
    }
  }
}
