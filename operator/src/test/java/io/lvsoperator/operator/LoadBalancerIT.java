package io.lvsoperator.operator;

import static io.lvsoperator.operator.TestingCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.lvsoperator.api.v1alpha1.AddressPool;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import io.lvsoperator.api.v1alpha1.VirtualServerSpec;
import io.lvsoperator.api.v1alpha1.VrrpInstance;
import io.lvsoperator.api.v1alpha1.VrrpInstanceSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * LoadBalancer Services against Fabric8's CRUD mock API server: addresses from AddressPools, the
 * VirtualServers and VrrpInstances the operator makes for them, down to the directors' and nodes'
 * LvsNodes. The mock runs no garbage collector: {@link #collectGarbage()} deletes what a real one
 * would (objects whose owner is gone), when a test needs it.
 */
class LoadBalancerIT {
  private static final String NS = "default";
  private TestingCluster cluster;

  @BeforeEach
  void setUp() {
    cluster = new TestingCluster();
    cluster.node("lvs1", "172.20.1.1", true);
    cluster.node("lvs2", "172.20.1.2", true);
    cluster.node("node1", "172.20.1.21", true);
    cluster.node("node2", "172.20.1.22", true);
    cluster.node("node3", "172.20.1.23", true);
  }

  @AfterEach
  void tearDown() {
    cluster.close();
  }

  @Test
  void aServiceGetsAnAddressAndIsSpreadOverTheReadyNodesByDr() {
    pool("pool", "172.20.1.200-172.20.1.202", "");
    service("web", "Cluster", "", 80, 443);
    service("not-ours", "Cluster", "loadBalancerClass: other.example/lb", 80);
    cluster.startOperator();

    eventually(
        () -> {
          assertThat(ingress("web")).isEqualTo("172.20.1.200");
          VirtualServer vs = virtualServer("web-tcp");
          assertThat(vs.getMetadata().getOwnerReferences())
              .singleElement()
              .satisfies(
                  o -> {
                    assertThat(o.getKind()).isEqualTo("Service");
                    assertThat(o.getName()).isEqualTo("web");
                    assertThat(o.getController()).isTrue();
                  });
          assertThat(vs.getSpec().vrrpInstance()).isEqualTo("lb-pool");
          VrrpInstance vi = vrrpInstance(NS, "lb-pool");
          assertThat(vi.getMetadata().getOwnerReferences().getFirst().getKind())
              .isEqualTo("AddressPool");
          // the instance lists its namespace's addresses itself: valid before its members join
          assertThat(vi.getSpec().addresses())
              .extracting(VrrpInstanceSpec.Address::address)
              .containsExactly("172.20.1.200");
          assertThat(vi.getStatus().members()).containsExactly("web-tcp");
          assertThat(Conditions.isTrue(vi.getStatus().conditions(), "Conflict")).isFalse();
          // both ports on both directors, to the three nodes on the same port (DR)
          for (String director : List.of("lvs1", "lvs2")) {
            assertThat(cluster.nodeConfig(director).ipvsServices())
                .extracting(LvsNodeSpec.IpvsService::address, LvsNodeSpec.IpvsService::port)
                .containsExactlyInAnyOrder(tuple("172.20.1.200", 80), tuple("172.20.1.200", 443));
            for (LvsNodeSpec.IpvsService s : cluster.nodeConfig(director).ipvsServices()) {
              assertThat(s.destinations())
                  .extracting(LvsNodeSpec.Destination::address, LvsNodeSpec.Destination::port)
                  .containsExactly(
                      tuple("172.20.1.21", s.port()),
                      tuple("172.20.1.22", s.port()),
                      tuple("172.20.1.23", s.port()));
              assertThat(s.healthCheck().port()).isEqualTo(10256); // kube-proxy's healthz
            }
          }
          for (String node : List.of("node1", "node2", "node3")) {
            assertThat(cluster.nodeConfig(node).realServerVips())
                .as(node)
                .containsExactly("172.20.1.200");
          }
          assertThat(cluster.events("web"))
              .anySatisfy(
                  e -> {
                    assertThat(e.getReason()).isEqualTo("AddressAllocated");
                    assertThat(e.getMessage()).isEqualTo("172.20.1.200 from AddressPool pool");
                  });
          AddressPool pool = cluster.client.resources(AddressPool.class).withName("pool").get();
          assertThat(pool.getStatus().addresses()).isEqualTo(3);
          assertThat(pool.getStatus().allocated()).isEqualTo(1);
          assertThat(Conditions.isTrue(pool.getStatus().conditions(), "Accepted")).isTrue();
        });
    // another implementation's Service: not touched
    assertThat(ingress("not-ours")).isNull();
    assertThat(virtualServer("not-ours-tcp")).isNull();

    // The pool's VRRP settings change: its instance in the namespace follows, and the directors.
    cluster
        .client
        .resources(AddressPool.class)
        .withName("pool")
        .edit(
            p -> {
              var s = p.getSpec();
              p.setSpec(
                  new io.lvsoperator.api.v1alpha1.AddressPoolSpec(
                      s.addresses(),
                      s.directors(),
                      new VirtualServerSpec.Vrrp(
                          "eth0", null, 2000, null, null, null, null, null, null, null, null, null,
                          null, null, null, null, null),
                      s.namespaces(),
                      s.autoAssign(),
                      s.scheduler(),
                      s.nodeSelector(),
                      s.kubeProxyHealthzPort()));
              return p;
            });
    eventually(
        () -> {
          assertThat(vrrpInstance(NS, "lb-pool").getSpec().vrrp().advertIntervalMs())
              .isEqualTo(2000);
          assertThat(cluster.nodeConfig("lvs1").vrrpInstances())
              .singleElement()
              .satisfies(i -> assertThat(i.advertIntervalMs()).isEqualTo(2000));
        });

    // A node that goes NotReady stops receiving traffic; back, it receives it again.
    cluster.setNodeReady("node2", false);
    eventually(
        () ->
            assertThat(virtualServer("web-tcp").getSpec().realServers())
                .extracting(VirtualServerSpec.InlineRealServer::node)
                .containsExactly("node1", "node3"));
    cluster.setNodeReady("node2", true);
    eventually(
        () ->
            assertThat(virtualServer("web-tcp").getSpec().realServers())
                .extracting(VirtualServerSpec.InlineRealServer::node)
                .containsExactly("node1", "node2", "node3"));
  }

  @Test
  void localTrafficFollowsTheEndpointSlicesAndIsCheckedOnTheHealthCheckNodePort() {
    pool("pool", "172.20.1.200/30", "");
    service("web", "Local", "healthCheckNodePort: 31500", 80);
    endpoints("web", Map.of("node1", true, "node2", true, "node3", false));
    cluster.startOperator();
    eventually(
        () -> {
          assertThat(destinations("lvs1", 80)).containsExactly("172.20.1.21", "172.20.1.22");
          assertThat(cluster.nodeConfig("lvs1").ipvsServices().getFirst().healthCheck().port())
              .isEqualTo(31500);
          LvsNodeSpec node3 = cluster.nodeConfig("node3");
          assertThat(
                  node3 == null || node3.realServerVips() == null
                      ? List.<String>of()
                      : node3.realServerVips())
              .isEmpty(); // no endpoint: no traffic, no DR preparation
        });
    waitForQuiet();

    // node2 loses its last endpoint: one reconcile of the Service removes it (one write).
    long generation = virtualServer("web-tcp").getMetadata().getGeneration();
    endpoints("web", Map.of("node1", true, "node2", false, "node3", false));
    eventually(() -> assertThat(destinations("lvs1", 80)).containsExactly("172.20.1.21"));
    assertThat(virtualServer("web-tcp").getMetadata().getGeneration()).isEqualTo(generation + 1);

    // node3 gains one: added, again in one write.
    endpoints("web", Map.of("node1", true, "node2", false, "node3", true));
    eventually(
        () -> {
          assertThat(destinations("lvs1", 80)).containsExactly("172.20.1.21", "172.20.1.23");
          assertThat(cluster.nodeConfig("node3").realServerVips()).containsExactly("172.20.1.200");
        });
    assertThat(virtualServer("web-tcp").getMetadata().getGeneration()).isEqualTo(generation + 2);
  }

  @Test
  void requestsExhaustionConflictsAndReleaseOnDelete() throws Exception {
    pool("pool", "172.20.1.200-172.20.1.201", "");
    cluster.virtualServer(
        """
        apiVersion: lvsoperator.io/v1alpha1
        kind: VirtualServer
        metadata: {name: by-hand}
        spec:
          vip: 172.20.1.210
          vrrp: {interface: eth0}
          directors: {nodes: [{name: lvs1}, {name: lvs2}]}
        """);
    service("a", "Cluster", "", 80);
    Thread.sleep(1100); // creation timestamps have one-second resolution: a is the oldest
    service("b", "Cluster", "loadBalancerIP: 172.20.1.201", 80);
    service("c", "Cluster", "", 80);
    cluster.startOperator();
    eventually(() -> assertThat(ingress("a")).isEqualTo("172.20.1.200"));
    // Requests come before Services that ask for any address, but never take a held one.
    service("d", "Cluster", "", 80, Map.of("lvsoperator.io/load-balancer-ip", "172.20.1.200"));
    service("e", "Cluster", "loadBalancerIP: 172.20.1.210", 80);
    eventually(
        () -> {
          assertThat(ingress("a")).isEqualTo("172.20.1.200");
          assertThat(ingress("b")).isEqualTo("172.20.1.201");
          assertThat(ingress("c")).isNull();
          assertThat(ingress("d")).isNull();
          assertThat(warning("c", "AllocationFailed"))
              .isEqualTo("PoolExhausted: AddressPool pool (2 addresses) has no free address");
          assertThat(warning("d", "AllocationFailed"))
              .isEqualTo(
                  "AddressInUse: 172.20.1.200 (annotation lvsoperator.io/load-balancer-ip) is held"
                      + " by Service default/a");
          assertThat(warning("e", "AllocationFailed"))
              .isEqualTo(
                  "AddressNotInPool: 172.20.1.210 (spec.loadBalancerIP) is in no AddressPool");
          assertThat(virtualServer("c-tcp")).isNull();
        });

    // a goes; its VirtualServer stays until the garbage collector deletes it, and so does its
    // address: only then does d, which asks for it, get it (a request beats c, which asks for any).
    cluster.client.services().inNamespace(NS).withName("a").delete();
    Thread.sleep(1500);
    assertThat(ingress("d")).isNull();
    collectGarbage();
    eventually(
        () -> {
          assertThat(ingress("d")).isEqualTo("172.20.1.200");
          assertThat(virtualServer("d-tcp").getSpec().vip()).isEqualTo("172.20.1.200");
          assertThat(ingress("c")).isNull();
        });

    // the pool grows: c gets the new address
    editPool("pool", "172.20.1.200-172.20.1.202");
    eventually(
        () -> {
          assertThat(ingress("c")).isEqualTo("172.20.1.202");
          // the pool's instance in the namespace lists every address its Services hold
          assertThat(vrrpInstance(NS, "lb-pool").getSpec().addresses())
              .extracting(VrrpInstanceSpec.Address::address)
              .containsExactly("172.20.1.200", "172.20.1.201", "172.20.1.202");
        });
  }

  @Test
  void poolChangesMoveOrReleaseAddressesAndAnOverlappingPoolIsRefused() throws Exception {
    pool("pool", "172.20.1.200-172.20.1.203", "");
    service("one", "Cluster", "", 80);
    Thread.sleep(1100);
    service("two", "Cluster", "", 80);
    cluster.startOperator();
    eventually(
        () -> {
          assertThat(ingress("one")).isEqualTo("172.20.1.200");
          assertThat(ingress("two")).isEqualTo("172.20.1.201");
        });
    // the range shrinks past two's address: two moves, one stays
    editPool("pool", "172.20.1.200", "172.20.1.202-172.20.1.203");
    eventually(
        () -> {
          assertThat(ingress("one")).isEqualTo("172.20.1.200");
          assertThat(ingress("two")).isEqualTo("172.20.1.202");
          assertThat(virtualServer("two-tcp").getSpec().vip()).isEqualTo("172.20.1.202");
          assertThat(warning("two", "AddressChanged"))
              .startsWith("the address moved from 172.20.1.201 to 172.20.1.202");
        });
    // a newer pool overlapping it hands out nothing and says why
    Thread.sleep(1100);
    pool("late", "172.20.1.203-172.20.1.205", "");
    eventually(
        () -> {
          AddressPool late = cluster.client.resources(AddressPool.class).withName("late").get();
          var accepted = Conditions.find(late.getStatus().conditions(), "Accepted").orElseThrow();
          assertThat(accepted.getStatus()).isEqualTo("False");
          assertThat(accepted.getReason()).isEqualTo("Overlap");
          assertThat(accepted.getMessage())
              .startsWith(
                  "spec.addresses[0]: 172.20.1.203-172.20.1.205 overlaps 172.20.1.202-172.20.1.203"
                      + " of the older AddressPool pool");
        });
    // the pool stops admitting the namespace: both addresses are released
    editPool(
        "pool", List.of("172.20.1.200", "172.20.1.202-172.20.1.203"), List.of("somewhere-else"));
    eventually(
        () -> {
          assertThat(ingress("one")).isNull();
          assertThat(ingress("two")).isNull();
          assertThat(virtualServer("one-tcp")).isNull();
          assertThat(warning("one", "AllocationFailed"))
              .isEqualTo(
                  "NoPool: no accepted AddressPool with autoAssign admits namespace default");
          // no member left: the namespace's instance goes too
          assertThat(vrrpInstance(NS, "lb-pool")).isNull();
        });
  }

  @Test
  void aServiceThatStopsBeingALoadBalancerLosesItsVirtualServersAndAddress() {
    pool("pool", "172.20.1.200/31", "");
    service("web", "Cluster", "", 80);
    cluster.startOperator();
    eventually(() -> assertThat(virtualServer("web-tcp")).isNotNull());
    cluster
        .client
        .services()
        .inNamespace(NS)
        .withName("web")
        .edit(
            s -> {
              s.getSpec().setType("ClusterIP");
              s.getSpec().setLoadBalancerClass(null);
              return s;
            });
    eventually(
        () -> {
          assertThat(virtualServer("web-tcp")).isNull();
          assertThat(ingress("web")).isNull();
          assertThat(cluster.events("web"))
              .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("AddressReleased"));
          assertThat(cluster.nodeConfig("lvs1").ipvsServices()).isEmpty();
        });
  }

  @Test
  void addressesSurviveAnOperatorRestartAndSettledServicesCauseNoWrites() throws Exception {
    pool("b-pool", "172.20.2.0/29", "");
    service("x", "Cluster", "", 80);
    Thread.sleep(1100);
    service("y", "Cluster", "", 53, Map.of());
    LvsOperator first = cluster.startOperator();
    eventually(
        () -> {
          assertThat(ingress("x")).isEqualTo("172.20.2.0");
          assertThat(ingress("y")).isEqualTo("172.20.2.1");
        });
    waitForQuiet();
    long writes = first.writes();
    Thread.sleep(2500); // resync is 1 s
    assertThat(first.writes()).as("settled: resyncs write nothing").isEqualTo(writes);
    first.close();

    // While no operator runs: a pool that sorts first appears (new Services prefer it), and x's
    // VirtualServer is edited by hand (the operator puts it back).
    pool("a-pool", "172.20.3.0/30", "");
    cluster
        .client
        .resources(VirtualServer.class)
        .inNamespace(NS)
        .withName("x-tcp")
        .edit(
            vs -> {
              var s = vs.getSpec();
              vs.setSpec(
                  new VirtualServerSpec(
                      s.vip(),
                      s.port(),
                      s.protocol(),
                      s.scheduler(),
                      s.forwarding(),
                      s.persistenceTimeoutSeconds(),
                      s.persistenceNetmask(),
                      List.of(),
                      null,
                      s.healthCheck(),
                      null,
                      null,
                      s.vrrpInstance(),
                      null,
                      null,
                      null,
                      null,
                      null));
              return vs;
            });
    service("z", "Cluster", "", 80);
    cluster.startOperator("op-2", false);
    eventually(
        () -> {
          assertThat(ingress("x")).isEqualTo("172.20.2.0");
          assertThat(ingress("y")).isEqualTo("172.20.2.1");
          assertThat(ingress("z")).isEqualTo("172.20.3.0");
          assertThat(virtualServer("x-tcp").getSpec().realServers()).hasSize(3);
        });
  }

  // ---- helpers ----

  private void pool(String name, String addresses, String extra) {
    String yaml =
        """
        apiVersion: lvsoperator.io/v1alpha1
        kind: AddressPool
        metadata: {name: %s}
        spec:
          addresses: [%s]
          directors: {nodes: [{name: lvs1}, {name: lvs2}]}
          vrrp: {interface: eth0, advertIntervalMs: 1000}
        %s
        """
            .formatted(name, addresses, extra.indent(2));
    cluster
        .client
        .resource(cluster.client.getKubernetesSerialization().unmarshal(yaml, AddressPool.class))
        .create();
  }

  private void editPool(String name, String... addresses) {
    editPool(name, List.of(addresses), null);
  }

  private void editPool(String name, List<String> addresses, List<String> namespaces) {
    cluster
        .client
        .resources(AddressPool.class)
        .withName(name)
        .edit(
            p -> {
              var s = p.getSpec();
              p.setSpec(
                  new io.lvsoperator.api.v1alpha1.AddressPoolSpec(
                      addresses,
                      s.directors(),
                      s.vrrp(),
                      namespaces,
                      s.autoAssign(),
                      s.scheduler(),
                      s.nodeSelector(),
                      s.kubeProxyHealthzPort()));
              return p;
            });
  }

  private void service(String name, String policy, String extra, int... ports) {
    service(name, policy, extra, ports[0], Map.of(), ports);
  }

  private void service(
      String name,
      String policy,
      String extra,
      int port,
      Map<String, String> annotations,
      int... more) {
    StringBuilder p = new StringBuilder();
    Set<Integer> all = new HashSet<>();
    all.add(port);
    for (int m : more) {
      all.add(m);
    }
    all.stream()
        .sorted()
        .forEach(
            x ->
                p.append("    - {name: p")
                    .append(x)
                    .append(", port: ")
                    .append(x)
                    .append(", protocol: TCP}\n"));
    String yaml =
        """
        apiVersion: v1
        kind: Service
        metadata:
          name: %s
          namespace: default
          annotations: {%s}
        spec:
          type: LoadBalancer
          %s
          externalTrafficPolicy: %s
          selector: {app: %s}
          ports:
        %s
        %s
        """
            .formatted(
                name,
                annotations.entrySet().stream()
                    .map(e -> "\"" + e.getKey() + "\": \"" + e.getValue() + "\"")
                    .collect(Collectors.joining(", ")),
                extra.contains("loadBalancerClass") ? "" : "loadBalancerClass: lvsoperator.io/lvs",
                policy,
                name,
                p.toString().stripTrailing(),
                extra.isEmpty() ? "" : "  " + extra);
    Service s = cluster.client.getKubernetesSerialization().unmarshal(yaml, Service.class);
    cluster.client.services().inNamespace(NS).resource(s).create();
  }

  private void service(
      String name, String policy, String extra, int port, Map<String, String> annotations) {
    service(name, policy, extra, port, annotations, new int[0]);
  }

  /** The Service's EndpointSlice: one endpoint per node, ready or not. */
  private void endpoints(String service, Map<String, Boolean> readyByNode) {
    StringBuilder eps = new StringBuilder();
    int i = 1;
    for (var e : new java.util.TreeMap<>(readyByNode).entrySet()) {
      eps.append("  - addresses: [10.244.")
          .append(i++)
          .append(".5]\n    nodeName: ")
          .append(e.getKey())
          .append("\n    conditions: {ready: ")
          .append(e.getValue())
          .append("}\n");
    }
    String yaml =
        """
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: %s-abcde
          namespace: default
          labels: {kubernetes.io/service-name: %s}
        addressType: IPv4
        ports: [{name: p80, port: 8080, protocol: TCP}]
        endpoints:
        %s
        """
            .formatted(service, service, eps.toString().stripTrailing());
    EndpointSlice slice =
        cluster.client.getKubernetesSerialization().unmarshal(yaml, EndpointSlice.class);
    cluster
        .client
        .discovery()
        .v1()
        .endpointSlices()
        .inNamespace(NS)
        .resource(slice)
        .createOr(x -> x.update());
  }

  private Service service(String name) {
    return cluster.client.services().inNamespace(NS).withName(name).get();
  }

  private String ingress(String name) {
    Service s = service(name);
    if (s.getStatus() == null
        || s.getStatus().getLoadBalancer() == null
        || s.getStatus().getLoadBalancer().getIngress() == null
        || s.getStatus().getLoadBalancer().getIngress().isEmpty()) {
      return null;
    }
    LoadBalancerIngress first = s.getStatus().getLoadBalancer().getIngress().getFirst();
    return first.getIp();
  }

  private String warning(String involved, String reason) {
    return cluster.events(involved).stream()
        .filter(e -> reason.equals(e.getReason()) && "Warning".equals(e.getType()))
        .map(io.fabric8.kubernetes.api.model.Event::getMessage)
        .reduce((a, b) -> b)
        .orElse(null);
  }

  private VirtualServer virtualServer(String name) {
    return cluster.getVirtualServer(name);
  }

  private VrrpInstance vrrpInstance(String namespace, String name) {
    return cluster.client.resources(VrrpInstance.class).inNamespace(namespace).withName(name).get();
  }

  private List<String> destinations(String director, int port) {
    LvsNodeSpec node = cluster.nodeConfig(director);
    assertThat(node).as("LvsNode " + director).isNotNull();
    return node.ipvsServices().stream()
        .filter(s -> s.port() == port)
        .flatMap(s -> s.destinations().stream())
        .map(LvsNodeSpec.Destination::address)
        .toList();
  }

  /** Waits until nothing the operator writes changes for a while. */
  private void waitForQuiet() {
    eventually(
        () -> {
          String before = versions();
          sleep(1200);
          assertThat(versions()).isEqualTo(before);
        });
  }

  private String versions() {
    return Stream.of(
            cluster.client.resources(VirtualServer.class).inAnyNamespace().list().getItems(),
            cluster.client.resources(VrrpInstance.class).inAnyNamespace().list().getItems(),
            cluster.client.services().inAnyNamespace().list().getItems())
        .flatMap(List::stream)
        .map(o -> o.getMetadata().getName() + "@" + o.getMetadata().getResourceVersion())
        .sorted()
        .collect(Collectors.joining(","));
  }

  /** What Kubernetes' garbage collector does: deletes what an owner that is gone owned. */
  private void collectGarbage() {
    Set<String> owners = new HashSet<>();
    cluster
        .client
        .services()
        .inAnyNamespace()
        .list()
        .getItems()
        .forEach(s -> owners.add(s.getMetadata().getUid()));
    cluster
        .client
        .resources(AddressPool.class)
        .list()
        .getItems()
        .forEach(p -> owners.add(p.getMetadata().getUid()));
    List<HasMetadata> owned =
        Stream.concat(
                cluster
                    .client
                    .resources(VirtualServer.class)
                    .inAnyNamespace()
                    .list()
                    .getItems()
                    .stream(),
                cluster
                    .client
                    .resources(VrrpInstance.class)
                    .inAnyNamespace()
                    .list()
                    .getItems()
                    .stream())
            .map(HasMetadata.class::cast)
            .filter(
                o ->
                    o.getMetadata().getOwnerReferences() != null
                        && !o.getMetadata().getOwnerReferences().isEmpty())
            .filter(
                o ->
                    o.getMetadata().getOwnerReferences().stream()
                        .noneMatch(r -> owners.contains(r.getUid())))
            .toList();
    owned.forEach(o -> cluster.client.resource(o).delete());
    assertThat(owned).isNotEmpty();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
