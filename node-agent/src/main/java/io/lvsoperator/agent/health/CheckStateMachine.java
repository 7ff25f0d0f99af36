package io.lvsoperator.agent.health;

/**
 * Up/down hysteresis of one check and the delay before its next probe: keepalived's checker epilog
 * ({@code check_http.c} / {@code check_tcp.c}) generalised with rise and fall.
 *
 * <p>keepalived, for reference: a checker starts up (unless {@code alpha}); a failure of an up
 * server is retried {@code retry} times, {@code delay_before_retry} apart; the failure after the
 * last retry takes it down, and the next check comes {@code delay_loop} later; any success resets
 * the retry count, brings a down server up at once, and schedules the next check {@code delay_loop}
 * later. So with {@code retry 3} an up server goes down on its 4th failure in a row.
 *
 * <p>Here:
 *
 * <ul>
 *   <li>Initial state UP ("up until proven down", keepalived's default without alpha), so an agent
 *       restart does not empty the IPVS table while the first checks run.
 *   <li>A failure while UP counts; at {@code fall} failures in a row the server goes DOWN and the
 *       next probe is {@code interval} later, otherwise the next probe is {@code delayBeforeRetry}
 *       later.
 *   <li>A success while DOWN counts; at {@code rise} successes in a row it goes UP.
 *   <li>Every other result (success while UP, failure while DOWN) schedules the next probe {@code
 *       interval} later. (keepalived's HTTP checker waits max(delay_loop, delay_before_retry) after
 *       a failure of a down server, its TCP checker keeps retrying; we use the interval.)
 * </ul>
 *
 * <p>Not thread-safe: its owner serialises calls.
 */
public final class CheckStateMachine {

  private final CheckTiming timing;
  private ServerHealth health = ServerHealth.UP;
  private int successes;
  private int failures;

  public CheckStateMachine(CheckTiming timing) {
    this.timing = timing;
  }

  /** What one result did. */
  public record Step(ServerHealth health, boolean transition, int consecutive, long nextDelayMs) {}

  public Step onResult(boolean success) {
    ServerHealth before = health;
    long next = timing.intervalMs();
    int consecutive;
    if (success) {
      failures = 0;
      successes = saturatingIncrement(successes);
      if (health == ServerHealth.DOWN && successes >= timing.rise()) {
        health = ServerHealth.UP;
      }
      consecutive = successes;
    } else {
      successes = 0;
      failures = saturatingIncrement(failures);
      if (health == ServerHealth.UP) {
        if (failures >= timing.fall()) {
          health = ServerHealth.DOWN;
        } else {
          next = timing.delayBeforeRetryMs();
        }
      }
      consecutive = failures;
    }
    return new Step(health, health != before, consecutive, next);
  }

  public ServerHealth health() {
    return health;
  }

  public CheckTiming timing() {
    return timing;
  }

  private static int saturatingIncrement(int n) {
    return n == Integer.MAX_VALUE ? n : n + 1;
  }
}
