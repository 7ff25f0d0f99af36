package io.lvsoperator.agent.health;

import java.time.Duration;
import java.time.Instant;

/**
 * The current state of one check.
 *
 * @param key what is checked
 * @param health up or down; {@link ServerHealth#UP} before the first result (see {@link
 *     CheckStateMachine})
 * @param reason why the last probe failed, null when it passed or none ran yet
 * @param latency duration of the last probe, null when none ran yet
 * @param consecutive how many results in a row agree with the last one (successes after a success,
 *     failures after a failure); 0 before the first result
 * @param since when {@code health} last changed (or when the check started)
 * @param checked whether at least one probe has completed
 */
public record HealthState(
    HealthCheckKey key,
    ServerHealth health,
    String reason,
    Duration latency,
    int consecutive,
    Instant since,
    boolean checked) {

  public boolean up() {
    return health == ServerHealth.UP;
  }
}
