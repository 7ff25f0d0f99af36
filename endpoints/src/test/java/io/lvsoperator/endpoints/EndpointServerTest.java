package io.lvsoperator.endpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EndpointServerTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final Map<String, Supplier<Response>> ROUTES =
      Map.of(
          "/healthz", () -> Response.text(200, "ok\n"),
          "/readyz", () -> Response.text(503, "not yet\n"),
          "/metrics", () -> Response.metrics("up 1\n"));

  private final List<Socket> clients = new ArrayList<>();
  private EndpointServer server;

  @AfterEach
  void tearDown() throws IOException {
    for (Socket s : clients) {
      s.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private EndpointServer start(Duration read, Duration idle, int max) throws IOException {
    server =
        EndpointServer.start(
            "test-http", new EndpointSettings(LOOPBACK, 0, read, idle, max), ROUTES);
    return server;
  }

  @Test
  void answersGetOnExactPathsOnly() throws IOException {
    start(EndpointSettings.READ_TIMEOUT, EndpointSettings.IDLE_TIMEOUT, 8);

    assertThat(request("GET /healthz")).startsWith("HTTP/1.1 200 OK").endsWith("\r\n\r\nok\n");
    assertThat(request("GET /readyz")).startsWith("HTTP/1.1 503");
    assertThat(request("GET /metrics"))
        .startsWith("HTTP/1.1 200")
        .contains("content-type: text/plain; version=0.0.4; charset=utf-8");
    assertThat(request("GET /healthz?verbose=1")).startsWith("HTTP/1.1 200");
    assertThat(request("GET /healthzz")).startsWith("HTTP/1.1 404");
    assertThat(request("GET /healthz/")).startsWith("HTTP/1.1 404");
    assertThat(request("GET /")).startsWith("HTTP/1.1 404");
    assertThat(request("GET /metrics/../healthz")).startsWith("HTTP/1.1 404");
    assertThat(request("POST /healthz")).startsWith("HTTP/1.1 405").contains("allow: GET");
    assertThat(request("HEAD /healthz")).startsWith("HTTP/1.1 405");
    assertThat(request("DELETE /metrics")).startsWith("HTTP/1.1 405");
  }

  @Test
  void aPortInUseIsAClearErrorAtStart() throws IOException {
    start(EndpointSettings.READ_TIMEOUT, EndpointSettings.IDLE_TIMEOUT, 8);

    assertThatThrownBy(
            () ->
                EndpointServer.start(
                    "second", EndpointSettings.of(LOOPBACK, server.port()), ROUTES))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("cannot listen on 127.0.0.1:" + server.port() + ": ")
        .hasMessageContaining("in use");
  }

  @Test
  void portsAndAddressesAreCheckedAsText() {
    assertThat(EndpointSettings.port("AGENT_HTTP_PORT", "9101")).isEqualTo(9101);
    for (String bad : new String[] {"99999", "0", "-1", "80a", "", " 80", "1e3"}) {
      assertThatThrownBy(() -> EndpointSettings.port("AGENT_HTTP_PORT", bad))
          .hasMessage("AGENT_HTTP_PORT: " + bad + " is not a port (1-65535)");
    }
    assertThat(EndpointSettings.address("--http-address", "0.0.0.0").isAnyLocalAddress()).isTrue();
    assertThatThrownBy(() -> EndpointSettings.address("--http-address", "cafe"))
        .hasMessage("--http-address: cafe is not an IP address (0.0.0.0 for every address)");
  }

  @Test
  void aSlowClientIsClosedAfterTheReadTimeoutAndAnIdleOneAfterTheIdleTimeout() throws Exception {
    start(Duration.ofMillis(300), Duration.ofMillis(600), 8);
    Socket slow = connect();
    Socket idle = connect();
    slow.getOutputStream().write("GET /hea".getBytes(StandardCharsets.US_ASCII));

    assertThat(closedWithin(slow, Duration.ofSeconds(3))).as("a request begun is cut off").isTrue();
    assertThat(closedWithin(idle, Duration.ofSeconds(3))).as("a silent client is cut off").isTrue();
    // The client sees the FIN before the server's event loop has run the channel's close handlers.
    awaitOpen(0);
  }

  @Test
  void aKeptAliveConnectionServesSeveralRequests() throws IOException {
    start(EndpointSettings.READ_TIMEOUT, EndpointSettings.IDLE_TIMEOUT, 8);
    Socket s = connect();
    for (int i = 0; i < 3; i++) {
      s.getOutputStream()
          .write("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(readResponse(s.getInputStream())).startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void theCapEvictsTheOldestWaitingConnectionSoAFreshProbeGetsIn() throws Exception {
    start(Duration.ofSeconds(30), Duration.ofSeconds(30), 16);
    for (int i = 0; i < 40; i++) {
      connect();
    }
    awaitOpen(16);

    assertThat(request("GET /healthz")).startsWith("HTTP/1.1 200");
    assertThat(server.openConnections()).isLessThanOrEqualTo(16);
    assertThat(server.evictedConnections()).isGreaterThanOrEqualTo(25);
    assertThat(closedWithin(clients.getFirst(), Duration.ofSeconds(2)))
        .as("the oldest went first")
        .isTrue();
  }

  /**
   * 500 idle clients and 100 that dribble a byte every 100 ms, against the default settings: a
   * probe with a one-second budget, as a kubelet's, is answered every time, and the open
   * connections stay at the cap.
   */
  @Test
  void healthzAnswersWithinOneSecondUnderIdleAndSlowClients() throws Exception {
    start(EndpointSettings.READ_TIMEOUT, EndpointSettings.IDLE_TIMEOUT, 64);
    for (int i = 0; i < 500; i++) {
      connect();
    }
    List<Socket> slow = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      Socket s = connect();
      slow.add(s);
    }
    Thread dribbler =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  byte[] request = "GET /healthz HTTP/1.1\r\nHost: t\r\n".getBytes();
                  for (int b = 0; !Thread.currentThread().isInterrupted(); b++) {
                    for (Socket s : slow) {
                      try {
                        s.getOutputStream().write(request[b % request.length]);
                      } catch (IOException closed) {
                        // cut off by the server, as it should
                      }
                    }
                    try {
                      Thread.sleep(100);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
    try {
      long worst = 0;
      for (int probe = 0; probe < 20; probe++) {
        long start = System.nanoTime();
        assertThat(request("GET /healthz")).startsWith("HTTP/1.1 200");
        worst = Math.max(worst, System.nanoTime() - start);
        assertThat(server.openConnections()).isLessThanOrEqualTo(64);
        Thread.sleep(150);
      }
      System.out.printf(
          "healthz under 500 idle and 100 slow clients: worst of 20 probes %.1f ms, %d open,"
              + " %d evicted%n",
          worst / 1e6, server.openConnections(), server.evictedConnections());
    } finally {
      dribbler.interrupt();
    }
  }

  /** An attacker's connection (no budget to speak of: it only has to get in). */
  private Socket connect() throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress(LOOPBACK, server.port()), 10_000);
    clients.add(s);
    return s;
  }

  /** One request with a 1 s budget for connecting and for the answer, as a kubelet probe. */
  private String request(String line) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(LOOPBACK, server.port()), 1000);
      s.setSoTimeout(1000);
      OutputStream out = s.getOutputStream();
      out.write(
          (line + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      return readResponse(s.getInputStream());
    }
  }

  private static String readResponse(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    int length = -1;
    while (true) {
      int c = in.read();
      if (c < 0) {
        return b.toString();
      }
      b.append((char) c);
      int end = b.indexOf("\r\n\r\n");
      if (end >= 0) {
        if (length < 0) {
          String head = b.substring(0, end).toLowerCase();
          int at = head.indexOf("content-length: ");
          length = Integer.parseInt(head.substring(at + 16).split("\r\n")[0].trim());
        }
        if (b.length() - end - 4 >= length) {
          return b.toString();
        }
      }
    }
  }

  private static boolean closedWithin(Socket s, Duration limit) throws IOException {
    s.setSoTimeout((int) limit.toMillis());
    try {
      return s.getInputStream().read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  private void awaitOpen(int expected) throws InterruptedException {
    for (int i = 0; i < 100 && server.openConnections() != expected; i++) {
      Thread.sleep(20);
    }
    assertThat(server.openConnections()).isEqualTo(expected);
  }
}
