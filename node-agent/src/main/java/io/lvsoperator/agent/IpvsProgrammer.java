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

  /**
   * A health verdict changed the destinations of {@code changed}, a subset of {@code all} (both
   * with health applied; {@code all} is what {@link #program} would get). Implementations program
   * only the changed services where they can and fall back to {@code program(all)}; this default
   * always programs everything.
   *
   * @return errors of operations that failed, as {@link #program}
   */
  default List<String> programHealthChange(List<IpvsService> all, List<IpvsService> changed) {
    return program(all);
  }

  /** For nodes without IPVS (VIP-only setups, hosts whose kernel lacks it): does nothing. */
  IpvsProgrammer NONE = services -> List.of();
}
