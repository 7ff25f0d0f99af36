package io.lvsoperator.agent.health;

/**
 * Receives every check result. Called from check threads: implementations must be thread-safe and
 * quick (hand work off rather than block).
 */
@FunctionalInterface
public interface HealthListener {
  void onHealthEvent(HealthEvent event);

  HealthListener NONE = event -> {};
}
