package io.lvsoperator.agent.ipvs;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A service and its destinations: one entry of a desired or observed table. */
public record IpvsServiceState(IpvsService service, List<IpvsDestination> destinations) {

  public IpvsServiceState {
    destinations = List.copyOf(destinations);
    Set<IpvsDestination.DestinationKey> seen = new HashSet<>();
    for (IpvsDestination d : destinations) {
      if (!seen.add(d.key())) {
        throw new IllegalArgumentException(
            service.key() + ": destination " + d.key() + " appears twice");
      }
    }
  }

  public IpvsServiceKey key() {
    return service.key();
  }
}
