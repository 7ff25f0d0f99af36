package io.lvsoperator.agent.health;

import io.lvsoperator.agent.scheduling.ManualScheduler;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * A prober whose answers are a function of (key, fake time). An answer may take time: it then
 * completes through the fake scheduler. Records every probe and fails the test on overlapping
 * probes of one key.
 */
final class TestingProber implements Prober {

  /** One scripted answer: the result and how long it takes to arrive. */
  record Answer(ProbeResult result, long latencyMs) {
    static Answer up() {
      return new Answer(ProbeResult.ok(), 0);
    }

    static Answer refused() {
      return new Answer(ProbeResult.failed("connection refused"), 0);
    }

    static Answer timeout(long ms) {
      return new Answer(ProbeResult.failed("timeout after " + ms + "ms"), ms);
    }
  }

  record Probe(HealthCheckKey key, long startedAt) {}

  private final ManualScheduler scheduler;
  private volatile BiFunction<HealthCheckKey, Long, Answer> script;
  private final List<Probe> probes = new ArrayList<>();
  private final Set<HealthCheckKey> inFlight = new HashSet<>();
  private final List<String> overlaps = new ArrayList<>();

  TestingProber(ManualScheduler scheduler, BiFunction<HealthCheckKey, Long, Answer> script) {
    this.scheduler = scheduler;
    this.script = script;
  }

  void script(BiFunction<HealthCheckKey, Long, Answer> script) {
    this.script = script;
  }

  @Override
  public synchronized CompletableFuture<ProbeResult> probe(HealthCheckKey key) {
    long now = scheduler.time();
    probes.add(new Probe(key, now));
    if (!inFlight.add(key)) {
      overlaps.add(key + " at " + now);
    }
    Answer answer = script.apply(key, now);
    CompletableFuture<ProbeResult> future = new CompletableFuture<>();
    Runnable complete =
        () -> {
          synchronized (this) {
            inFlight.remove(key);
          }
          future.complete(answer.result());
        };
    if (answer.latencyMs() == 0) {
      complete.run();
    } else {
      scheduler.schedule(complete, TimeUnit.MILLISECONDS.toNanos(answer.latencyMs()));
    }
    return future;
  }

  synchronized List<Probe> probes() {
    return List.copyOf(probes);
  }

  synchronized List<Long> probeTimes(HealthCheckKey key) {
    return probes.stream().filter(p -> p.key().equals(key)).map(Probe::startedAt).toList();
  }

  synchronized List<String> overlaps() {
    return List.copyOf(overlaps);
  }
}
