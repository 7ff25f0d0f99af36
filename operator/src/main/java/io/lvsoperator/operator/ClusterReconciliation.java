package io.lvsoperator.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lvsoperator.api.v1alpha1.LvsNode;
import io.lvsoperator.api.v1alpha1.RealServer;
import io.lvsoperator.api.v1alpha1.RealServerStatus;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import io.lvsoperator.api.v1alpha1.VirtualServerStatus;
import io.lvsoperator.compiler.CompileResult;
import io.lvsoperator.compiler.Compiler;
import io.lvsoperator.compiler.ObjectKey;
import io.lvsoperator.compiler.RealServerResult;
import io.lvsoperator.compiler.VirtualServerResult;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One global reconcile pass over the whole cluster: observe -> compile -> write LvsNodes -> patch
 * statuses and emit Events. It coordinates; the {@link Compiler} computes and {@link
 * StatusAggregator} aggregates.
 *
 * <p>Every JOSDK reconcile request marks the cluster dirty and then runs a pass unless another
 * request's pass already started after the mark: N requests triggered by one change cost one pass.
 * Passes never run concurrently, and each reads the caches when it starts, so the last pass always
 * sees the latest state.
 */
final class ClusterReconciliation {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterReconciliation.class);

  private final KubernetesClient client;
  private final Supplier<Observation> observer;
  private final NodeSpecWriter nodeWriter;
  private final EventRecorder events;
  private final OperatorMetrics metrics;
  private final Clock clock;
  private final Duration agentSilence;

  private final AtomicBoolean dirty = new AtomicBoolean();
  private final Object passLock = new Object();
  // What this process last wrote, by object uid, so a lagging cache causes no second write.
  private final Map<String, VirtualServerStatus> writtenVsStatus = new HashMap<>();
  private final Map<String, RealServerStatus> writtenRsStatus = new HashMap<>();
  private final Map<String, String> writtenLastGood = new HashMap<>();
  private long passes;
  private long statusWrites;

  ClusterReconciliation(
      KubernetesClient client,
      Supplier<Observation> observer,
      EventRecorder events,
      OperatorMetrics metrics,
      Clock clock,
      Duration agentSilence) {
    this.client = client;
    this.observer = observer;
    this.nodeWriter = new NodeSpecWriter(client);
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
    this.agentSilence = agentSilence;
  }

  /** Requests a pass and runs it unless a pass that began after the request covers it. */
  void request() {
    dirty.set(true);
    synchronized (passLock) {
      if (!dirty.getAndSet(false)) {
        return;
      }
      long start = System.nanoTime();
      String outcome = "ok";
      try {
        pass(observer.get());
      } catch (RuntimeException e) {
        outcome = "error";
        dirty.set(true); // the retry JOSDK schedules must run a pass again
        throw e;
      } finally {
        metrics.pass(Duration.ofNanos(System.nanoTime() - start), outcome);
      }
    }
  }

  long passes() {
    synchronized (passLock) {
      return passes;
    }
  }

  /** Writes of LvsNodes, statuses and annotations made by this process. */
  long writes() {
    synchronized (passLock) {
      return nodeWriter.writes() + statusWrites;
    }
  }

  long eventsWritten() {
    return events.written();
  }

  private void pass(Observation observation) {
    passes++;
    Instant now = clock.instant();
    List<VirtualServer> live = new ArrayList<>();
    for (VirtualServer vs : observation.virtualServers()) {
      if (vs.getMetadata().getDeletionTimestamp() != null) {
        continue; // being deleted: compiled out, so its nodes stop serving it
      }
      live.add(withRememberedStatus(vs));
    }
    CompileResult compiled = Compiler.compile(CompilerInputs.of(live, observation));
    SortedMap<String, LvsNode> lvsNodes =
        nodeWriter.write(compiled.nodes(), observation.lvsNodes(), observation.nodes());

    Map<String, Node> nodes = new HashMap<>();
    observation.nodes().forEach(n -> nodes.put(n.getMetadata().getName(), n));
    Map<String, DirectorObservation> directors = new HashMap<>();
    java.util.function.Function<String, DirectorObservation> director =
        name ->
            directors.computeIfAbsent(
                name,
                n -> DirectorObservation.of(n, lvsNodes.get(n), nodes.get(n), now, agentSilence));

    Set<String> liveUids = new HashSet<>();
    for (VirtualServer vs : live) {
      liveUids.add(vs.getMetadata().getUid());
      VirtualServerResult result = compiled.virtualServers().get(ObjectKey.of(vs));
      if (result == null) {
        continue;
      }
      VirtualServerStatus status = StatusAggregator.virtualServer(vs, result, director, now);
      if (!Objects.equals(status, vs.getStatus())) {
        for (TransitionEvents.Note note : TransitionEvents.between(vs.getStatus(), status)) {
          if (events.record(vs, note)) {
            metrics.event(note.reason());
          }
        }
        writeStatus(vs, status);
      }
      if (result.errors().isEmpty()) {
        rememberLastGood(vs);
      }
    }
    writtenVsStatus.keySet().retainAll(liveUids);
    writtenLastGood.keySet().retainAll(liveUids);

    Set<String> rsUids = new HashSet<>();
    for (RealServer rs : observation.realServers()) {
      rsUids.add(rs.getMetadata().getUid());
      RealServer current = withRememberedStatus(rs);
      RealServerResult result = compiled.realServers().get(ObjectKey.of(rs));
      if (result == null) {
        continue;
      }
      RealServerStatus status =
          StatusAggregator.realServer(current, result, compiled.virtualServers(), director, now);
      if (!Objects.equals(status, current.getStatus())) {
        writeStatus(current, status);
      }
    }
    writtenRsStatus.keySet().retainAll(rsUids);

    metrics.managed("VirtualServer", live.size());
    metrics.managed("RealServer", observation.realServers().size());
    metrics.managed("LvsNode", lvsNodes.size());
    LOG.debug(
        "event=pass-done virtualServers={} realServers={} lvsNodes={}",
        live.size(),
        observation.realServers().size(),
        lvsNodes.size());
  }

  private VirtualServer withRememberedStatus(VirtualServer vs) {
    VirtualServerStatus ours = writtenVsStatus.get(vs.getMetadata().getUid());
    if (ours == null || ours.equals(vs.getStatus())) {
      return vs;
    }
    VirtualServer copy = new VirtualServer();
    copy.setMetadata(vs.getMetadata());
    copy.setSpec(vs.getSpec());
    copy.setStatus(ours);
    return copy;
  }

  private RealServer withRememberedStatus(RealServer rs) {
    RealServerStatus ours = writtenRsStatus.get(rs.getMetadata().getUid());
    if (ours == null || ours.equals(rs.getStatus())) {
      return rs;
    }
    RealServer copy = new RealServer();
    copy.setMetadata(rs.getMetadata());
    copy.setSpec(rs.getSpec());
    copy.setStatus(ours);
    return copy;
  }

  private void writeStatus(VirtualServer vs, VirtualServerStatus status) {
    boolean done =
        ignoringGone(
            vs,
            () ->
                client
                    .resources(VirtualServer.class)
                    .inNamespace(vs.getMetadata().getNamespace())
                    .withName(vs.getMetadata().getName())
                    .editStatus(
                        v -> {
                          v.setStatus(status);
                          return v;
                        }));
    if (done) {
      writtenVsStatus.put(vs.getMetadata().getUid(), status);
      statusWrites++;
      metrics.write("VirtualServerStatus");
      LOG.info(
          "event=status-written kind=VirtualServer object={}/{} generation={} master={} healthy={}"
              + " ready={}",
          vs.getMetadata().getNamespace(),
          vs.getMetadata().getName(),
          status.observedGeneration(),
          status.master(),
          status.healthy(),
          Conditions.isTrue(status.conditions(), StatusAggregator.READY));
    }
  }

  private void writeStatus(RealServer rs, RealServerStatus status) {
    boolean done =
        ignoringGone(
            rs,
            () ->
                client
                    .resources(RealServer.class)
                    .inNamespace(rs.getMetadata().getNamespace())
                    .withName(rs.getMetadata().getName())
                    .editStatus(
                        r -> {
                          r.setStatus(status);
                          return r;
                        }));
    if (done) {
      writtenRsStatus.put(rs.getMetadata().getUid(), status);
      statusWrites++;
      metrics.write("RealServerStatus");
      LOG.info(
          "event=status-written kind=RealServer object={}/{} healthy={} reason=\"{}\"",
          rs.getMetadata().getNamespace(),
          rs.getMetadata().getName(),
          status.healthy(),
          status.reason());
    }
  }

  private void rememberLastGood(VirtualServer vs) {
    String encoded = LastGoodSpecs.encode(vs);
    String uid = vs.getMetadata().getUid();
    if (encoded.equals(writtenLastGood.get(uid))
        || encoded.equals(LastGoodSpecs.current(vs).orElse(null))) {
      return;
    }
    boolean done =
        ignoringGone(
            vs,
            () ->
                client
                    .resources(VirtualServer.class)
                    .inNamespace(vs.getMetadata().getNamespace())
                    .withName(vs.getMetadata().getName())
                    .edit(
                        v -> {
                          Map<String, String> annotations = new HashMap<>();
                          if (v.getMetadata().getAnnotations() != null) {
                            annotations.putAll(v.getMetadata().getAnnotations());
                          }
                          annotations.put(LastGoodSpecs.ANNOTATION, encoded);
                          v.getMetadata().setAnnotations(annotations);
                          return v;
                        }));
    if (done) {
      writtenLastGood.put(uid, encoded);
      statusWrites++;
      metrics.write("LastGoodAnnotation");
      LOG.info(
          "event=last-good-recorded object={}/{} generation={}",
          vs.getMetadata().getNamespace(),
          vs.getMetadata().getName(),
          vs.getMetadata().getGeneration());
    }
  }

  private static boolean ignoringGone(HasMetadata about, Runnable write) {
    try {
      write.run();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        LOG.info(
            "event=write-skipped kind={} object={}/{} reason=gone",
            about.getKind(),
            about.getMetadata().getNamespace(),
            about.getMetadata().getName());
        return false;
      }
      throw e;
    }
  }
}
