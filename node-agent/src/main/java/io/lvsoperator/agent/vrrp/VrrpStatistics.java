package io.lvsoperator.agent.vrrp;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What the agent's {@code /metrics} says about failovers: transitions counted by instance, from, to
 * and reason, and a histogram of failover durations per instance (the replaced master's last advert
 * to our VIPs added, {@link VrrpTransition#failoverNanos}). A listener of the engine; readable from
 * any thread.
 */
public final class VrrpStatistics implements VrrpTransition.Listener {

  /** Upper bounds of the failover histogram's buckets, in seconds (+Inf beyond). */
  public static final List<Double> FAILOVER_BUCKETS =
      List.of(0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.0, 3.0, 4.0, 5.0, 10.0);

  /** One kind of transition. */
  public record TransitionKey(String instance, VrrpState from, VrrpState to, String reason)
      implements Comparable<TransitionKey> {
    @Override
    public int compareTo(TransitionKey o) {
      return (instance + ' ' + from + ' ' + to + ' ' + reason)
          .compareTo(o.instance + ' ' + o.from + ' ' + o.to + ' ' + o.reason);
    }
  }

  /**
   * A Prometheus histogram's content.
   *
   * @param buckets cumulative counts, one per {@link #FAILOVER_BUCKETS} bound
   */
  public record Histogram(long[] buckets, long count, double sumSeconds) {}

  private final Map<TransitionKey, AtomicLong> transitions = new ConcurrentHashMap<>();
  private final Map<String, Failovers> failovers = new ConcurrentHashMap<>();

  private static final class Failovers {
    final AtomicLongArray buckets = new AtomicLongArray(FAILOVER_BUCKETS.size());
    final AtomicLong count = new AtomicLong();
    final AtomicLong sumNanos = new AtomicLong();
  }

  @Override
  public void onTransition(VrrpTransition t) {
    transitions
        .computeIfAbsent(
            new TransitionKey(t.instance(), t.from(), t.to(), t.reason()), k -> new AtomicLong())
        .incrementAndGet();
    if (t.failoverNanos() >= 0) {
      Failovers f = failovers.computeIfAbsent(t.instance(), k -> new Failovers());
      double seconds = t.failoverNanos() / 1e9;
      for (int i = 0; i < FAILOVER_BUCKETS.size(); i++) {
        if (seconds <= FAILOVER_BUCKETS.get(i)) {
          f.buckets.incrementAndGet(i);
        }
      }
      f.sumNanos.addAndGet(t.failoverNanos());
      f.count.incrementAndGet();
    }
  }

  /** Every transition seen, counted, in a stable order. */
  public Map<TransitionKey, Long> transitions() {
    Map<TransitionKey, Long> out = new TreeMap<>();
    transitions.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /** The failover histogram of every instance that failed over at least once, by instance. */
  public Map<String, Histogram> failovers() {
    Map<String, Histogram> out = new TreeMap<>();
    failovers.forEach(
        (instance, f) -> {
          long[] b = new long[FAILOVER_BUCKETS.size()];
          for (int i = 0; i < b.length; i++) {
            b[i] = f.buckets.get(i);
          }
          out.put(instance, new Histogram(b, f.count.get(), f.sumNanos.get() / 1e9));
        });
    return out;
  }
}
