package io.lvsoperator.operator;

import static io.lvsoperator.operator.TestingCluster.referenceVirtualServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.lvsoperator.api.v1alpha1.LvsNode;
import io.lvsoperator.api.v1alpha1.LvsNodeStatus;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The operator against a real API server (K3s in Docker): the CRDs install with their schemas and
 * CEL rules, server-side apply is on, and the printer columns come from the server itself. Skips
 * where there is no Docker engine; the mock-server tests cover the same flows everywhere.
 */
class K3sOperatorIT {
  @Test
  void programsTheK3sNodeAndFillsThePrinterColumns() throws Exception {
    assumeTrue(
        dockerAvailable(),
        "K3sOperatorIT skipped: no Docker engine here (Testcontainers cannot start K3s);"
            + " OperatorIT covers these flows against the mock API server");
    try (K3sContainer k3s = new K3sContainer(DockerImageName.parse("rancher/k3s:v1.31.4-k3s1"))) {
      k3s.start();
      try (KubernetesClient client =
          new KubernetesClientBuilder()
              .withConfig(Config.fromKubeconfig(k3s.getKubeConfigYaml()))
              .build()) {
        TestingCluster.installCrds(client, true);
        String node = client.nodes().list().getItems().getFirst().getMetadata().getName();
        client
            .secrets()
            .inNamespace("default")
            .resource(
                new SecretBuilder()
                    .withNewMetadata()
                    .withName("vrrp-auth")
                    .endMetadata()
                    .addToStringData("password", "1111")
                    .build())
            .create();
        String yaml =
            referenceVirtualServer("web", "172.20.1.100", "virtualRouterId: 51")
                .replace("- name: lvs1", "- name: " + node)
                .replace("      - name: lvs2\n        priority: 50\n", "");
        client
            .resource(client.getKubernetesSerialization().unmarshal(yaml, VirtualServer.class))
            .create();

        OperatorSettings settings =
            new OperatorSettings(
                Set.of(),
                true,
                "lvs-operator",
                "default",
                Duration.ofSeconds(6),
                "k3s-test",
                io.lvsoperator.endpoints.EndpointSettings.of(
                    java.net.InetAddress.getLoopbackAddress(), 0),
                Duration.ofSeconds(2),
                Duration.ofSeconds(60),
                true,
                "default",
                true,
                false);
        try (LvsOperator operator = new LvsOperator(client, settings, Clock.systemUTC())) {
          operator.start();
          Awaitility.await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(250))
              .ignoreExceptions()
              .untilAsserted(
                  () ->
                      assertThat(
                              client
                                  .resources(LvsNode.class)
                                  .withName(node)
                                  .get()
                                  .getSpec()
                                  .vrrpInstances()
                                  .getFirst()
                                  .name())
                          .isEqualTo("eth0-51"));
          client
              .resources(LvsNode.class)
              .withName(node)
              .editStatus(
                  ln -> {
                    ln.setStatus(
                        new LvsNodeStatus(
                            ln.getMetadata().getGeneration(),
                            "test",
                            Instant.now().toString(),
                            "",
                            List.of(
                                new LvsNodeStatus.VrrpInstanceStatus(
                                    "eth0-51", 51, "MASTER", 100, null, null)),
                            List.of(),
                            null));
                    return ln;
                  });
          Awaitility.await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(250))
              .ignoreExceptions()
              .untilAsserted(
                  () -> {
                    // What `kubectl get virtualservers` prints: the server's own Table.
                    String table =
                        client.raw(
                            "/apis/lvsoperator.io/v1alpha1/namespaces/default/virtualservers");
                    VirtualServer vs =
                        client
                            .resources(VirtualServer.class)
                            .inNamespace("default")
                            .withName("web")
                            .get();
                    assertThat(vs.getStatus().master()).isEqualTo(node);
                    assertThat(
                            PrinterColumns.row(
                                TestingCluster.CRDS.resolve("virtualservers.lvsoperator.io.yaml"),
                                vs))
                        .containsEntry("MASTER", node)
                        .containsEntry("READY", "True")
                        .containsEntry("HEALTHY", "0/0");
                    assertThat(table).contains("\"web\"");
                  });
        }
      }
    }
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }
}
