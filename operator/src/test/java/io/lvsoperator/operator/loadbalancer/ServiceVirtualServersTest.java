package io.lvsoperator.operator.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.lvsoperator.api.v1alpha1.Forwarding;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.api.v1alpha1.Protocol;
import io.lvsoperator.api.v1alpha1.Scheduler;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import io.lvsoperator.api.v1alpha1.VirtualServerSpec;
import io.lvsoperator.api.v1alpha1.VrrpInstance;
import io.lvsoperator.api.v1alpha1.VrrpInstanceSpec;
import io.lvsoperator.compiler.CompileResult;
import io.lvsoperator.compiler.Compiler;
import io.lvsoperator.compiler.CompilerInput;
import io.lvsoperator.compiler.NodeInfo;
import io.lvsoperator.compiler.ObjectKey;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServiceVirtualServersTest {
  private static final String VIP = "172.20.1.200";
  private static final PoolSettings POOL =
      new PoolSettings(
          "pool",
          Scheduler.rr,
          Map.of(),
          PoolSettings.KUBE_PROXY_HEALTHZ_PORT,
          Set.of("lvs1", "lvs2"));
  private static final List<CandidateNode> NODES =
      List.of(
          node("lvs1", "172.20.1.1", true),
          node("lvs2", "172.20.1.2", true),
          node("node3", "172.20.1.23", true),
          node("node1", "172.20.1.21", true),
          node("node2", "172.20.1.22", true),
          node("down", "172.20.1.24", false),
          new CandidateNode("no-address", null, true, Map.of()),
          new CandidateNode(
              "excluded", "172.20.1.25", true, Map.of(LoadBalancerNames.EXCLUDE_LABEL, "")));

  @Test
  void clusterPolicySendsToEveryReadyNodeButTheDirectorsCheckedOnKubeProxysHealthPort() {
    var plan =
        ServiceVirtualServers.plan(service(false, 80), VIP, "lb-pool", POOL, NODES, Set.of());
    assertThat(plan.nodes()).containsExactly("node1", "node2", "node3");
    VirtualServerSpec vs = plan.virtualServers().get("web-tcp");
    assertThat(vs.vip()).isEqualTo(VIP);
    assertThat(vs.port()).isEqualTo(80);
    assertThat(vs.forwarding()).isEqualTo(Forwarding.DR);
    assertThat(vs.scheduler()).isEqualTo(Scheduler.rr);
    assertThat(vs.vrrpInstance()).isEqualTo("lb-pool");
    assertThat(vs.vrrp()).isNull();
    assertThat(vs.directors()).isNull();
    assertThat(vs.realServers())
        .extracting(
            VirtualServerSpec.InlineRealServer::address,
            VirtualServerSpec.InlineRealServer::port,
            VirtualServerSpec.InlineRealServer::node)
        .containsExactly(
            tuple("172.20.1.21", null, "node1"),
            tuple("172.20.1.22", null, "node2"),
            tuple("172.20.1.23", null, "node3"));
    assertThat(vs.healthCheck().port()).isEqualTo(10256);
    assertThat(vs.healthCheck().path()).isEqualTo("/healthz");
  }

  @Test
  void localPolicySendsOnlyToNodesWithReadyEndpointsCheckedOnTheHealthCheckNodePort() {
    var plan =
        ServiceVirtualServers.plan(
            service(true, 80), VIP, "lb-pool", POOL, NODES, Set.of("node2", "lvs1", "down"));
    assertThat(plan.nodes()).containsExactly("node2");
    assertThat(plan.virtualServers().get("web-tcp").healthCheck().port()).isEqualTo(31000);
  }

  @Test
  void portsOfOneProtocolShareAVirtualServerOtherProtocolsGetTheirOwn() {
    LoadBalancerService svc =
        new LoadBalancerService(
            new ObjectKey("ns", "dns"),
            List.of(
                new LoadBalancerService.Port("dns-udp", Protocol.UDP, 53),
                new LoadBalancerService.Port("https", null, 443),
                new LoadBalancerService.Port("http", Protocol.TCP, 80),
                new LoadBalancerService.Port("dns-tcp", Protocol.TCP, 53),
                new LoadBalancerService.Port("sctp", Protocol.SCTP, 9999)),
            false,
            null,
            10800);
    var plan = ServiceVirtualServers.plan(svc, VIP, "lb-pool", POOL, NODES, Set.of());
    assertThat(plan.virtualServers()).containsOnlyKeys("dns-tcp", "dns-udp", "dns-sctp");
    VirtualServerSpec tcp = plan.virtualServers().get("dns-tcp");
    assertThat(tcp.port()).isEqualTo(53);
    assertThat(tcp.additionalAddresses())
        .containsExactly(
            new VirtualServerSpec.AdditionalAddress(VIP, 80),
            new VirtualServerSpec.AdditionalAddress(VIP, 443));
    assertThat(tcp.persistenceTimeoutSeconds()).isEqualTo(10800);
    assertThat(plan.virtualServers().get("dns-udp").additionalAddresses()).isNull();
    assertThat(plan.virtualServers().get("dns-sctp").protocol()).isEqualTo(Protocol.SCTP);
  }

  @Test
  void thePoolsNodeSelectorNarrowsTheNodes() {
    PoolSettings pool =
        new PoolSettings("pool", null, Map.of("zone", "a"), 10256, Set.of("lvs1", "lvs2"));
    List<CandidateNode> nodes =
        List.of(
            new CandidateNode("a1", "10.0.0.1", true, Map.of("zone", "a")),
            new CandidateNode("b1", "10.0.0.2", true, Map.of("zone", "b")));
    assertThat(
            ServiceVirtualServers.plan(service(false, 80), VIP, "i", pool, nodes, Set.of()).nodes())
        .containsExactly("a1");
  }

  /**
   * The plan, as the operator writes it, compiles: every port on every director with the node
   * addresses on the same port (DR), the checks on the health port, the VIP on lo of every node
   * that receives traffic, one VRRP instance for the pool.
   */
  @Test
  void thePlanCompilesToDrServicesOnTheDirectorsAndTheVipOnTheNodesLoopback() {
    LoadBalancerService svc =
        new LoadBalancerService(
            new ObjectKey("ns", "web"),
            List.of(
                new LoadBalancerService.Port("http", Protocol.TCP, 80),
                new LoadBalancerService.Port("https", Protocol.TCP, 443)),
            true,
            31000,
            null);
    var plan =
        ServiceVirtualServers.plan(svc, VIP, "lb-pool", POOL, NODES, Set.of("node1", "node3"));
    VirtualServer vs = new VirtualServer();
    vs.setMetadata(
        new ObjectMetaBuilder().withNamespace("ns").withName("web-tcp").withGeneration(1L).build());
    vs.setSpec(plan.virtualServers().get("web-tcp"));
    VrrpInstance vi = new VrrpInstance();
    vi.setMetadata(
        new ObjectMetaBuilder().withNamespace("ns").withName("lb-pool").withGeneration(1L).build());
    vi.setSpec(
        new VrrpInstanceSpec(
            VirtualServerSpec.Vrrp.unset(),
            new VirtualServerSpec.Directors(
                List.of(
                    new VirtualServerSpec.DirectorNode("lvs1", null),
                    new VirtualServerSpec.DirectorNode("lvs2", null)),
                null),
            null,
            null));
    List<NodeInfo> nodes =
        NODES.stream()
            .map(
                n ->
                    new NodeInfo(
                        n.name(),
                        n.labels(),
                        n.address() == null ? List.of() : List.of(n.address())))
            .toList();
    CompileResult result =
        Compiler.compile(
            new CompilerInput(List.of(vs), List.of(), nodes)
                .withVrrpInstances(List.of(vi), Map.of()));
    assertThat(result.virtualServers().get(new ObjectKey("ns", "web-tcp")).ok())
        .as("%s", result.virtualServers())
        .isTrue();
    LvsNodeSpec lvs1 = result.nodes().get("lvs1");
    assertThat(lvs1.vrrpInstances()).hasSize(1);
    assertThat(lvs1.ipvsServices())
        .extracting(LvsNodeSpec.IpvsService::address, LvsNodeSpec.IpvsService::port)
        .containsExactlyInAnyOrder(tuple(VIP, 80), tuple(VIP, 443));
    for (LvsNodeSpec.IpvsService s : lvs1.ipvsServices()) {
      assertThat(s.destinations())
          .extracting(LvsNodeSpec.Destination::address, LvsNodeSpec.Destination::port)
          .containsExactly(tuple("172.20.1.21", s.port()), tuple("172.20.1.23", s.port()));
      assertThat(s.healthCheck().port()).isEqualTo(31000);
    }
    assertThat(result.nodes().get("node1").realServerVips()).containsExactly(VIP);
    assertThat(result.nodes().get("node3").realServerVips()).containsExactly(VIP);
    assertThat(result.nodes()).doesNotContainKey("node2");
  }

  static LoadBalancerService service(boolean local, int port) {
    return new LoadBalancerService(
        new ObjectKey("ns", "web"),
        List.of(new LoadBalancerService.Port("http", Protocol.TCP, port)),
        local,
        local ? 31000 : null,
        null);
  }

  static CandidateNode node(String name, String address, boolean ready) {
    return new CandidateNode(name, address, ready, Map.of());
  }
}
