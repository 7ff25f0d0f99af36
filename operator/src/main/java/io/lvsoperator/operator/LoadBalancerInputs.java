package io.lvsoperator.operator;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.lvsoperator.api.v1alpha1.AddressPool;
import io.lvsoperator.api.v1alpha1.AddressPoolSpec;
import io.lvsoperator.api.v1alpha1.Protocol;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import io.lvsoperator.api.v1alpha1.VirtualServerSpec;
import io.lvsoperator.api.v1alpha1.VrrpInstance;
import io.lvsoperator.api.v1alpha1.VrrpInstanceSpec;
import io.lvsoperator.compiler.ObjectKey;
import io.lvsoperator.operator.loadbalancer.AddressRange;
import io.lvsoperator.operator.loadbalancer.CandidateNode;
import io.lvsoperator.operator.loadbalancer.LoadBalancerNames;
import io.lvsoperator.operator.loadbalancer.LoadBalancerService;
import io.lvsoperator.operator.loadbalancer.PoolDefinition;
import io.lvsoperator.operator.loadbalancer.PoolSettings;
import io.lvsoperator.operator.loadbalancer.ServiceClaim;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads what the LoadBalancer controllers need from the Kubernetes objects into the pure inputs of
 * {@code io.lvsoperator.operator.loadbalancer}. Reads nothing but its arguments.
 */
final class LoadBalancerInputs {
  static final String LOAD_BALANCER = "LoadBalancer";
  private static final int DEFAULT_AFFINITY_SECONDS = 10800; // Kubernetes' default for ClientIP

  private LoadBalancerInputs() {}

  /** Whether this operator serves {@code service}: type LoadBalancer of our class. */
  static boolean serves(Service service, LoadBalancerSettings settings) {
    if (service == null
        || service.getSpec() == null
        || service.getMetadata().getDeletionTimestamp() != null
        || !LOAD_BALANCER.equals(service.getSpec().getType())) {
      return false;
    }
    String cls = service.getSpec().getLoadBalancerClass();
    return LoadBalancerNames.LOAD_BALANCER_CLASS.equals(cls)
        || (cls == null && settings.defaultClass());
  }

  /** The first IPv4 address of status.loadBalancer.ingress, if any. */
  static Optional<String> ingressAddress(Service service) {
    if (service.getStatus() == null
        || service.getStatus().getLoadBalancer() == null
        || service.getStatus().getLoadBalancer().getIngress() == null) {
      return Optional.empty();
    }
    return service.getStatus().getLoadBalancer().getIngress().stream()
        .map(LoadBalancerIngress::getIp)
        .filter(ip -> AddressRange.address(ip).isPresent())
        .findFirst();
  }

  /**
   * @param previous the address the last allocation gave it, which its status may not carry yet
   */
  static ServiceClaim claim(Service service, Optional<String> previous) {
    Map<String, String> annotations = annotations(service);
    String requested = annotations.get(LoadBalancerNames.ADDRESS_ANNOTATION);
    String from = "annotation " + LoadBalancerNames.ADDRESS_ANNOTATION;
    if (requested == null || requested.isBlank()) {
      requested = service.getSpec().getLoadBalancerIP();
      from = "spec.loadBalancerIP";
    }
    if (requested != null && requested.isBlank()) {
      requested = null;
    }
    String pool = annotations.get(LoadBalancerNames.POOL_ANNOTATION);
    return new ServiceClaim(
        ObjectKey.of(service),
        service.getMetadata().getUid(),
        instant(service.getMetadata().getCreationTimestamp()),
        requested == null ? null : requested.trim(),
        from,
        pool == null || pool.isBlank() ? null : pool.trim(),
        ingressAddress(service).or(() -> previous).orElse(null));
  }

  static PoolDefinition poolDefinition(AddressPool pool) {
    AddressPoolSpec spec = pool.getSpec();
    return new PoolDefinition(
        pool.getMetadata().getName(),
        instant(pool.getMetadata().getCreationTimestamp()),
        spec == null ? List.of() : spec.addresses(),
        spec == null || spec.namespaces() == null ? Set.of() : new HashSet<>(spec.namespaces()),
        spec == null || spec.autoAssign() == null || spec.autoAssign());
  }

