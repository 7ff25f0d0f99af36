package io.lvsoperator.operator.loadbalancer;

import io.lvsoperator.api.v1alpha1.Scheduler;
import java.util.Map;
import java.util.Set;

/**
 * What a pool says about the VirtualServers of its Services.
 *
 * @param scheduler spec.scheduler, null for the VirtualServer default
 * @param nodeSelector spec.nodeSelector: the nodes that may receive traffic; empty for all
 * @param kubeProxyHealthzPort where kube-proxy's health server listens (Cluster policy checks)
 * @param directors the pool's director nodes, which never receive traffic as real servers
 */
public record PoolSettings(
    String name,
    Scheduler scheduler,
    Map<String, String> nodeSelector,
    int kubeProxyHealthzPort,
    Set<String> directors) {
  public static final int KUBE_PROXY_HEALTHZ_PORT = 10256;

  public PoolSettings {
    nodeSelector = nodeSelector == null ? Map.of() : Map.copyOf(nodeSelector);
    directors = Set.copyOf(directors);
  }
}
