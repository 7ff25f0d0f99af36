package io.lvsoperator.operator.loadbalancer;

import io.lvsoperator.api.v1alpha1.Protocol;
import io.lvsoperator.compiler.ObjectKey;
import java.util.List;

/**
 * What the VirtualServers of a LoadBalancer Service are made from (read from the core Service).
 *
 * @param localTraffic externalTrafficPolicy Local: only nodes with ready endpoints receive traffic
 * @param healthCheckNodePort spec.healthCheckNodePort (Local), where kube-proxy answers GET
 *     /healthz with 200 while the node has ready endpoints; null if none
 * @param affinityTimeoutSeconds sessionAffinity ClientIP's timeout; null without affinity
 */
public record LoadBalancerService(
    ObjectKey key,
    List<Port> ports,
    boolean localTraffic,
    Integer healthCheckNodePort,
    Integer affinityTimeoutSeconds) {
  public LoadBalancerService {
    ports = List.copyOf(ports);
  }

  /** One entry of spec.ports. */
  public record Port(String name, Protocol protocol, int port) {}
}
