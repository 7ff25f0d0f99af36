package io.lvsoperator.operator;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lvsoperator.compiler.ObjectKey;
import io.lvsoperator.compiler.SecretKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Secrets that VirtualServers name, read one by one with {@code get}: the operator watches no
 * Secret and lists none, so it needs no {@code list}/{@code watch} on Secrets anywhere. A Secret is
 * fetched the first time a compile needs it, then fetched again every {@code period}; a changed
 * value (or one that appeared or vanished) is reported to {@code changed}, which recompiles and
 * rewrites the nodes that use it. A password change therefore reaches the nodes within one period
 * (RESYNC_SECONDS, 30 s by default) plus one compile and write. Values are never logged. With
 * READ_SECRETS=false it reads none (every reference then names a key that does not exist).
 */
final class ReferencedSecrets implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReferencedSecrets.class);

  private final KubernetesClient client;
  private final Duration period;
  private final boolean allowed;
  private final Consumer<ObjectKey> changed;
  private final OperatorMetrics metrics;
  // What each Secret held when last read; empty when it did not exist.
  private final Map<ObjectKey, Optional<Map<String, String>>> known = new ConcurrentHashMap<>();
  private volatile Set<ObjectKey> referenced = Set.of();
  private ScheduledExecutorService poller;

  ReferencedSecrets(
      KubernetesClient client,
      Duration period,
      boolean allowed,
      OperatorMetrics metrics,
      Consumer<ObjectKey> changed) {
    this.client = client;
    this.period = period;
    this.allowed = allowed;
    this.metrics = metrics;
    this.changed = changed;
  }

  /** Starts re-reading the referenced Secrets every period. */
  synchronized void start() {
    if (poller != null) {
      return;
    }
    poller =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("secret-poller").factory());
    long ms = Math.max(1, period.toMillis());
    poller.scheduleWithFixedDelay(this::poll, ms, ms, TimeUnit.MILLISECONDS);
  }

  /**
   * The values of these keys, reading each Secret not read before. The set also becomes what the
   * poller re-reads: Secrets no VirtualServer names any more are forgotten.
   */
  Map<SecretKey, String> values(Set<SecretKey> keys) {
    Set<ObjectKey> secrets = new HashSet<>();
    keys.forEach(k -> secrets.add(new ObjectKey(k.namespace(), k.name())));
    referenced = Set.copyOf(secrets);
    known.keySet().retainAll(secrets);
    Map<SecretKey, String> out = new HashMap<>();
    for (SecretKey k : keys) {
      ObjectKey secret = new ObjectKey(k.namespace(), k.name());
      Optional<Map<String, String>> data = known.computeIfAbsent(secret, this::read);
      data.map(d -> d.get(k.key())).ifPresent(v -> out.put(k, v));
    }
    return out;
  }

  /** Secrets read so far and still referenced (for tests and metrics). */
  Set<ObjectKey> referenced() {
    return referenced;
  }

  private void poll() {
    for (ObjectKey secret : List.copyOf(referenced)) {
      try {
        Optional<Map<String, String>> now = read(secret);
        Optional<Map<String, String>> before = known.put(secret, now);
        if (before != null && !Objects.equals(before, now)) {
          LOG.info(
              "event=secret_changed secret={} keys={}",
              secret,
              now.map(d -> d.keySet().stream().sorted().toList()).orElse(List.of()));
          changed.accept(secret);
        }
      } catch (RuntimeException e) {
        LOG.warn("event=secret_read_failed secret={} error=\"{}\"", secret, e.getMessage());
      }
    }
  }

  private Optional<Map<String, String>> read(ObjectKey key) {
    if (!allowed) {
      return Optional.empty(); // READ_SECRETS=false: the chart grants no access to Secrets
    }
    Secret secret;
    try {
      secret = client.secrets().inNamespace(key.namespace()).withName(key.name()).get();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        LOG.warn("event=secret_forbidden secret={} hint=operator.rbac.readSecrets", key);
        return Optional.empty();
      }
      throw e;
    }
    metrics.read("Secret");
    if (secret == null) {
      return Optional.empty();
    }
    return Optional.of(
        SecretKey.valuesOf(List.of(secret)).entrySet().stream()
            .collect(
                java.util.stream.Collectors.toUnmodifiableMap(
                    e -> e.getKey().key(), Map.Entry::getValue)));
  }

  @Override
  public synchronized void close() {
    if (poller != null) {
      poller.shutdownNow();
      poller = null;
    }
  }
}
