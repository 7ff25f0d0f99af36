package io.lvsoperator.operator;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The control plane of the kernel lab's loadbalancer scenario (lab/guest/loadbalancer.sh), where
 * there is no Kubernetes: Fabric8's CRUD mock API server with our CRDs, listening on an address the
 * agents in the network namespaces reach, and the operator ({@link LvsOperator}, the code of the
 * operator jar, with the LoadBalancer controllers) against it in the same JVM. The scenario plays
 * the rest of Kubernetes over HTTP with curl: it creates the Nodes, the AddressPool, the Service
 * and its EndpointSlice, and changes them as the endpoint controller and kubelets would.
 *
 * <p>What the mock does not do (and the scenario does not need): no garbage collector, no schema or
 * CEL validation, no server-side apply (the operator runs with it off), no RBAC (ChartRbacIT proves
 * the chart's on the same requests).
 *
 * <pre>java -cp ... io.lvsoperator.operator.LabControlPlane ADDRESS PORT</pre>
 *
 * Run from the operator module's directory (the CRDs are read from ../crds). Prints {@code
 * event=control_plane_ready url=http://ADDRESS:PORT} when the operator has started; stops on
 * SIGTERM.
 */
public final class LabControlPlane {
  private LabControlPlane() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: LabControlPlane ADDRESS PORT");
      System.exit(2);
    }
    InetAddress address = InetAddress.getByName(args[0]);
    int port = Integer.parseInt(args[1]);
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(List.of()),
            false);
    server.init(address, port);
    // Under emulation a request can take seconds: a client that gave up after the default 10 s
    // would send a create again and fail on its own 409 (the first lab run did, installing CRDs).
    Config config;
    try (KubernetesClient probe = server.createClient()) {
      config =
          new ConfigBuilder(probe.getConfiguration())
              .withRequestTimeout(120_000)
              .withConnectionTimeout(60_000)
              .build();
    }
    KubernetesClient client = server.createClient(b -> b.withConfig(config));
    TestingCluster.installCrds(client, false);
    OperatorSettings settings =
        new OperatorSettings(
            Set.of(),
            false,
            "lvs-operator",
            "default",
            Duration.ofSeconds(15),
            "lab-operator",
            io.lvsoperator.endpoints.EndpointSettings.of(InetAddress.getLoopbackAddress(), 0),
            Duration.ofSeconds(30),
            Duration.ofSeconds(60),
            false,
            "default",
            true,
            false);
    LvsOperator operator =
        new LvsOperator(client, settings, LoadBalancerSettings.DEFAULT, Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .unstarted(
                    () -> {
                      operator.close();
                      client.close();
                      server.destroy();
                      stopped.countDown();
                    }));
    operator.start();
    System.out.println("event=control_plane_ready url=http://" + args[0] + ":" + server.getPort());
    System.out.flush();
    stopped.await();
  }
}
