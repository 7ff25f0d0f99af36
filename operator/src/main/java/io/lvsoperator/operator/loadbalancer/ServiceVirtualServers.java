package io.lvsoperator.operator.loadbalancer;

import io.lvsoperator.api.v1alpha1.Forwarding;
import io.lvsoperator.api.v1alpha1.HealthCheckType;
import io.lvsoperator.api.v1alpha1.Protocol;
import io.lvsoperator.api.v1alpha1.VirtualServerSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The VirtualServers that serve a LoadBalancer Service: one per protocol, its lowest port as {@code
 * spec.port} and the others as {@code additionalAddresses} on the same VIP (keepalived's
 * virtual_server_group), all members of the pool's VrrpInstance of that namespace. Forwarding is DR
 * to the node addresses on the Service's own ports (DR cannot change the port; kube-proxy accepts
 * the load-balancer IP on the Service port on every node). Pure.
 *
 * <p>Real servers: for externalTrafficPolicy Cluster every ready node, checked with GET /healthz on
 * kube-proxy's health port; for Local the ready nodes with a ready endpoint, checked with GET
 * /healthz on the Service's healthCheckNodePort (kube-proxy answers 200 only while that node has
 * one). Never a director of the pool, a node outside the pool's nodeSelector, or a node labelled
 * node.kubernetes.io/exclude-from-external-load-balancers.
 */
public final class ServiceVirtualServers {
  /** A VirtualServer takes at most this many inline real servers (its CRD's limit). */
  public static final int MAX_REAL_SERVERS = 1000;

  private ServiceVirtualServers() {}

  /**
   * @param virtualServers the desired VirtualServer specs by name
   * @param nodes the nodes that receive traffic, by name
   * @param notes what could not be served as asked, for Events
   */
  public record Plan(
      SortedMap<String, VirtualServerSpec> virtualServers,
      List<String> nodes,
      List<String> notes) {}

  /**
   * @param endpointNodes the nodes with a ready endpoint of the Service (used for Local)
   */
  public static Plan plan(
      LoadBalancerService service,
      String address,
      String vrrpInstance,
      PoolSettings pool,
      List<CandidateNode> nodes,
      Set<String> endpointNodes) {
    List<String> notes = new ArrayList<>();
    List<CandidateNode> receiving =
        nodes.stream()
            .filter(n -> n.ready() && n.address() != null)
            .filter(n -> !pool.directors().contains(n.name()))
            .filter(n -> !n.labels().containsKey(LoadBalancerNames.EXCLUDE_LABEL))
            .filter(n -> selects(pool.nodeSelector(), n.labels()))
            .filter(n -> !service.localTraffic() || endpointNodes.contains(n.name()))
            .sorted(Comparator.comparing(CandidateNode::name))
            .toList();
    if (receiving.size() > MAX_REAL_SERVERS) {
      notes.add(
          receiving.size()
              + " nodes could receive traffic; the first "
              + MAX_REAL_SERVERS
              + " by name do");
      receiving = receiving.subList(0, MAX_REAL_SERVERS);
    }
    List<VirtualServerSpec.InlineRealServer> realServers =
        receiving.stream()
            .map(
                n ->
                    new VirtualServerSpec.InlineRealServer(n.address(), null, null, null, n.name()))
            .toList();
    SortedMap<Protocol, List<Integer>> portsByProtocol = new TreeMap<>();
    for (LoadBalancerService.Port p : service.ports()) {
      Protocol protocol = p.protocol() == null ? Protocol.TCP : p.protocol();
      List<Integer> ports = portsByProtocol.computeIfAbsent(protocol, x -> new ArrayList<>());
      if (!ports.contains(p.port())) {
        ports.add(p.port());
      }
    }
    SortedMap<String, VirtualServerSpec> out = new TreeMap<>();
    for (Map.Entry<Protocol, List<Integer>> e : portsByProtocol.entrySet()) {
      List<Integer> ports = e.getValue().stream().sorted().toList();
      List<VirtualServerSpec.AdditionalAddress> more =
          ports.subList(1, ports.size()).stream()
              .map(port -> new VirtualServerSpec.AdditionalAddress(address, port))
              .toList();
      out.put(
          LoadBalancerNames.virtualServerName(service.key().name(), e.getKey().name()),
          new VirtualServerSpec(
              address,
              ports.getFirst(),
              e.getKey(),
              pool.scheduler(),
              Forwarding.DR,
              service.affinityTimeoutSeconds(),
              null,
              realServers,
              null,
              healthCheck(service, pool),
              null,
              null,
              vrrpInstance,
              null,
              null,
              null,
              more.isEmpty() ? null : more,
              null));
    }
    return new Plan(out, receiving.stream().map(CandidateNode::name).toList(), notes);
  }

  /** kube-proxy's answer to GET /healthz on the node: 200 while it should receive traffic. */
  static VirtualServerSpec.HealthCheck healthCheck(LoadBalancerService service, PoolSettings pool) {
    int port =
        service.localTraffic() && service.healthCheckNodePort() != null
            ? service.healthCheckNodePort()
            : pool.kubeProxyHealthzPort();
    return new VirtualServerSpec.HealthCheck(
        HealthCheckType.HTTP_GET,
        "/healthz",
        List.of("200"),
        null,
        null,
        null,
        port,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  private static boolean selects(Map<String, String> selector, Map<String, String> labels) {
    return selector.entrySet().stream()
        .allMatch(e -> Objects.equals(labels.get(e.getKey()), e.getValue()));
  }
}
