package io.lvsoperator.operator;

import io.lvsoperator.api.v1alpha1.LvsNode;
import io.lvsoperator.operator.DirectorObservation.AgentReport;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What each node's agent reports, read from the LvsNode and Node caches. An LvsNode's report is
 * indexed once per resourceVersion, so the status of each of ten thousand VirtualServers costs
 * lookups, not scans.
 */
final class AgentReports {
  private final ClusterCaches caches;
  private final Duration silenceLimit;
  private final Map<String, Indexed> indexed = new ConcurrentHashMap<>();

  private record Indexed(String resourceVersion, AgentReport report) {}

  AgentReports(ClusterCaches caches, Duration silenceLimit) {
    this.caches = caches;
    this.silenceLimit = silenceLimit;
  }

  /** What is observed of each node now, by node name. */
  Function<String, DirectorObservation> at(Instant now) {
    return name -> {
      LvsNode lvsNode = caches.lvsNode(name).orElse(null);
      return DirectorObservation.of(
          name, lvsNode, report(name, lvsNode), caches.node(name).orElse(null), now, silenceLimit);
    };
  }

  private AgentReport report(String name, LvsNode lvsNode) {
    if (lvsNode == null) {
      indexed.remove(name);
      return AgentReport.NONE;
    }
    String version = lvsNode.getMetadata().getResourceVersion();
    Indexed known = indexed.get(name);
    if (known != null && Objects.equals(known.resourceVersion(), version)) {
      return known.report();
    }
    AgentReport report = AgentReport.of(lvsNode);
    indexed.put(name, new Indexed(version, report));
    return report;
  }
}
