package io.lvsoperator.agent.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.lvsoperator.agent.node.NodeAgent;
import io.lvsoperator.agent.nodeconfig.TestingNodeConfigs;
import io.lvsoperator.api.v1alpha1.LvsNode;
import io.lvsoperator.api.v1alpha1.LvsNodeSlice;
import io.lvsoperator.api.v1alpha1.LvsNodeSliceSpec;
import io.lvsoperator.api.v1alpha1.LvsNodeSliceStatus;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.api.v1alpha1.LvsNodeStatus;
import io.lvsoperator.compiler.NodeSlices;
import io.lvsoperator.testing.TestingSpecs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's Kubernetes mode against Fabric8's CRUD mock API server, with the head, slices and
 * Secret written by the test as the operator writes them ({@link NodeSlices#split} of a compiled
 * spec). One mock server per test: one of them stops it.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesModeIT {
  private static final String NAMESPACE = "lvs-system";
  private static final Duration WAIT = Duration.ofSeconds(20);

  KubernetesClient client;
  KubernetesMockServer server;

  private final List<LvsNodeSpec> applied = new CopyOnWriteArrayList<>();

  /** The real servers that are down; every other one is up. */
  private static final Set<String> DOWN = ConcurrentHashMap.newKeySet();

  /** Reports the real servers in {@link #DOWN} as down, every other one up. */
  private static final KubernetesMode.NodeReports REPORTS =
      new KubernetesMode.NodeReports() {
        @Override
        public LvsNodeStatus status(Long observedGeneration, boolean withHealth) {
          return new LvsNodeStatus(
              observedGeneration,
              null,
              Instant.now().toString(),
              null,
              List.of(),
              withHealth
                  ? List.of(
                      new LvsNodeStatus.HealthStatus(
                          "172.20.1.10", 80, false, "connection refused", 3L, null))
                  : null,
              null);
        }

        @Override
        public List<NodeAgent.DestinationHealth> destinationHealth(
            LvsNodeSpec.IpvsService service) {
          return service.destinations().stream()
              .map(
                  d ->
                      DOWN.contains(d.address())
                          ? new NodeAgent.DestinationHealth(
                              d.address(),
                              d.port(),
                              NodeAgent.Verdict.DOWN,
                              "connection refused",
                              Instant.parse("2026-12-03T10:00:00Z"))
                          : new NodeAgent.DestinationHealth(
                              d.address(), d.port(), NodeAgent.Verdict.UP, null, null))
              .toList();
        }
      };

  private KubernetesMode mode(Path cache, List<LvsNodeSpec> sink, Duration confirmDelay) {
    return new KubernetesMode(
        client,
        "lvs1",
        NAMESPACE,
        cache,
        (spec, generation) -> sink.add(spec),
        REPORTS,
        "test",
        new KubernetesMode.Timing(
            Duration.ofMillis(100), confirmDelay, Duration.ofMillis(100), Duration.ofSeconds(30)));
  }

  /** Writes lvs1's reference config as the operator would; returns the complete spec. */
  private LvsNodeSpec writeReferenceConfig() throws Exception {
    DOWN.clear();
    DOWN.add("172.20.1.10");
    LvsNodeSpec compiled = TestingNodeConfigs.reference("lvs1");
    NodeSlices.Plan plan = NodeSlices.split("lvs1", compiled, Map.of(), NodeSlices.TARGET_BYTES);
    LvsNode head = new LvsNode();
    head.setMetadata(new ObjectMetaBuilder().withName("lvs1").build());
    head.setSpec(TestingNodeConfigs.head(plan));
    client.resource(head).create();
    plan.slices().forEach((name, spec) -> client.resource(slice(name, "lvs1", spec)).create());
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(LvsNodeSlice.VRRP_AUTH_SECRET)
                .withNamespace(NAMESPACE)
                .endMetadata()
                .withData(
                    Map.of(
                        "vs_default.web",
                        Base64.getEncoder()
                            .encodeToString(
                                plan.authPasswords()
                                    .get("vs_default.web")
                                    .getBytes(StandardCharsets.UTF_8))))
                .build())
        .create();
    return compiled;
  }

  private static LvsNodeSlice slice(String name, String node, LvsNodeSliceSpec spec) {
    LvsNodeSlice s = new LvsNodeSlice();
    s.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withLabels(Map.of(LvsNodeSlice.NODE_LABEL, node))
            .build());
    s.setSpec(spec);
    return s;
  }

  @Test
  void mergesHeadSlicesAndPasswordsAndReportsUnhealthyDestinationsPerSlice(@TempDir Path cache)
      throws Exception {
    LvsNodeSpec compiled = writeReferenceConfig();
    // Another node's slice, on the same VIP: never applied here.
    LvsNodeSliceSpec other =
        client.resources(LvsNodeSlice.class).withName("lvs1-0").get().getSpec();
    client
        .resource(slice("lvs2-0", "lvs2", new LvsNodeSliceSpec("lvs2", other.entries())))
        .create();

    try (var mode = mode(cache, applied, Duration.ofSeconds(10))) {
      mode.start();
      await().atMost(WAIT).until(() -> !applied.isEmpty());
      assertThat(applied).containsExactly(compiled);
      assertThat(applied.getFirst().vrrpInstances().getFirst().authPass())
          .as("the password from the Secret")
          .isEqualTo("1111");

      await()
          .atMost(WAIT)
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                LvsNode head = client.resources(LvsNode.class).withName("lvs1").get();
                assertThat(head.getStatus().observedGeneration())
                    .isEqualTo(head.getMetadata().getGeneration());
                assertThat(head.getStatus().health()).as("health is in the slices").isNull();
                LvsNodeSlice slice = client.resources(LvsNodeSlice.class).withName("lvs1-0").get();
                assertThat(slice.getStatus())
                    .isEqualTo(
                        new LvsNodeSliceStatus(
                            slice.getMetadata().getGeneration(),
                            List.of(
                                new LvsNodeSliceStatus.Down(
                                    "172.20.1.10",
                                    80,
                                    "connection refused",
                                    "2026-12-03T10:00:00Z")),
                            List.of(),
                            null));
              });
      assertThat(client.resources(LvsNodeSlice.class).withName("lvs2-0").get().getStatus())
          .as("the other node's slice is not ours to report")
          .isNull();

      // 172.20.1.10 comes back, 172.20.1.11 goes: the slice's down[] is replaced, not added to.
      DOWN.clear();
      DOWN.add("172.20.1.11");
      NodeAgent.checkKeys(compiled.ipvsServices().getFirst()).forEach(mode::healthChanged);
      await()
          .atMost(WAIT)
          .ignoreExceptions()
          .untilAsserted(
              () ->
                  assertThat(
                          client
                              .resources(LvsNodeSlice.class)
                              .withName("lvs1-0")
                              .get()
                              .getStatus()
                              .down())
                      .extracting(LvsNodeSliceStatus.Down::address)
                      .containsExactly("172.20.1.11"));

      client
          .resources(LvsNodeSlice.class)
          .withName("lvs1-0")
          .edit(
              s -> {
                s.setSpec(reweighted(s.getSpec(), 5));
                return s;
              });
      await()
          .atMost(WAIT)
          .until(
              () ->
                  applied.getLast().ipvsServices().getFirst().destinations().getFirst().weight()
                      == 5);
    }

    Path dir = cache.resolve("lvsnode-lvs1");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    try (Stream<Path> files = Files.walk(dir)) {
      assertThat(files.filter(Files::isRegularFile))
          .isNotEmpty()
          .allSatisfy(
              f ->
                  assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                      .isEqualTo("rw-------"));
    }
  }

  private static LvsNodeSliceSpec reweighted(LvsNodeSliceSpec spec, int weight) {
    LvsNodeSliceSpec.Entry e = spec.entries().getFirst();
    LvsNodeSpec.IpvsService s = e.ipvsServices().getFirst();
    List<LvsNodeSpec.Destination> ds =
        s.destinations().stream()
            .map(
                d ->
                    new LvsNodeSpec.Destination(
                        d.address(), d.port(), weight, d.forwarding(), d.drain()))
            .toList();
    return new LvsNodeSliceSpec(
        spec.node(),
        List.of(
            new LvsNodeSliceSpec.Entry(
                e.source(),
                e.vips(),
                List.of(TestingSpecs.ServiceBuilder.from(s).destinations(ds).build()),
                e.realServerVips())));
  }

  @Test
  void aDeletionOfEverythingIsAppliedOnlyAfterAConfirmingReadAndARestartServesTheCacheTillThen(
      @TempDir Path cache) throws Exception {
    LvsNodeSpec compiled = writeReferenceConfig();
    try (var mode = mode(cache, applied, Duration.ofSeconds(3))) {
      mode.start();
      await().atMost(WAIT).until(() -> applied.contains(compiled));
    }

    // Gone while no agent runs (the CRDs removed, say); then the agent starts.
    client.resources(LvsNodeSlice.class).withLabel(LvsNodeSlice.NODE_LABEL, "lvs1").delete();
    client.resources(LvsNode.class).withName("lvs1").delete();
    await().atMost(WAIT).until(() -> client.resources(LvsNode.class).list().getItems().isEmpty());
    List<LvsNodeSpec> restarted = new CopyOnWriteArrayList<>();
    try (var mode = mode(cache, restarted, Duration.ofSeconds(3))) {
      long start = System.nanoTime();
      mode.start();
      await().atMost(WAIT).until(() -> !restarted.isEmpty());
      assertThat(restarted.getFirst()).as("the cache, at once").isEqualTo(compiled);
      await().atMost(WAIT).until(() -> restarted.getLast().equals(LvsNodeSpec.empty()));
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("not before the confirming read")
          .isGreaterThanOrEqualTo(Duration.ofSeconds(3));
      assertThat(restarted).hasSize(2);
    }
  }

  @Test
  void aCompleteSpecInTheLvsNodeIsAppliedAsItIsAndTheApiServerGoingAwayChangesNothing(
      @TempDir Path cache) {
    LvsNode node = new LvsNode();
    node.setMetadata(new ObjectMetaBuilder().withName("lvs1").build());
    node.setSpec(vipOnly("10.0.0.1", 150));
    client.resource(node).create();

    try (var mode = mode(cache, applied, Duration.ofSeconds(10))) {
      mode.start();
      await().atMost(WAIT).until(() -> !applied.isEmpty());
      assertThat(applied.getLast()).isEqualTo(vipOnly("10.0.0.1", 150));
      await()
          .atMost(WAIT)
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                LvsNodeStatus status =
                    client.resources(LvsNode.class).withName("lvs1").get().getStatus();
                assertThat(status).isNotNull();
                assertThat(status.health())
                    .as("an operator without slices reads health from here")
                    .isNotNull();
              });
      client
          .resources(LvsNode.class)
          .withName("lvs1")
          .edit(
              n -> {
                n.setSpec(vipOnly("10.0.0.1", 120));
                return n;
              });
      await()
          .atMost(WAIT)
          .until(() -> applied.getLast().vrrpInstances().getFirst().priority() == 120);

      int before = applied.size();
      server.destroy();
      mode.statusChanged(); // a status write now fails; the data plane must not care
      await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
      assertThat(applied).hasSize(before);
    }

    // Restarted during the outage: serves the cached copy at once.
    List<LvsNodeSpec> afterRestart = new CopyOnWriteArrayList<>();
    try (var restarted = mode(cache, afterRestart, Duration.ofSeconds(10))) {
      restarted.start();
      await().atMost(WAIT).until(() -> !afterRestart.isEmpty());
      assertThat(afterRestart).containsExactly(vipOnly("10.0.0.1", 120));
    }
  }

  private static LvsNodeSpec vipOnly(String vip, int priority) {
    return new LvsNodeSpec(
        List.of(
            TestingSpecs.vrrpInstance("eth0-7", "eth0", 7)
                .priority(priority)
                .version(3, 100)
                .accept(true)
                .vip(vip, 32, null)
                .trackInterfaces("eth0")
                .garp(5, 100, 0)
                .build()),
        List.of(),
        List.of(),
        List.of(new LvsNodeSpec.Source("default", "vip", 1)));
  }
}