  /**
   * Addresses that objects other than the Services' own VirtualServers hold, each with who holds
   * it: the VIPs of VirtualServers (written by hand, or owned by a Service that is gone or no
   * longer ours, until they are deleted) and the addresses of VrrpInstances.
   *
   * @param liveServices the uids of the Services the allocation serves
   */
  static Map<Long, String> reserved(
      List<VirtualServer> virtualServers,
      List<VrrpInstance> vrrpInstances,
      Set<String> liveServices) {
    Map<Long, String> out = new HashMap<>();
    for (VirtualServer vs : virtualServers) {
      if (vs.getSpec() == null || vs.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      Optional<String> owner = serviceOwner(vs);
      if (owner.isPresent() && liveServices.contains(owner.get())) {
        continue;
      }
      String holder =
          "the VIP of VirtualServer "
              + ObjectKey.of(vs)
              + (owner.isPresent() ? " (its Service is gone; it is deleted with it)" : "");
      reserve(out, vs.getSpec().vip(), holder);
      if (vs.getSpec().additionalAddresses() != null) {
        for (VirtualServerSpec.AdditionalAddress a : vs.getSpec().additionalAddresses()) {
          if (a != null) {
            for (String address : lastOctetRange(a.address())) {
              reserve(out, address, holder);
            }
          }
        }
      }
    }
    for (VrrpInstance vi : vrrpInstances) {
      VrrpInstanceSpec spec = vi.getSpec();
      if (spec == null
          || vi.getMetadata().getDeletionTimestamp() != null
          || vi.getMetadata().getLabels() != null
              && vi.getMetadata().getLabels().containsKey(LoadBalancerNames.POOL_LABEL)) {
        continue; // a pool's instance lists the addresses of the pool's Services: they are theirs
      }
      String holder = "an address of VrrpInstance " + ObjectKey.of(vi);
      for (List<VrrpInstanceSpec.Address> list :
          java.util.Arrays.asList(spec.addresses(), spec.excludedAddresses())) {
        if (list != null) {
          list.stream().filter(Objects::nonNull).forEach(a -> reserve(out, a.address(), holder));
        }
      }
    }
    return out;
  }

  /** The uid of the Service that owns {@code vs} (as its controller), if one does. */
  static Optional<String> serviceOwner(VirtualServer vs) {
    List<OwnerReference> owners = vs.getMetadata().getOwnerReferences();
    if (owners == null) {
      return Optional.empty();
    }
    return owners.stream()
        .filter(o -> "Service".equals(o.getKind()) && "v1".equals(o.getApiVersion()))
        .map(OwnerReference::getUid)
        .findFirst();
  }

  static LoadBalancerService loadBalancerService(Service service) {
    List<LoadBalancerService.Port> ports = new ArrayList<>();
    if (service.getSpec().getPorts() != null) {
      for (ServicePort p : service.getSpec().getPorts()) {
        if (p.getPort() != null) {
          ports.add(
              new LoadBalancerService.Port(p.getName(), protocol(p.getProtocol()), p.getPort()));
        }
      }
    }
    Integer affinity = null;
    if ("ClientIP".equals(service.getSpec().getSessionAffinity())) {
      var config = service.getSpec().getSessionAffinityConfig();
      affinity =
          config != null
                  && config.getClientIP() != null
                  && config.getClientIP().getTimeoutSeconds() != null
              ? config.getClientIP().getTimeoutSeconds()
              : DEFAULT_AFFINITY_SECONDS;
    }
    return new LoadBalancerService(
        ObjectKey.of(service),
        ports,
        "Local".equals(service.getSpec().getExternalTrafficPolicy()),
        service.getSpec().getHealthCheckNodePort(),
        affinity);
  }

  private static Protocol protocol(String text) {
    if (text == null) {
      return Protocol.TCP;
    }
    return switch (text) {
      case "UDP" -> Protocol.UDP;
      case "SCTP" -> Protocol.SCTP;
      default -> Protocol.TCP;
    };
  }

  static List<CandidateNode> candidateNodes(List<Node> nodes) {
    List<CandidateNode> out = new ArrayList<>();
    for (Node n : nodes) {
      String address =
          CompilerInputs.nodeInfo(n).addresses().stream()
              .filter(a -> AddressRange.address(a).isPresent())
              .findFirst()
              .orElse(null);
      out.add(
          new CandidateNode(
              n.getMetadata().getName(),
              address,
              DirectorObservation.isReady(n),
              n.getMetadata().getLabels()));
    }
    return out;
  }

  /**
   * @param directors the nodes the pool's spec.directors names or selects
   */
  static PoolSettings poolSettings(AddressPool pool, Set<String> directors) {
    AddressPoolSpec spec = pool.getSpec();
    return new PoolSettings(
        pool.getMetadata().getName(),
        spec.scheduler(),
        spec.nodeSelector(),
        spec.kubeProxyHealthzPort() == null
            ? PoolSettings.KUBE_PROXY_HEALTHZ_PORT
            : spec.kubeProxyHealthzPort(),
        directors);
  }

  /**
   * The nodes with a ready endpoint in these EndpointSlices, as kube-proxy counts them for
   * externalTrafficPolicy Local (conditions.ready absent counts as ready).
   */
  static Set<String> endpointNodes(List<EndpointSlice> slices) {
    Set<String> out = new TreeSet<>();
    for (EndpointSlice slice : slices) {
      if (slice.getEndpoints() == null) {
        continue;
      }
      for (Endpoint e : slice.getEndpoints()) {
        boolean ready =
            e.getConditions() == null
                || e.getConditions().getReady() == null
                || e.getConditions().getReady();
        if (ready && e.getNodeName() != null) {
          out.add(e.getNodeName());
        }
      }
    }
    return out;
  }

  private static void reserve(Map<Long, String> out, String address, String holder) {
    AddressRange.address(address).ifPresent(a -> out.putIfAbsent(a, holder));
  }

  /** An address or a last-octet range (10.0.0.10-20) of a virtual_server_group line. */
  private static List<String> lastOctetRange(String text) {
    if (text == null) {
      return List.of();
    }
    int dash = text.indexOf('-');
    if (dash < 0) {
      return List.of(text);
    }
    String first = text.substring(0, dash);
    int dot = first.lastIndexOf('.');
    List<String> out = new ArrayList<>();
    try {
      int from = Integer.parseInt(first.substring(dot + 1));
      int to = Integer.parseInt(text.substring(dash + 1));
      for (int o = from; o <= to && o <= 255; o++) {
        out.add(first.substring(0, dot + 1) + o);
      }
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      return List.of(); // the compiler reports it on the VirtualServer
    }
    return out;
  }

  private static Map<String, String> annotations(Service s) {
    return s.getMetadata().getAnnotations() == null ? Map.of() : s.getMetadata().getAnnotations();
  }

  private static Instant instant(String timestamp) {
    if (timestamp == null) {
      return Instant.EPOCH;
    }
    try {
      return Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      return Instant.EPOCH;
    }
  }
}
