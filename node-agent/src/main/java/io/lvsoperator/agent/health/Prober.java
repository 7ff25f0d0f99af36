package io.lvsoperator.agent.health;

import java.util.concurrent.CompletableFuture;

/**
 * Runs one probe of a real server. Implementations never complete the future exceptionally: every
 * error becomes a failed {@link ProbeResult} with a reason, and every probe completes within the
 * check's timeout.
 */
@FunctionalInterface
public interface Prober {
  CompletableFuture<ProbeResult> probe(HealthCheckKey key);
}
