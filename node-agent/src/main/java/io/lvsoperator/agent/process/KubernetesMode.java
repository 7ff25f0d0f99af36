package io.lvsoperator.agent.process;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.lvsoperator.agent.health.HealthCheckKey;
import io.lvsoperator.agent.node.NodeAgent;
import io.lvsoperator.agent.node.NodeRuntime;
import io.lvsoperator.agent.nodeconfig.NodeConfig;
import io.lvsoperator.agent.nodeconfig.NodeConfigCache;
import io.lvsoperator.agent.nodeconfig.NodeConfigFollower;
import io.lvsoperator.agent.nodeconfig.SliceStatuses;
import io.lvsoperator.agent.scheduling.ScheduledExecutorEventLoop;
import io.lvsoperator.api.v1alpha1.LvsNode;
import io.lvsoperator.api.v1alpha1.LvsNodeSlice;
import io.lvsoperator.api.v1alpha1.LvsNodeSliceStatus;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.api.v1alpha1.LvsNodeStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a node from the API server: its head ({@code LvsNode <node>}, an informer on that name), its
 * slices ({@code LvsNodeSlice}s labelled {@code lvsoperator.io/node=<node>}, one informer on the
 * label) and the VRRP passwords (Secret {@code lvs-vrrp-auth} in the operator's namespace, an
 * informer on that name). {@link NodeConfigFollower} decides what to apply and when (after the
 * initial lists, debounced, deletions that empty the node confirmed by a second read); the merged
 * spec goes through the same {@link NodeRuntime} as standalone mode. The head's status says how the
 * node runs; each slice's status says which of its destinations are not healthy, written only when
 * it changes; both rate-limited.
 *
 * <p>The last applied config is kept on local disk ({@link NodeConfigCache}). While the API server
 * is unreachable the data plane keeps running as it is; an agent restarted during the outage serves
 * from that copy.
 */
