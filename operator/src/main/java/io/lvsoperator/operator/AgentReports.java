package io.lvsoperator.operator;

import io.lvsoperator.api.v1alpha1.LvsNode;
import io.lvsoperator.api.v1alpha1.LvsNodeSlice;
import io.lvsoperator.operator.DirectorObservation.AgentReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What each node's agent reports, read from the LvsNode, LvsNodeSlice and Node caches. A head's
 * report is indexed once per resourceVersion, and a node's slices once per set of their
 * resourceVersions, so the status of each of ten thousand VirtualServers costs lookups, not scans.
 */
final class AgentReports {
  private final ClusterCaches caches;
  private final Duration silenceLimit;
  private final Map<String, Indexed<AgentReport>> heads = new ConcurrentHashMap<>();
  private final Map<String, Indexed<SliceReport>> slices = new ConcurrentHashMap<>();

  private record Indexed<T>(Object versions, T report) {}

  AgentReports(ClusterCaches caches, Duration silenceLimit) {
    this.caches = caches;
    this.silenceLimit = silenceLimit;
  }

  /** What is observed of each node now, by node name. */
  Function<String, DirectorObservation> at(Instant now) {
    return name -> {
      LvsNode lvsNode = caches.lvsNode(name).orElse(null);
      return DirectorObservation.of(
          name,
          lvsNode,
          head(name, lvsNode),
          slices(name),
          caches.node(name).orElse(null),
          now,
          silenceLimit);
    };
  }

  private AgentReport head(String name, LvsNode lvsNode) {
    if (lvsNode == null) {
      heads.remove(name);
      return AgentReport.NONE;
    }
    String version = lvsNode.getMetadata().getResourceVersion();
    Indexed<AgentReport> known = heads.get(name);
    if (known != null && Objects.equals(known.versions(), version)) {
      return known.report();
    }
    AgentReport report = AgentReport.of(lvsNode);
    heads.put(name, new Indexed<>(version, report));
    return report;
  }

  private SliceReport slices(String name) {
    List<LvsNodeSlice> of = new ArrayList<>(caches.slicesOf(name));
    if (of.isEmpty()) {
      slices.remove(name);
      return SliceReport.NONE;
    }
    of.sort(Comparator.comparing(s -> s.getMetadata().getName()));
    List<String> versions =
        of.stream()
            .map(s -> s.getMetadata().getName() + "@" + s.getMetadata().getResourceVersion())
            .toList();
    Indexed<SliceReport> known = slices.get(name);
    if (known != null && known.versions().equals(versions)) {
      return known.report();
    }
    SliceReport report = SliceReport.of(of);
    slices.put(name, new Indexed<>(versions, report));
    return report;
  }
}
