package io.lvsoperator.operator.loadbalancer;

import java.util.Map;

/**
 * A cluster node that might receive a Service's traffic.
 *
 * @param address its InternalIP (else ExternalIP), IPv4; null when it has none
 * @param ready its Ready condition is True
 */
public record CandidateNode(
    String name, String address, boolean ready, Map<String, String> labels) {
  public CandidateNode {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }
}
