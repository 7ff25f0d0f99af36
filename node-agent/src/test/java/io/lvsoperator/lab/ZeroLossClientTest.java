package io.lvsoperator.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The zero-loss scenario's instrument: it must see a reset, a stall, and nothing when all is well.
 */
class ZeroLossClientTest {

  private ZeroLossEchoServer server;
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
    server = new ZeroLossEchoServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
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
