package io.lvsoperator.agent.node;

import io.lvsoperator.agent.health.DestinationEffect;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import java.util.List;

/**
 * One compiled IPVS service as the kernel should have it given the checks.
 *
 * @param service the compiled service with {@code destinations} replaced by the effective ones:
 *     down servers removed (or kept at weight 0 with {@code onFailure: weight-zero}), drained ones
 *     at weight 0, the others at their configured weight; while quorum is lost, the sorry server in
 *     place of the live ones. Everything else is as compiled.
 * @param destinations every configured destination with its health and what became of it, in the
 *     compiled order
 * @param allDown whether the service has destinations and every one of them is down: the service
 *     stays (empty, or all at weight 0) and this should be reported
 * @param hasQuorum whether the live weight meets the service's quorum ({@link ServiceQuorum});
 *     without it the sorry server, when there is one, replaced the live destinations
 * @param liveWeight the configured weights of the destinations up and not drained
 */
public record EffectiveIpvsService(
    LvsNodeSpec.IpvsService service,
    List<DestinationEffect> destinations,
    boolean allDown,
    boolean hasQuorum,
    int liveWeight) {

  public EffectiveIpvsService {
    destinations = List.copyOf(destinations);
  }
}
