package io.lvsoperator.agent.node;

import io.lvsoperator.api.v1alpha1.LvsNodeSpec.IpvsService;
import java.util.List;
import java.util.Set;

/**
 * Makes the kernel's IPVS table hold exactly these services (among the ones the agent owns), by
 * difference. The services come with health applied: down destinations removed or at weight 0.
 */
public interface IpvsProgrammer {

  /**
   * What a call left undone: an error per failed operation or rejected service (the rest was
   * applied), and the VRRP instances ({@link IpvsService#vrrpInstance()}) whose services are not as
   * asked, so that only those stay out of MASTER.
   *
   * @param full whether every service was programmed (a full sync), not only changed ones
   */
  record Outcome(List<String> errors, Set<String> failedInstances, boolean full) {
    public Outcome {
      errors = List.copyOf(errors);
      failedInstances = Set.copyOf(failedInstances);
    }

    /** A full sync that went through. */
    public static final Outcome DONE = new Outcome(List.of(), Set.of(), true);

    /** Everything failed for one reason (no IPVS in the kernel, the table unreadable). */
    public static Outcome allFailed(List<IpvsService> services, String error) {
      return new Outcome(List.of(error), instancesOf(services), true);
    }

    static Set<String> instancesOf(List<IpvsService> services) {
      return services.stream()
          .map(IpvsService::vrrpInstance)
          .filter(java.util.Objects::nonNull)
          .collect(java.util.stream.Collectors.toSet());
    }

    public boolean complete() {
      return errors.isEmpty();
    }
  }

  /**
   * Programs every service (a full sync) for config generation {@code generation}, which
   * implementations report with what they did (the kernel programmer logs it with each sync).
   */
  Outcome program(long generation, List<IpvsService> services);

  /**
   * A health verdict changed the destinations of {@code changed}, a subset of {@code all} (both
   * with health applied; {@code all} is what {@link #program} would get), while config generation
   * {@code generation} runs. Implementations program only the changed services where they can and
   * fall back to {@code program(generation, all)}; this default always programs everything.
   */
  default Outcome programHealthChange(
      long generation, List<IpvsService> all, List<IpvsService> changed) {
    return program(generation, all);
  }

  /**
   * A new config changed some services: {@code came} are the services (health applied) that are new
   * or differ from before, {@code gone} the ones of the previous config that are not in the new one
   * as they were (removed, or the old version of an edited one); {@code all} is what {@link
   * #program} would get. Implementations touch only these services where they can and fall back to
   * {@code program(generation, all)}; this default always programs everything.
   */
  default Outcome programChange(
      long generation, List<IpvsService> all, List<IpvsService> gone, List<IpvsService> came) {
    return program(generation, all);
  }

  /** For nodes without IPVS (VIP-only setups, hosts whose kernel lacks it): does nothing. */
  IpvsProgrammer NONE = (generation, services) -> Outcome.DONE;
}
