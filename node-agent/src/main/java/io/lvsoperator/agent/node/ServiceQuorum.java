package io.lvsoperator.agent.node;

import io.lvsoperator.agent.health.DestinationEffect;
import io.lvsoperator.agent.health.ServerHealth;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import java.util.List;

/**
 * keepalived's quorum of a virtual server ({@code quorum}, {@code hysteresis}, {@code
 * sorry_server}), as a pure function: the weight of the live real servers (up and not drained, at
 * their configured weight) decides whether the service has quorum, with hysteresis so that it does
 * not flap around the threshold.
 *
 * <ul>
 *   <li>A new service has quorum when that weight is at least {@code quorum + hysteresis}.
 *   <li>A service with quorum loses it when the weight is 0 or below {@code quorum - hysteresis}.
 *   <li>A service without quorum regains it when the weight is at least {@code quorum +
 *       hysteresis}.
 * </ul>
 *
 * <p>Without quorum and with a sorry server, the sorry server replaces the live real servers in
 * IPVS (keepalived's {@code perform_quorum_state}: the live ones are removed, the sorry server
 * added; on regaining quorum the reverse). Destinations kept at weight 0 (down with {@code
 * onFailure: weight-zero}, or drained) take no new connection and stay. Without a sorry server
 * nothing is removed: the loss is only reported.
 */
public final class ServiceQuorum {
  private ServiceQuorum() {}

  /** The configured weights of the destinations that are up and not drained. */
  public static int liveWeight(List<DestinationEffect> destinations) {
    int sum = 0;
    for (DestinationEffect d : destinations) {
      if (d.health() == ServerHealth.UP && !d.configured().drain()) {
        sum += d.configured().weight();
      }
    }
    return sum;
  }

  /**
   * Whether {@code service} has quorum now.
   *
   * @param hadQuorum its state before, null when it is new (the agent started or it was added)
   */
  public static boolean hasQuorum(
      LvsNodeSpec.IpvsService service, Boolean hadQuorum, int liveWeight) {
    int quorum = service.quorumOrDefault();
    int hysteresis = service.hysteresisOrDefault();
    if (hadQuorum != null && hadQuorum) {
      return liveWeight > 0 && liveWeight >= quorum - hysteresis;
    }
    return liveWeight >= quorum + hysteresis;
  }

  /**
   * The destinations IPVS gets: {@code kept} (what the checks keep) when the service has quorum or
   * no sorry server; else the sorry server in place of every destination that takes connections.
   */
  public static List<LvsNodeSpec.Destination> destinations(
      LvsNodeSpec.IpvsService service, boolean hasQuorum, List<LvsNodeSpec.Destination> kept) {
    if (hasQuorum || service.sorryServer() == null) {
      return kept;
    }
    List<LvsNodeSpec.Destination> idle =
        new java.util.ArrayList<>(kept.stream().filter(d -> d.weight() == 0).toList());
    idle.add(service.sorryServer());
    return List.copyOf(idle);
  }

  /** How logs, metrics and status name a service: {@code 10.0.0.1:80/TCP} or {@code fwmark:5}. */
  public static String name(LvsNodeSpec.IpvsService service) {
    return service.firewallMark() != null
        ? "fwmark:" + service.firewallMark()
        : service.address() + ":" + service.port() + "/" + service.protocol();
  }
}
