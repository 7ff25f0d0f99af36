package io.lvsoperator.agent.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.lvsoperator.agent.node.NodeAgent;
import io.lvsoperator.api.client.ApiOutageLog;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.api.v1alpha1.LvsNodeStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's Kubernetes mode through an API outage, its log as the oracle: one stack trace for the
 * kind of failure, then one line per retry with a count, and one line when the API server is back.
 * Before, each retry of the client's informer logged about 40 lines of stack trace.
 */
class QuietOutageIT {
  @Test
  void anOutageLogsOneStackTraceThenOneLinePerRetryAndItsEnd(@TempDir Path cache) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort(); // free again: nothing listens there until the "outage" ends
    }
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.err;
    KubernetesMockServer server = null;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (KubernetesClient client =
            ApiOutageLog.installOn(
                    new KubernetesClientBuilder()
                        .withConfig(
                            new ConfigBuilder()
                                .withMasterUrl("http://127.0.0.1:" + port)
                                .withNamespace("test")
                                .build()))
                .build();
        KubernetesMode mode =
            new KubernetesMode(
                client,
                "n1",
                "test",
                cache,
                (spec, generation) -> {},
                new KubernetesMode.NodeReports() {
                  @Override
                  public LvsNodeStatus status(Long generation, boolean withHealth) {
                    return new LvsNodeStatus(
                        generation, "test", "now", null, List.of(), List.of(), null);
                  }

                  @Override
                  public List<NodeAgent.DestinationHealth> destinationHealth(
                      LvsNodeSpec.IpvsService service) {
                    return List.of();
                  }
                },
                "test",
                new KubernetesMode.Timing(
                    Duration.ofMillis(100),
                    Duration.ofSeconds(10),
                    Duration.ofMillis(100),
                    Duration.ofMillis(500)))) {
      mode.start();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> count(captured, "event=api_unreachable") >= 8);

      server =
          new KubernetesMockServer(
              new Context(),
              new MockWebServer(),
              new HashMap<>(),
              new KubernetesCrudDispatcher(List.of()),
              false);
      server.init(InetAddress.getLoopbackAddress(), port);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> count(captured, "event=api_reachable") >= 1);
    } finally {
      System.setErr(original);
      if (server != null) {
        server.destroy();
      }
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    String outage = log.substring(0, log.indexOf("event=api_reachable"));
    System.out.println(outage.lines().filter(l -> l.contains("ApiOutageLog")).limit(4).toList());

    // Of this outage: once the server is back, its first watch answer (the mock's "0 Mock
    // Response")
    // closes the connection, which is reported as an outage of its own.
    long unreachable = outage.lines().filter(l -> l.contains("event=api_unreachable")).count();
    assertThat(outage.lines().filter(l -> l.contains("first=true")).count()).isEqualTo(1);
    assertThat(outage.lines().filter(l -> l.contains("repeats=")).count())
        .isEqualTo(unreachable - 1);
    assertThat(outage.lines().filter(l -> l.startsWith("\tat ")).count())
        .as("the one stack trace")
        .isBetween(1L, 40L);
    assertThat(outage).doesNotContain("Reflector").doesNotContain("listSyncAndWatch failed");
    assertThat(log).containsPattern("event=api_reachable failures=\\d+ seconds=");
    System.out.printf(
        "quiet-outage-figure lines=%d unreachable_lines=%d stack_lines=%d%n",
        outage.lines().count(),
        unreachable,
        outage.lines().filter(l -> l.startsWith("\tat ")).count());
  }

  private static long count(ByteArrayOutputStream captured, String what) {
    return captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(what)).count();
  }
}
