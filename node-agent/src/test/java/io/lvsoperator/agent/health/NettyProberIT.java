package io.lvsoperator.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Probes against real servers on loopback: JDK HttpServer, and raw sockets for misbehaviour. */
class NettyProberIT {

  private static final String LOOPBACK = "127.0.0.1";
  private static NettyProber prober;
  private static HttpServer http;
  private static final List<String> hostHeaders = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    prober = NettyProber.create(1);
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    http.createContext("/", ex -> respond(ex, 200, "from " + LOOPBACK));
    http.createContext("/500", ex -> respond(ex, 500, "oops"));
    http.createContext("/404", ex -> respond(ex, 404, "nope"));
    http.createContext(
        "/301",
        ex -> {
          ex.getResponseHeaders().add("Location", "/");
          respond(ex, 301, "");
        });
    http.createContext(
        "/host",
        ex -> {
          hostHeaders.add(ex.getRequestHeaders().getFirst("Host"));
          respond(ex, 200, "ok");
        });
    http.createContext(
        "/slow",
        ex -> {
          sleep(3500);
          respond(ex, 200, "late");
        });
    http.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    http.start();
  }

  @AfterAll
  static void stop() {
    http.stop(0);
    prober.close();
  }

  private static void respond(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Generous timeout: the build host is shared and the first TLS handshake loads a lot. */
  static HealthCheck check(
      CheckType type, String path, List<String> status, String host, String body, String ca) {
    return withTimeout(type, path, status, host, body, ca, 3000);
  }

  static HealthCheck withTimeout(
      CheckType type,
      String path,
      List<String> status,
      String host,
      String body,
      String ca,
      int timeoutMs) {
    return TestingServices.check(type)
        .path(path)
        .expectedStatus(status)
        .host(host)
        .bodyContains(body)
        .caBundle(ca)
        .intervalMs(1000)
        .timeoutMs(timeoutMs)
        .rise(1)
        .fall(1)
        .build();
  }

  private static ProbeResult getWithShortTimeout(int port, String path) throws Exception {
    return probe(
        port, withTimeout(CheckType.HTTP_GET, path, List.of("200"), null, null, null, 300));
  }

  private static ProbeResult probe(int port, HealthCheck check) throws Exception {
    return prober.probe(new HealthCheckKey(LOOPBACK, port, check)).get(5, TimeUnit.SECONDS);
  }

  private static ProbeResult get(int port, String path) throws Exception {
    return probe(port, check(CheckType.HTTP_GET, path, List.of("200"), null, null, null));
  }

  private static int httpPort() {
    return http.getAddress().getPort();
  }

  @Test
  void status200IsUp() throws Exception {
    assertThat(get(httpPort(), "/")).isEqualTo(ProbeResult.ok());
  }

  @Test
  void otherStatusesAreDownWithTheStatusInTheReason() throws Exception {
    assertThat(get(httpPort(), "/500").reason()).isEqualTo("HTTP status 500");
    assertThat(get(httpPort(), "/301").reason()).isEqualTo("HTTP status 301");
    assertThat(get(httpPort(), "/404").reason()).isEqualTo("HTTP status 404");
    // the default accepts 200-299 only: a redirect is still a failure
    var defaults = check(CheckType.HTTP_GET, "/301", List.of(), null, null, null);
    assertThat(probe(httpPort(), defaults).reason()).isEqualTo("HTTP status 301");
    var redirectOk = check(CheckType.HTTP_GET, "/301", List.of("200-299", "301"), null, null, null);
    assertThat(probe(httpPort(), redirectOk).healthy()).isTrue();
  }

  @Test
  void bodySubstringAndHostHeader() throws Exception {
    var match = check(CheckType.HTTP_GET, "/", List.of(), null, "from 127.0.0.1", null);
    assertThat(probe(httpPort(), match).healthy()).isTrue();
    var mismatch = check(CheckType.HTTP_GET, "/", List.of(), null, "from 10.9.9.9", null);
    assertThat(probe(httpPort(), mismatch).reason())
        .isEqualTo("body does not contain \"from 10.9.9.9\"");

    var withHost = check(CheckType.HTTP_GET, "/host", List.of(), "www.example.test", null, null);
    assertThat(probe(httpPort(), withHost).healthy()).isTrue();
    assertThat(get(httpPort(), "/host").healthy()).isTrue();
    assertThat(hostHeaders).contains("www.example.test", LOOPBACK + ":" + httpPort());
  }

  @Test
  void connectionRefused() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    assertThat(get(port, "/").reason()).isEqualTo("connection refused");
    var tcp = check(CheckType.TCP, null, List.of(), null, null, null);
    assertThat(probe(port, tcp).reason()).isEqualTo("connection refused");
  }

  @Test
  void tcpConnectIsUp() throws Exception {
    var tcp = check(CheckType.TCP, null, List.of(), null, null, null);
    assertThat(probe(httpPort(), tcp)).isEqualTo(ProbeResult.ok());
  }

  @Test
  void slowResponseTimesOut() throws Exception {
    long start = System.nanoTime();
    assertThat(getWithShortTimeout(httpPort(), "/slow").reason()).isEqualTo("timeout after 300ms");
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3000);
  }

  @Test
  void acceptThenSilenceTimesOut() throws Exception {
    try (RawServer server = new RawServer(s -> sleep(4000))) {
      assertThat(getWithShortTimeout(server.port(), "/").reason()).isEqualTo("timeout after 300ms");
    }
  }

  @Test
  void resetMidResponse() throws Exception {
    try (RawServer server =
        new RawServer(
            s -> {
              write(s, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial body");
              sleep(50);
              try {
                s.setSoLinger(true, 0); // close with RST
                s.close();
              } catch (IOException e) {
                throw new RuntimeException(e);
              }
            })) {
      assertThat(get(server.port(), "/").reason()).isEqualTo("connection reset");
    }
  }

  @Test
  void cutResponse() throws Exception {
    try (RawServer server =
        new RawServer(s -> write(s, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial"))) {
      assertThat(get(server.port(), "/").reason())
          .isEqualTo("connection closed before the response was complete");
    }
    try (RawServer server = new RawServer(s -> {})) {
      assertThat(get(server.port(), "/").reason())
          .isEqualTo("connection closed without a response");
    }
  }

  @Test
  void garbageIsNotHttp() throws Exception {
    try (RawServer server = new RawServer(s -> write(s, "SSH-2.0-OpenSSH_9.6\r\n"))) {
      assertThat(get(server.port(), "/").reason())
          .isEqualTo("not HTTP: \"SSH-2.0-OpenSSH_9.6\\x0d\\x0a\"");
    }
    try (RawServer server = new RawServer(s -> write(s, "HTTP/1.1 abc nonsense\r\n\r\n"))) {
      assertThat(get(server.port(), "/").reason()).startsWith("not HTTP: ");
    }
  }

  @Test
  void httpsWithSelfSignedCertificate(@TempDir Path dir) throws Exception {
    TestingTls serverCert = TestingTls.generate(dir, "server");
    TestingTls otherCa = TestingTls.generate(dir, "other");
    List<String> sni = new CopyOnWriteArrayList<>();
    HttpsServer https =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    https.setHttpsConfigurator(new HttpsConfigurator(serverCert.serverContext()));
    https.createContext(
        "/",
        ex -> {
          var session = ((HttpsExchange) ex).getSSLSession();
          if (session instanceof ExtendedSSLSession extended) {
            extended.getRequestedServerNames().stream()
                .filter(n -> n instanceof SNIHostName)
                .forEach(n -> sni.add(((SNIHostName) n).getAsciiName()));
          }
          respond(ex, 200, "secure");
        });
    https.start();
    try {
      int port = https.getAddress().getPort();
      var unverified =
          check(CheckType.HTTPS_GET, "/", List.of(), "health.example.test", "secure", null);
      assertThat(probe(port, unverified)).isEqualTo(ProbeResult.ok());
      assertThat(sni).contains("health.example.test");

      var rightCa =
          check(CheckType.HTTPS_GET, "/", List.of(), null, null, serverCert.certificatePem);
      assertThat(probe(port, rightCa)).isEqualTo(ProbeResult.ok());

      var wrongCa = check(CheckType.HTTPS_GET, "/", List.of(), null, null, otherCa.certificatePem);
      assertThat(probe(port, wrongCa).reason()).startsWith("TLS handshake failed: ");

      // plain HTTP against the TLS port is not HTTP
      var plain = check(CheckType.HTTP_GET, "/", List.of(), null, null, null);
      assertThat(probe(port, plain).healthy()).isFalse();
    } finally {
      https.stop(0);
    }
  }

  private static void write(Socket s, String text) {
    try {
      s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }

  /** Accepts connections, reads the request head, then does what it is told, then closes. */
  static final class RawServer implements AutoCloseable {
    private final ServerSocket socket;
    private final Thread thread;

    RawServer(Consumer<Socket> behaviour) throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      thread =
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (!socket.isClosed()) {
                      try {
                        Socket s = socket.accept();
                        Thread.ofVirtual()
                            .start(
                                () -> {
                                  try (s) {
                                    readHead(s.getInputStream());
                                    behaviour.accept(s);
                                  } catch (IOException | RuntimeException e) {
                                    // the client went away
                                  }
                                });
                      } catch (IOException e) {
                        return;
                      }
                    }
                  });
    }

    private static void readHead(InputStream in) throws IOException {
      int state = 0;
      int b;
      while ((b = in.read()) >= 0) {
        state = (b == '\r' || b == '\n') ? state + 1 : 0;
        if (state == 4) {
          return;
        }
      }
    }

    int port() {
      return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      socket.close();
      thread.interrupt();
    }
  }
}
