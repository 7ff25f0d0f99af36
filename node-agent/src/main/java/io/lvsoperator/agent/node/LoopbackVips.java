package io.lvsoperator.agent.node;

import java.util.List;

/**
 * The real-server side of DR: hold exactly these VIPs on lo/32 with arp_ignore=1 and arp_announce=2
 * set first; restore the previous sysctls when none are left.
 */
public interface LoopbackVips {
  /**
   * @return errors, empty when all went through
   */
  List<String> apply(List<String> vips);

  LoopbackVips NONE = vips -> List.of();
}
