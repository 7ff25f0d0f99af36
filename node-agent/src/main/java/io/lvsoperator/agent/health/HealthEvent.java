package io.lvsoperator.agent.health;

import java.time.Duration;
import java.time.Instant;

/**
 * One check result, as the rest of the agent (status, metrics) sees it.
 *
 * @param key the server checked (address, port, check)
 * @param health the state after this result
 * @param reason why the probe failed, null when it passed
 * @param latency how long the probe took
 * @param consecutive results in a row agreeing with this one
 * @param since when {@code health} last changed
 * @param transition whether this result changed {@code health}
 */
public record HealthEvent(
    HealthCheckKey key,
    ServerHealth health,
    String reason,
    Duration latency,
    int consecutive,
    Instant since,
    boolean transition) {

  /** The state this event leaves the check in. */
  public HealthState state() {
    return new HealthState(key, health, reason, latency, consecutive, since, true);
  }
}
