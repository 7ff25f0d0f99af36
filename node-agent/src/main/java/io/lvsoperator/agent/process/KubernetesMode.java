package io.lvsoperator.agent.process;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.lvsoperator.agent.node.NodeRuntime;
import io.lvsoperator.agent.statefile.StateFile;
import io.lvsoperator.api.v1alpha1.LvsNode;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.api.v1alpha1.LvsNodeStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a node from its LvsNode object: watches only that object, applies its spec through the same
 * {@link NodeRuntime} as standalone mode, and patches its status (rate-limited).
 *
 * <p>The last applied spec is kept on local disk. While the API server is unreachable the data
 * plane keeps running as it is; an agent restarted during the outage serves from that copy.
 */
public final class KubernetesMode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KubernetesMode.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The cached copy: the spec and the LvsNode generation it came from. */
  record CachedSpec(long generation, LvsNodeSpec spec) {}

  private final Supplier<KubernetesClient> client;
  private final String nodeName;
  private final StateFile cacheFile;
  private final NodeRuntime runtime;
  private final Function<Long, LvsNodeStatus> status;
  private final Duration minStatusInterval;
  private final Duration heartbeat;
  private final ScheduledExecutorService statusTimer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("status-writer").daemon().factory());
  private SharedIndexInformer<LvsNode> informer;
  private volatile CachedSpec applied;
  private volatile LvsNodeStatus lastWritten;
  private volatile long lastWriteNanos;
  private volatile boolean writePending;

  /**
   * @param status builds this node's status for a given applied generation (VRRP states, checks)
   * @param client the client, asked for only after the cached spec is served: building one (HTTP,
   *     TLS, kubeconfig) is a large part of a start, which the first advert need not wait for
   */
  public KubernetesMode(
      Supplier<KubernetesClient> client,
      String nodeName,
      Path cacheDir,
      NodeRuntime runtime,
      Function<Long, LvsNodeStatus> status,
      Duration minStatusInterval,
      Duration heartbeat) {
    this.client = client;
    this.nodeName = nodeName;
    this.cacheFile = new StateFile(cacheDir.resolve("lvsnode-" + nodeName + ".json"));
    this.runtime = runtime;
    this.status = status;
    this.minStatusInterval = minStatusInterval;
    this.heartbeat = heartbeat;
  }

  /** Serves the cached spec at once (if any), then follows the LvsNode. */
  public void start() {
    CachedSpec cached = readCache();
    if (cached != null) {
      log.info("event=serving_cached_spec node={} generation={}", nodeName, cached.generation());
      apply(cached);
    }
    informer = client.get().resources(LvsNode.class).withName(nodeName).runnableInformer(0);
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(LvsNode obj) {
            onObject(obj);
          }

          @Override
          public void onUpdate(LvsNode oldObj, LvsNode newObj) {
            onObject(newObj);
          }

          @Override
          public void onDelete(LvsNode obj, boolean deletedFinalStateUnknown) {
            // The operator deletes a node's object when the node has nothing left to do.
            log.info("event=lvsnode_deleted node={}", nodeName);
            apply(new CachedSpec(0, LvsNodeSpec.empty()));
          }
        });
    // An unreachable API server is not fatal: keep what runs and keep trying (with backoff). The
    // client's ApiOutageLog says so: once with a stack trace per kind of failure, then one line.
    informer.exceptionHandler((started, t) -> true);
    informer.start();
    statusTimer.scheduleWithFixedDelay(
        () -> writeStatus(false),
        heartbeat.toMillis(),
        heartbeat.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void onObject(LvsNode node) {
    LvsNodeSpec spec = node.getSpec() == null ? LvsNodeSpec.empty() : node.getSpec();
    Long generation = node.getMetadata().getGeneration();
    apply(new CachedSpec(generation == null ? 0 : generation, spec));
  }

  private synchronized void apply(CachedSpec next) {
    if (applied != null && applied.spec().equals(next.spec())) {
      if (applied.generation() != next.generation()) {
        applied = next; // same content, new generation: nothing to do but say so
        statusChanged();
      }
      return;
    }
    try {
      runtime.apply(next.spec(), next.generation());
    } catch (RuntimeException e) {
      log.error("event=apply_failed node={} error=\"{}\"", nodeName, e.getMessage());
    }
    applied = next;
    writeCache(next);
    statusChanged();
  }

  /** Something worth reporting changed (a VRRP state, a check): write soon, rate-limited. */
  public void statusChanged() {
    if (writePending) {
      return;
    }
    writePending = true;
    long sinceLast = System.nanoTime() - lastWriteNanos;
    long delay = Math.max(0, minStatusInterval.toNanos() - sinceLast);
    statusTimer.schedule(() -> writeStatus(true), delay, TimeUnit.NANOSECONDS);
  }

  private void writeStatus(boolean changed) {
    writePending = false;
    CachedSpec current = applied;
    LvsNodeStatus next = status.apply(current == null ? null : current.generation());
    if (changed && lastWritten != null && sameButHeartbeat(lastWritten, next)) {
      return;
    }
    try {
      client
          .get()
          .resources(LvsNode.class)
          .withName(nodeName)
          .editStatus(
              n -> {
                n.setStatus(next);
                return n;
              });
      lastWritten = next;
      lastWriteNanos = System.nanoTime();
    } catch (RuntimeException e) {
      // The data plane does not depend on this: keep running, try again on the next change. An
      // unreachable API server is reported by the client's ApiOutageLog, once per retry.
      if (e.getCause() instanceof java.io.IOException) {
        log.debug("event=status_write_failed node={} error=\"{}\"", nodeName, e.getMessage());
      } else {
        log.warn("event=status_write_failed node={} error=\"{}\"", nodeName, e.getMessage());
      }
    }
  }

  private static boolean sameButHeartbeat(LvsNodeStatus a, LvsNodeStatus b) {
    return Objects.equals(a.observedGeneration(), b.observedGeneration())
        && Objects.equals(a.lastError(), b.lastError())
        && Objects.equals(a.vrrp(), b.vrrp())
        && Objects.equals(a.health(), b.health());
  }

  private CachedSpec readCache() {
    try {
      byte[] content = cacheFile.readBytes();
      return content == null ? null : JSON.readValue(content, CachedSpec.class);
    } catch (IOException e) {
      log.warn("event=cache_unreadable file={} error=\"{}\"", cacheFile, e.getMessage());
      return null;
    }
  }

  /** Written as a {@link StateFile} (fsync'd, 0600: the spec holds PASS passwords). */
  private void writeCache(CachedSpec spec) {
    try {
      cacheFile.write(JSON.writeValueAsBytes(spec));
    } catch (IOException e) {
      log.warn("event=cache_write_failed file={} error=\"{}\"", cacheFile, e.getMessage());
    }
  }

  /** The generation last applied, or null before the first. */
  public Long appliedGeneration() {
    CachedSpec a = applied;
    return a == null ? null : a.generation();
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
    statusTimer.shutdownNow();
  }
}
