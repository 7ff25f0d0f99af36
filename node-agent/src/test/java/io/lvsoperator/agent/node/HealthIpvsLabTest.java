package io.lvsoperator.agent.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import io.lvsoperator.agent.health.HealthMonitor;
import io.lvsoperator.agent.host.ipvs.KernelIpvsProgrammer;
import io.lvsoperator.agent.scheduling.ScheduledExecutorEventLoop;
import io.lvsoperator.agent.vrrp.VrrpEffects;
import io.lvsoperator.agent.vrrp.VrrpEngine;
import io.lvsoperator.api.v1alpha1.Forwarding;
import io.lvsoperator.api.v1alpha1.HealthCheckType;
import io.lvsoperator.api.v1alpha1.OnFailure;
import io.lvsoperator.testing.TestingSpecs;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Health checks driving the real IPVS table (lab: needs a kernel with IPVS), with {@code ipvsadm
 * -Ln} as the oracle: a stopped web server leaves the table (or stays at weight 0 with {@code
 * onFailure: weight-zero}) and comes back with its weight when it answers again.
 */
class HealthIpvsLabTest {
  private static final String VIP = "10.99.0.1";
  private HttpServer web;
  private NodeAgent agent;
  private KernelIpvsProgrammer ipvs;
  private ScheduledExecutorEventLoop loop;

  @AfterEach
  void tearDown() {
    if (agent != null) {
      agent.close();
    }
    if (ipvs != null) {
      ipvs.cleanup();
    }
    if (loop != null) {
      loop.close();
    }
    if (web != null) {
      web.stop(0);
    }
  }

  @ParameterizedTest
  @EnumSource(OnFailure.class)
  void aStoppedWebServerLeavesIpvsAndComesBack(OnFailure onFailure, @TempDir Path state)
      throws Exception {
    assumeTrue(
        Files.exists(Path.of("/proc/net/ip_vs")),
        "no IPVS in this kernel (/proc/net/ip_vs absent): lab tests run with lab/run test");
    startWeb();
    loop = new ScheduledExecutorEventLoop("vrrp");
    ipvs = new KernelIpvsProgrammer(state);
    agent =
        new NodeAgent(
            new VrrpEngine(
                loop,
                (iface, sink) -> {
                  throw new IOException("no VRRP in this test");
                },
                VrrpEffects.NONE),
            HealthMonitor::withNetty,
            ipvs,
            LoopbackVips.NONE);
    var check =
        TestingSpecs.check(HealthCheckType.HTTP_GET)
            .path("/")
            .expectedStatus("200")
            .intervalMs(200)
            .timeoutMs(500)
            .delayBeforeRetryMs(200)
            .rise(1)
            .fall(1)
            .build();
    agent.apply(
        TestingSpecs.spec(
            List.of(),
            List.of(
                TestingSpecs.service(VIP, 80)
                    .persistence(0, "255.255.255.255")
                    .vrrpInstance("none")
                    .healthCheck(check)
                    .onFailure(onFailure)
                    .destination(TestingSpecs.destination("127.0.0.1", 18080, 3, Forwarding.NAT))
                    .destination(TestingSpecs.destination("127.0.0.1", 18081, 2, Forwarding.NAT))
                    .build())),
        1);
    String downLine = onFailure == OnFailure.WEIGHT_ZERO ? "127.0.0.1:18081 +Masq +0 " : null;

    await("the live server in IPVS, the dead one out (or at weight 0)")
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              String table = ipvsadm();
              assertThat(table).containsPattern("TCP +10\\.99\\.0\\.1:80 rr");
              assertThat(table).containsPattern("127\\.0\\.0\\.1:18080 +Masq +3 ");
              if (downLine == null) {
                assertThat(table).doesNotContain("127.0.0.1:18081");
              } else {
                assertThat(table).containsPattern(downLine);
              }
            });

    web.stop(0);
    await("the stopped server leaves IPVS (or goes to weight 0)")
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              String table = ipvsadm();
              if (onFailure == OnFailure.WEIGHT_ZERO) {
                assertThat(table).containsPattern("127\\.0\\.0\\.1:18080 +Masq +0 ");
              } else {
                assertThat(table).doesNotContain("127.0.0.1:18080");
              }
              assertThat(table)
                  .as("the service stays")
                  .containsPattern("TCP +10\\.99\\.0\\.1:80 rr");
            });

    startWeb();
    await("the restarted server is back with its weight")
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> assertThat(ipvsadm()).containsPattern("127\\.0\\.0\\.1:18080 +Masq +3 "));

    // Stop the checks first: under emulation a check can flap (a probe timing out), and a health
    // change programmed after the cleanup would put the service back.
    agent.close();
    agent = null;
    assertThat(ipvs.cleanup()).isEmpty();
    ipvs = null;
    assertThat(ipvsadm()).doesNotContain("10.99.0.1:80");
  }

  private void startWeb() throws IOException {
    web = HttpServer.create(new InetSocketAddress("127.0.0.1", 18080), 16);
    web.createContext(
        "/",
        ex -> {
          byte[] body = "from 127.0.0.1\n".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    web.start();
  }

  private static String ipvsadm() throws Exception {
    Process p = new ProcessBuilder("ipvsadm", "-Ln").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    return out;
  }
}
