package io.lvsoperator.agent.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.lvsoperator.api.v1alpha1.LvsNode;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.api.v1alpha1.LvsNodeStatus;
import io.lvsoperator.testing.TestingSpecs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's Kubernetes mode against Fabric8's CRUD mock API server. */
@EnableKubernetesMockClient(crud = true)
class KubernetesModeIT {
  static KubernetesClient client;
  static KubernetesMockServer server;

  private final List<LvsNodeSpec> applied = new CopyOnWriteArrayList<>();

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

  private KubernetesMode mode(Path cache, List<LvsNodeSpec> sink) {
    return new KubernetesMode(
        () -> client,
        "n1",
        cache,
        (spec, generation) -> sink.add(spec),
        generation ->
            new LvsNodeStatus(
                generation,
                "test",
                java.time.Instant.now().toString(),
                null,
                List.of(),
                List.of(),
                null),
        Duration.ofMillis(100),
        Duration.ofSeconds(30));
  }

  @Test
  void followsItsOwnObjectReportsStatusAndSurvivesTheApiServerGoingAway(@TempDir Path cache) {
    LvsNode node = new LvsNode();
    node.setMetadata(new ObjectMetaBuilder().withName("n1").build());
    node.setSpec(vipOnly("10.0.0.1", 150));
    client.resource(node).create();
    LvsNode other = new LvsNode();
    other.setMetadata(new ObjectMetaBuilder().withName("n2").build());
    other.setSpec(vipOnly("10.0.0.9", 100));
    client.resource(other).create();

    try (var mode = mode(cache, applied)) {
      mode.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> !applied.isEmpty());
      assertThat(applied.getLast()).isEqualTo(vipOnly("10.0.0.1", 150));
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                LvsNode now = client.resources(LvsNode.class).withName("n1").get();
                assertThat(now.getStatus()).isNotNull();
                assertThat(now.getStatus().observedGeneration())
                    .isEqualTo(now.getMetadata().getGeneration());
              });

      client
          .resources(LvsNode.class)
          .withName("n1")
          .edit(
              n -> {
                n.setSpec(vipOnly("10.0.0.1", 120));
                return n;
              });
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> applied.getLast().vrrpInstances().getFirst().priority() == 120);
      assertThat(applied)
          .as("the other node's object is never applied here")
          .noneMatch(s -> s.equals(vipOnly("10.0.0.9", 100)));

      int before = applied.size();
      server.destroy();
      mode.statusChanged(); // a status write now fails; the data plane must not care
      await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
      assertThat(applied).hasSize(before);
    }

    // Restarted during the outage: serves the cached copy at once.
    List<LvsNodeSpec> afterRestart = new CopyOnWriteArrayList<>();
    try (var restarted = mode(cache, afterRestart)) {
      restarted.start();
      assertThat(afterRestart).containsExactly(vipOnly("10.0.0.1", 120));
    }
  }
}
