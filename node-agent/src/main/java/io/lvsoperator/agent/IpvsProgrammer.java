package io.lvsoperator.agent;

import io.lvsoperator.api.v1alpha1.LvsNodeSpec.IpvsService;
import java.util.List;

/**
 * Makes the kernel's IPVS table hold exactly these services (among the ones the agent owns), by
 * difference. The services come with health applied: down destinations removed or at weight 0.
 */
public interface IpvsProgrammer {
  /**
   * @return errors of operations that failed (the rest was applied); empty when all went through
   */
  List<String> program(List<IpvsService> services);

  /** For nodes without IPVS (VIP-only setups, hosts whose kernel lacks it): does nothing. */
  IpvsProgrammer NONE = services -> List.of();
}
