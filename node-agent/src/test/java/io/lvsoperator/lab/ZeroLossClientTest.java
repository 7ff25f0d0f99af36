package io.lvsoperator.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The zero-loss scenario's instrument: it must see a reset, a stall, and nothing when all is well.
 */
class ZeroLossClientTest {

  /** An echo server on localhost that can reset its connections or stop answering. */
  private static final class EchoServer implements AutoCloseable {
    final ServerSocket server;
    final List<Socket> accepted = new CopyOnWriteArrayList<>();
    volatile boolean silent;
    volatile boolean reset;

    EchoServer() throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread.ofVirtual().start(this::accept);
    }

    private void accept() {
      try {
        while (true) {
          Socket s = server.accept();
          accepted.add(s);
          Thread.ofVirtual().start(() -> echo(s));
        }
      } catch (IOException e) {
        // closed
      }
    }

    private void echo(Socket s) {
      try (InputStream in = s.getInputStream();
          OutputStream out = s.getOutputStream()) {
        byte[] buffer = new byte[256];
        int n;
        while ((n = in.read(buffer)) > 0) {
          if (reset) { // closed by the thread that reads it: a close from elsewhere would wait
            s.setSoLinger(true, 0);
            s.close();
            return;
          }
          if (!silent) {
            out.write(buffer, 0, n);
          }
        }
      } catch (IOException e) {
        // reset or closed
      }
    }

    /** As a director without the connection's entry does: RST on the next packet. */
    void resetAll() {
      reset = true;
    }

    InetSocketAddress address() {
      return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket s : accepted) {
        s.close();
      }
    }
  }

  private EchoServer server;
  private ZeroLossClient client;

  @AfterEach
  void tearDown() throws IOException {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private void open(int n) throws Exception {
    server = new EchoServer();
    client = new ZeroLossClient(server.address());
    assertThat(client.open(n, 10_000)).isNull();
    assertThat(client.size()).isEqualTo(n);
  }

  @Test
  void connectionsThatKeepEchoingAreNotBroken() throws Exception {
    open(5);
    client.mark();
    assertThat(client.check(5_000)).isEmpty();
  }

  @Test
  void resetConnectionsAreBroken() throws Exception {
    open(5);
    client.mark();
    server.resetAll();
    List<String> broken = client.check(5_000);
    assertThat(broken).hasSize(5);
    assertThat(broken).allSatisfy(b -> assertThat(b).matches("c\\d (read|write): .*"));
  }

  @Test
  void connectionsThatStallPastTheDeadlineAreBroken() throws Exception {
    open(3);
    server.silent = true;
    Thread.sleep(300); // echoes of lines sent before the silence may still arrive
    client.mark();
    assertThat(client.check(1_000))
        .containsExactlyInAnyOrder(
            "c0 no echo within 1.0 s of the mark",
            "c1 no echo within 1.0 s of the mark",
            "c2 no echo within 1.0 s of the mark");
    server.silent = false;
    assertThat(client.check(5_000)).as("progress again: not broken").isEmpty();
    assertThat(client.longestGapSeconds()).isGreaterThanOrEqualTo(1.0);
  }
}
