package io.lvsoperator.agent.health;

import java.util.List;

/**
 * An IPVS service as its health checks see it: where it listens (for messages), how its real
 * servers are checked and what a failure does to them.
 *
 * @param address the virtual address
 * @param port the virtual port
 * @param healthCheck the check of every destination, null (or type NONE) when they are not checked
 * @param onFailure what a down destination becomes, null for {@link FailureAction#REMOVE}
 * @param destinations the real servers, in the compiled order
 */
public record CheckedService(
    String address,
    int port,
    HealthCheck healthCheck,
    FailureAction onFailure,
    List<CheckedDestination> destinations) {

  public CheckedService {
    destinations = destinations == null ? List.of() : List.copyOf(destinations);
  }
}
