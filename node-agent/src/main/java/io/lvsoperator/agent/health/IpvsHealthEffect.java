package io.lvsoperator.agent.health;

import io.lvsoperator.api.v1alpha1.LvsNodeSpec.Destination;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec.IpvsService;
import io.lvsoperator.api.v1alpha1.OnFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The pure function from compiled services and check states to the destinations IPVS should have.
 *
 * <ul>
 *   <li>UP: the configured weight.
 *   <li>DOWN: removed, or kept with weight 0 when the service's {@code onFailure} is {@code
 *       WEIGHT_ZERO} (keepalived's {@code inhibit_on_failure}: established connections drain).
 *   <li>Drained ({@code drain: true}): weight 0 whatever the check says, kept in IPVS even when
 *       down so its connections finish.
 *   <li>Check type NONE (or no check): always UP.
 *   <li>A check with no state yet (not started, or a key the monitor has not seen): UP, the same
 *       "up until proven down" rule as a check that has not completed its first probe.
 *   <li>Every destination down: the service stays, with no destinations (or all at weight 0), and
 *       {@link EffectiveService#allDown()} says so.
 * </ul>
 */
public final class IpvsHealthEffect {

  private IpvsHealthEffect() {}

  public static List<EffectiveService> apply(
      List<IpvsService> services, Map<HealthCheckKey, HealthState> states) {
    List<EffectiveService> result = new ArrayList<>(services.size());
    for (IpvsService service : services) {
      result.add(apply(service, states));
    }
    return List.copyOf(result);
  }

  public static EffectiveService apply(
      IpvsService service, Map<HealthCheckKey, HealthState> states) {
    return apply(service, states::get);
  }

  /**
   * One service, with {@code states} answering the state of a check, null when it has none (a
   * lookup instead of a snapshot of every check, for the services one health change touches).
   */
  public static EffectiveService apply(
      IpvsService service, Function<HealthCheckKey, HealthState> states) {
    List<DestinationEffect> effects = new ArrayList<>(service.destinations().size());
    List<Destination> kept = new ArrayList<>(service.destinations().size());
    int down = 0;
    for (Destination destination : service.destinations()) {
      Optional<HealthState> state = HealthCheckKey.of(service, destination).map(states);
      boolean up = state.map(HealthState::up).orElse(true);
      String reason = up ? null : state.get().reason();
      DestinationEffect effect;
      if (up) {
        int weight = destination.drain() ? 0 : destination.weight();
        effect = new DestinationEffect(destination, ServerHealth.UP, null, true, weight);
      } else {
        down++;
        boolean keep = destination.drain() || service.onFailure() == OnFailure.WEIGHT_ZERO;
        effect = new DestinationEffect(destination, ServerHealth.DOWN, reason, keep, 0);
      }
      effects.add(effect);
      if (effect.inIpvs()) {
        kept.add(withWeight(destination, effect.weight()));
      }
    }
    boolean allDown = !service.destinations().isEmpty() && down == service.destinations().size();
    return new EffectiveService(withDestinations(service, kept), effects, allDown);
  }

  private static Destination withWeight(Destination d, int weight) {
    return d.weight() == weight
        ? d
        : new Destination(d.address(), d.port(), weight, d.forwarding(), d.drain());
  }

  private static IpvsService withDestinations(IpvsService s, List<Destination> destinations) {
    return new IpvsService(
        s.address(),
        s.port(),
        s.protocol(),
        s.scheduler(),
        s.persistenceTimeoutSeconds(),
        s.persistenceNetmask(),
        s.vrrpInstance(),
        s.healthCheck(),
        s.onFailure(),
        destinations);
  }
}
