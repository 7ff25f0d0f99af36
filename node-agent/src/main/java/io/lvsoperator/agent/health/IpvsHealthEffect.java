package io.lvsoperator.agent.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The pure function from services and check states to the destinations IPVS should have.
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
      List<CheckedService> services, Map<HealthCheckKey, HealthState> states) {
    List<EffectiveService> result = new ArrayList<>(services.size());
    for (CheckedService service : services) {
      result.add(apply(service, states));
    }
    return List.copyOf(result);
  }

  public static EffectiveService apply(
      CheckedService service, Map<HealthCheckKey, HealthState> states) {
    return apply(service, states::get);
  }

  /**
   * One service, with {@code states} answering the state of a check, null when it has none (a
   * lookup instead of a snapshot of every check, for the services one health change touches).
   */
  public static EffectiveService apply(
      CheckedService service, Function<HealthCheckKey, HealthState> states) {
    List<DestinationEffect> effects = new ArrayList<>(service.destinations().size());
    List<CheckedDestination> kept = new ArrayList<>(service.destinations().size());
    int down = 0;
    for (CheckedDestination destination : service.destinations()) {
      Optional<HealthState> state = HealthCheckKey.of(service, destination).map(states);
      boolean up = state.map(HealthState::up).orElse(true);
      String reason = up ? null : state.get().reason();
      DestinationEffect effect;
      if (up) {
        int weight = destination.drain() ? 0 : destination.weight();
        effect = new DestinationEffect(destination, ServerHealth.UP, null, true, weight);
      } else {
        down++;
        boolean keep = destination.drain() || service.onFailure() == FailureAction.WEIGHT_ZERO;
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

  private static CheckedDestination withWeight(CheckedDestination d, int weight) {
    return d.weight() == weight
        ? d
        : new CheckedDestination(d.address(), d.port(), weight, d.drain());
  }

  private static CheckedService withDestinations(
      CheckedService s, List<CheckedDestination> destinations) {
    return new CheckedService(s.address(), s.port(), s.healthCheck(), s.onFailure(), destinations);
  }
}