public final class KubernetesMode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KubernetesMode.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the head's status may spend on services without quorum. */
  static final int QUORUM_LIMIT_BYTES = 32 * 1024;

  /** Slice statuses written per status tick at most (the rest follow on the next ticks). */
  static final int SLICE_WRITES_PER_TICK = 50;

  /** What Kubernetes mode reads of the node it runs. */
  public interface NodeReports {
    /** The head's status (less generation and heartbeat); {@code health} only when asked. */
    LvsNodeStatus status(Long observedGeneration, boolean withHealth);

    /** Each destination of {@code service} with its check's verdict. */
    List<NodeAgent.DestinationHealth> destinationHealth(LvsNodeSpec.IpvsService service);
  }

  /**
   * @param debounce how long the first change of a burst waits for the rest
   * @param confirmDelay how long after a read that empties the node the confirming read comes
   * @param minStatusInterval the least time between two status writes of one object
   * @param heartbeat how often the head's status is written when nothing changes
   */
  public record Timing(
      Duration debounce, Duration confirmDelay, Duration minStatusInterval, Duration heartbeat) {
    public static final Timing DEFAULT =
        new Timing(
            Duration.ofMillis(100),
            Duration.ofSeconds(10),
            Duration.ofSeconds(1),
            Duration.ofSeconds(30));
  }

  private final KubernetesClient client;
  private final String nodeName;
  private final String operatorNamespace;
  private final NodeConfigCache cache;
  private final NodeRuntime runtime;
  private final NodeReports reports;
  private final String agentVersion;
  private final Timing timing;
  private final ScheduledExecutorEventLoop configLoop =
      new ScheduledExecutorEventLoop("node-config");
  private final ScheduledExecutorService statusTimer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("status-writer").daemon().factory());
  private final NodeConfigFollower follower;
  private final SliceStatuses sliceStatuses = new SliceStatuses();
  private SharedIndexInformer<LvsNode> headInformer;
  private SharedIndexInformer<LvsNodeSlice> sliceInformer;
  private SharedIndexInformer<Secret> secretInformer;
  private volatile NodeConfig applied; // what runs; written on the config loop only
  private LvsNodeSpec appliedSpec; // its merged spec; config loop only
  private NodeConfig cached; // what the disk holds; config loop only
  private volatile String configError;
  private volatile LvsNodeStatus lastWritten;
  private volatile long lastWriteNanos;

  /** How many services lacked quorum when the status last had to leave some out; -1: none left. */
  private volatile int lastTruncatedQuorum = -1;

  private volatile boolean writePending;

  public KubernetesMode(
      KubernetesClient client,
      String nodeName,
      String operatorNamespace,
      Path cacheDir,
      NodeRuntime runtime,
      NodeReports reports,
      String agentVersion,
      Timing timing) {
    this.client = client;
    this.nodeName = nodeName;
    this.operatorNamespace = operatorNamespace;
    this.cache = new NodeConfigCache(cacheDir, nodeName);
    this.runtime = runtime;
    this.reports = reports;
    this.agentVersion = agentVersion;
    this.timing = timing;
    this.follower =
        new NodeConfigFollower(
            configLoop,
            new NodeConfigFollower.Source() {
              @Override
              public Optional<NodeConfig> current() {
                return informed();
              }

              @Override
              public NodeConfig readNow() {
                return readFromServer();
              }
            },
            this::apply,
            timing.debounce(),
            timing.confirmDelay());
  }

  /** Serves the cached config at once (if any), then follows the API server. */
  public void start() {
    NodeConfig fromDisk = cache.read();
    configLoop.execute(() -> cached = fromDisk);
    follower.start(fromDisk);
    headInformer = client.resources(LvsNode.class).withName(nodeName).runnableInformer(0);
    headInformer.addEventHandler(
        changes(n -> {}, n -> log.info("event=lvsnode_deleted node={}", nodeName)));
    sliceInformer =
        client
            .resources(LvsNodeSlice.class)
            .withLabel(LvsNodeSlice.NODE_LABEL, nodeName)
            .runnableInformer(0);
    sliceInformer.addEventHandler(
        changes(
            s -> sliceStatuses.observed(s.getMetadata().getName(), s.getStatus()),
            s -> sliceStatuses.deleted(s.getMetadata().getName())));
    secretInformer =
        client
            .secrets()
            .inNamespace(operatorNamespace)
            .withName(LvsNodeSlice.VRRP_AUTH_SECRET)
            .runnableInformer(0);
    secretInformer.addEventHandler(changes(s -> {}, s -> {}));
    for (SharedIndexInformer<?> informer : List.of(headInformer, sliceInformer, secretInformer)) {
      // An unreachable API server is not fatal: keep what runs and keep trying (with backoff). The
      // client's ApiOutageLog says so: once with a stack trace per kind of failure, then one line.
      informer.exceptionHandler((started, t) -> true);
      informer.start().thenRun(follower::changed); // the initial list is complete
    }
    statusTimer.scheduleWithFixedDelay(
        () -> writeStatus(false),
        timing.heartbeat().toMillis(),
        timing.heartbeat().toMillis(),
        TimeUnit.MILLISECONDS);
    statusTimer.scheduleWithFixedDelay(
        this::writeSliceStatuses,
        timing.minStatusInterval().toMillis(),
        timing.minStatusInterval().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /**
   * A handler that tells the follower when an object's spec or data changed (its generation or
   * content; our own status writes change neither), and {@code seen}/{@code gone} every object.
   */
  private <T extends HasMetadata> ResourceEventHandler<T> changes(
      Consumer<T> seen, Consumer<T> gone) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        seen.accept(obj);
        follower.changed();
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        seen.accept(newObj);
        if (!Objects.equals(
                oldObj.getMetadata().getGeneration(), newObj.getMetadata().getGeneration())
            || !Objects.equals(content(oldObj), content(newObj))) {
          follower.changed();
        }
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        gone.accept(obj);
        follower.changed();
      }
    };
  }

  private static Object content(HasMetadata obj) {
    return switch (obj) {
      case LvsNode n -> n.getSpec();
      case LvsNodeSlice s -> s.getSpec();
      case Secret s -> s.getData();
      default -> obj;
    };
  }

  /** What the informers hold, once the lists the config needs are complete. */
  private Optional<NodeConfig> informed() {
    if (!headInformer.hasSynced() || !sliceInformer.hasSynced()) {
      return Optional.empty();
    }
    LvsNode head = headInformer.getStore().list().stream().findFirst().orElse(null);
    NodeConfig config =
        config(head, sliceInformer.getStore().list(), passwords(secretInformer.getStore().list()));
    if (config.needsPasswords() && !secretInformer.hasSynced()) {
      return Optional.empty();
    }
    return Optional.of(config);
  }

  /** The head and slices read from the API server itself (a deletion to confirm). */
  private NodeConfig readFromServer() {
    LvsNode head = client.resources(LvsNode.class).withName(nodeName).get();
    List<LvsNodeSlice> slices;
    try {
      slices =
          client
              .resources(LvsNodeSlice.class)
              .withLabel(LvsNodeSlice.NODE_LABEL, nodeName)
              .list()
              .getItems();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
      slices = List.of(); // the kind itself is gone (its CRD removed)
    }
    return config(head, slices, passwords(secretInformer.getStore().list()));
  }

  private NodeConfig config(LvsNode head, List<LvsNodeSlice> slices, Map<String, String> values) {
    TreeMap<String, NodeConfig.Slice> byName = new TreeMap<>();
    for (LvsNodeSlice s : slices) {
      if (s.getSpec() != null && nodeName.equals(s.getSpec().node())) {
        byName.put(s.getMetadata().getName(), new NodeConfig.Slice(generation(s), s.getSpec()));
      }
    }
    if (head == null) {
      return new NodeConfig(null, 0, byName, values);
    }
    LvsNodeSpec spec = head.getSpec() == null ? LvsNodeSpec.empty() : head.getSpec();
    return new NodeConfig(spec, generation(head), byName, values);
  }

  private static long generation(HasMetadata obj) {
    Long g = obj.getMetadata().getGeneration();
    return g == null ? 0 : g;
  }

  private static Map<String, String> passwords(List<Secret> secrets) {
    Map<String, String> values = new HashMap<>();
    for (Secret s : secrets) {
      if (LvsNodeSlice.VRRP_AUTH_SECRET.equals(s.getMetadata().getName()) && s.getData() != null) {
        s.getData()
            .forEach(
                (k, v) -> {
                  try {
                    values.put(
                        k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8));
                  } catch (IllegalArgumentException e) {
                    log.warn(
                        "event=secret_value_unreadable secret={} key={}",
                        LvsNodeSlice.VRRP_AUTH_SECRET,
                        k);
                  }
                });
      }
    }
    return values;
  }

  /** The follower's decision: merge, apply what differs, cache, report. On the config loop. */
  private void apply(NodeConfig config, boolean fromCache) {
    LvsNodeSpec spec;
    try {
      spec = config.spec();
    } catch (IllegalArgumentException e) {
      // A password the head names is missing (the Secret not written yet): keep what runs.
      configError = "config: " + e.getMessage();
      log.error("event=config_rejected node={} error=\"{}\"", nodeName, e.getMessage());
      statusChanged();
      return;
    }
    String error = null;
    if (!spec.equals(appliedSpec)) {
      try {
        runtime.apply(spec, config.headGeneration());
      } catch (RuntimeException e) {
        error = "apply: " + e.getMessage();
        log.error("event=apply_failed node={} error=\"{}\"", nodeName, e.getMessage());
      }
    }
    configError = error;
    applied = config;
    appliedSpec = spec;
    if (fromCache) {
      log.info(
          "event=serving_cached_spec node={} generation={} slices={}",
          nodeName,
          config.headGeneration(),
          config.slices().size());
    } else {
      log.info(
          "event=config_applied node={} generation={} slices={} vrrp_instances={}"
              + " ipvs_services={}",
          nodeName,
          config.headGeneration(),
          config.slices().size(),
          spec.vrrpInstances().size(),
          spec.ipvsServices().size());
      try {
        cache.write(cached, config);
        cached = config;
      } catch (IOException | RuntimeException e) {
        log.warn("event=cache_write_failed dir={} error=\"{}\"", cache.directory(), e.getMessage());
      }
    }
    sliceStatuses.applied(config.slices());
    statusChanged();
  }

  /** A check's verdict changed: the slices holding its destinations are reported again. */
  public void healthChanged(HealthCheckKey key) {
    sliceStatuses.healthChanged(key);
  }

  /** Something worth reporting changed (a VRRP state, a check): write soon, rate-limited. */
  public void statusChanged() {
    if (writePending) {
      return;
    }
    writePending = true;
    long sinceLast = System.nanoTime() - lastWriteNanos;
    long delay = Math.max(0, timing.minStatusInterval().toNanos() - sinceLast);
    statusTimer.schedule(() -> writeStatus(true), delay, TimeUnit.NANOSECONDS);
  }

  private void writeStatus(boolean changed) {
    writePending = false;
    NodeConfig current = applied;
    if (current == null || !current.hasHead()) {
      return; // no LvsNode to write to
    }
    LvsNodeStatus base = reports.status(current.headGeneration(), current.headIsComplete());
    String error = configError;
    String lastError =
        error == null
            ? base.lastError()
            : base.lastError() == null ? error : error + "; " + base.lastError();
    List<LvsNodeStatus.QuorumStatus> quorumLost =
        boundedQuorumLost(base.quorumLost(), QUORUM_LIMIT_BYTES);
    if (quorumLost.size() < base.quorumLost().size()
        && base.quorumLost().size() != lastTruncatedQuorum) {
      log.warn(
          "event=quorum_status_truncated node={} services_without_quorum={} reported={}"
              + " limit_bytes={}",
          nodeName,
          base.quorumLost().size(),
          quorumLost.size(),
          QUORUM_LIMIT_BYTES);
    }
    lastTruncatedQuorum =
        quorumLost.size() < base.quorumLost().size() ? base.quorumLost().size() : -1;
    LvsNodeStatus next =
        new LvsNodeStatus(
            base.observedGeneration(),
            agentVersion,
            base.heartbeat(),
            lastError,
            base.vrrp(),
            base.health(),
            base.conditions(),
            quorumLost);
    if (changed && lastWritten != null && sameButHeartbeat(lastWritten, next)) {
      return;
    }
    try {
      client
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
      if (e.getCause() instanceof IOException) {
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
        && Objects.equals(a.health(), b.health())
        && Objects.equals(a.quorumLost(), b.quorumLost());
  }

  /**
   * The head's services without quorum, in their order, as many as fit in {@code limitBytes} of
   * JSON: with every service of a large node below its quorum the list would grow with the node,
   * and the head's status must stay bounded (the slices' are, {@link SliceStatuses}).
   */
  static List<LvsNodeStatus.QuorumStatus> boundedQuorumLost(
      List<LvsNodeStatus.QuorumStatus> all, int limitBytes) {
    int bytes = 0;
    for (int i = 0; i < all.size(); i++) {
      try {
        bytes += JSON.writeValueAsBytes(all.get(i)).length + 1;
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
      if (bytes > limitBytes) {
        return List.copyOf(all.subList(0, i));
      }
    }
    return all;
  }

  /**
   * Writes the statuses of the slices whose should-be status differs from what the API server
   * holds: at most {@link #SLICE_WRITES_PER_TICK} per tick, each a JSON patch of the status
   * subresource that replaces the whole status (no read first).
   */
  private void writeSliceStatuses() {
    if (sliceStatuses.pending() == 0) {
      return;
    }
    Map<String, LvsNodeSliceStatus> due =
        sliceStatuses.due(reports::destinationHealth, SLICE_WRITES_PER_TICK);
    due.forEach(
        (name, status) -> {
          try {
            // Bound to an object of that name, so the client sends the patch without reading the
            // slice first (the agent may list and watch slices, not get them).
            LvsNodeSlice named = new LvsNodeSlice();
            named.setMetadata(new ObjectMetaBuilder().withName(name).build());
            client
                .resource(named)
                .subresource("status")
                .patch(PatchContext.of(PatchType.JSON), statusPatch(status));
            sliceStatuses.observed(name, status);
          } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
              sliceStatuses.retry(name);
              // An unreachable API server is reported by the client's ApiOutageLog.
              if (e.getCause() instanceof IOException) {
                log.debug(
                    "event=slice_status_write_failed slice={} error=\"{}\"", name, e.getMessage());
              } else {
                log.warn(
                    "event=slice_status_write_failed slice={} error=\"{}\"", name, e.getMessage());
              }
            }
          }
        });
  }

  /**
   * {@code [{"op": "add", "path": "/status", "value": ...}]}: sets the status whether there is one
   * or not (RFC 6902: add replaces an existing member), lists and all. A JSON merge patch would
   * replace lists too (RFC 7386), but Fabric8's mock API server appends to them.
   */
  private static String statusPatch(LvsNodeSliceStatus status) {
    try {
      return JSON.writeValueAsString(
          List.of(Map.of("op", "add", "path", "/status", "value", status)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a slice status", e);
    }
  }

  /** The head generation last applied, or null before the first. */
  public Long appliedGeneration() {
    NodeConfig a = applied;
    return a == null ? null : a.headGeneration();
  }

  @Override
  public void close() {
    // Let an apply under way finish (and its cache write): the loop's thread is interrupted next.
    java.util.concurrent.CompletableFuture<Void> drained =
        new java.util.concurrent.CompletableFuture<>();
    configLoop.execute(() -> drained.complete(null));
    try {
      drained.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("event=config_loop_busy_at_close error=\"{}\"", e.toString());
    }
    for (SharedIndexInformer<?> informer :
        new SharedIndexInformer<?>[] {headInformer, sliceInformer, secretInformer}) {
      if (informer != null) {
        informer.close();
      }
    }
    statusTimer.shutdownNow();
    configLoop.close();
  }
}
