package io.lvsoperator.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.lvsoperator.api.client.ApiOutageLog;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar operator/target/lvs-operator.jar [--watch-namespaces=a,b] [--lease-name=...]
 * [--lease-namespace=...] [--http-port=8080] [--http-address=0.0.0.0]}; every flag also reads from
 * the environment variable of the same name in upper case (WATCH_NAMESPACES, LEASE_NAME, ...).
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) throws Exception {
    OperatorSettings settings;
    try {
      settings = OperatorSettings.from(System.getenv(), args);
    } catch (IllegalArgumentException e) {
      System.err.println("lvs-operator: " + e.getMessage());
      System.exit(2);
      return;
    }
    // Bound before anything starts: a port in use is an error with nothing started.
    LvsOperator[] started = new LvsOperator[1];
    HealthServer http;
    try {
      http =
          new HealthServer(
              settings.http(),
              () -> started[0] != null && started[0].live(),
              () -> started[0] != null && started[0].ready(),
              () -> started[0] == null ? "" : started[0].scrapeMetrics());
    } catch (IOException e) {
      System.err.println("lvs-operator: http: " + e.getMessage());
      System.exit(1);
      return;
    }
    KubernetesClient client = ApiOutageLog.installOn(new KubernetesClientBuilder()).build();
    LvsOperator operator = new LvsOperator(client, settings, Clock.systemUTC());
    started[0] = operator;
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .unstarted(
                    () -> {
                      LOG.info("event=shutdown-requested");
                      operator.close(); // stops reconciling and releases the Lease
                      http.close();
                      client.close();
                      stopped.countDown();
                    }));
    try {
      operator.start();
    } catch (RuntimeException e) {
      // e.g. the API server is unreachable or an informer cannot list: exit, let the pod restart.
      LOG.error("event=start-failed error=\"{}\"", e.getMessage(), e);
      System.exit(1);
    }
    LOG.info("event=serving httpPort={}", http.port());
    stopped.await();
  }
}
