package io.lvsoperator.agent.host.ffm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lvsoperator.testing.HostCommands;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Raw IPv4 (protocol 112) on one end of a veth pair in the root namespace: multicast looped back
 * locally shows TTL, arrival interface, source selection. Unique interface name, removed after.
 */
class Ipv4RawSocketIT {

  private static final int IPPROTO_VRRP = 112;
  private String dummy;
  private int index;
  private Inet4Address group;
  private Inet4Address primary;
  private Inet4Address secondary;

  @BeforeEach
  void createDummy() throws Exception {
    assumeTrue(HostCommands.isRoot(), "needs root for raw sockets and interfaces");
    dummy = HostCommands.uniqueName("kcraw");
    HostCommands.check("ip", "link", "add", dummy, "type", "veth", "peer", "name", dummy + "p");
    HostCommands.check("ip", "link", "set", dummy + "p", "up");
    HostCommands.check("ip", "addr", "add", "10.251.7.1/24", "dev", dummy);
    HostCommands.check("ip", "addr", "add", "10.251.7.2/24", "dev", dummy);
    HostCommands.check("ip", "link", "set", dummy, "up", "multicast", "on");
    index = NetworkInterfaces.indexOf(dummy);
    group = (Inet4Address) InetAddress.getByName("224.0.0.18");
    primary = (Inet4Address) InetAddress.getByName("10.251.7.1");
    secondary = (Inet4Address) InetAddress.getByName("10.251.7.2");
  }

  @AfterEach
  void removeDummy() {
    if (dummy != null) {
      HostCommands.quietly("ip", "link", "del", dummy);
    }
  }

  private Ipv4RawSocket openOnDummy(boolean loop) throws NativeException {
    Ipv4RawSocket socket = Ipv4RawSocket.open(IPPROTO_VRRP);
    socket.bindToDevice(dummy);
    socket.setMulticastInterface(index);
    socket.setMulticastTtl(255);
    socket.setMulticastLoop(loop);
    socket.joinGroup(group, index);
    return socket;
  }

  private static Optional<Ipv4Packet> receiveMatching(Ipv4RawSocket socket, byte[] payload)
      throws NativeException {
    long deadline = System.nanoTime() + 3_000_000_000L;
    while (System.nanoTime() < deadline) {
      Optional<Ipv4Packet> p = socket.receive(200);
      if (p.isPresent() && java.util.Arrays.equals(p.get().payload(), payload)) {
        return p;
      }
    }
    return Optional.empty();
  }

  @Test
  void multicastLoopsBackWithTtlInterfaceAndHeader() throws Exception {
    byte[] payload = "vrrp-test-payload".getBytes(StandardCharsets.US_ASCII);
    try (Ipv4RawSocket socket = openOnDummy(true)) {
      socket.send(payload, group);

      Ipv4Packet packet = receiveMatching(socket, payload).orElseThrow();

      assertThat(packet.ttl()).isEqualTo(255);
      assertThat(packet.interfaceIndex()).isEqualTo(index);
      assertThat(packet.destination()).isEqualTo(group);
      assertThat(packet.source()).isEqualTo(primary);
      assertThat(packet.headerLength()).isEqualTo(20);
      assertThat(packet.packet()[9] & 0xff).isEqualTo(IPPROTO_VRRP);
    }
  }

  @Test
  void pktinfoChoosesTheSourceAddress() throws Exception {
    byte[] payload = "from-secondary".getBytes(StandardCharsets.US_ASCII);
    try (Ipv4RawSocket socket = openOnDummy(true)) {
      socket.send(payload, group, index, secondary);

      Ipv4Packet packet = receiveMatching(socket, payload).orElseThrow();

      assertThat(packet.source()).isEqualTo(secondary);
      assertThat(packet.interfaceIndex()).isEqualTo(index);
    }
  }

  @Test
  void withoutLoopOurOwnMulticastDoesNotComeBack() throws Exception {
    byte[] payload = "no-loop".getBytes(StandardCharsets.US_ASCII);
    try (Ipv4RawSocket socket = openOnDummy(false)) {
      socket.send(payload, group);

      assertThat(receiveMatching(socket, payload)).isEmpty();
    }
  }

  @Test
  void closeFromAnotherThreadEndsAReceiveLoop() throws Exception {
    Ipv4RawSocket socket = openOnDummy(true);
    Thread loop =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    while (!socket.isClosed()) {
                      socket.receive(100);
                    }
                  } catch (NativeException e) {
                    assertThat(e.errno()).isEqualTo(Errno.EBADF);
                  }
                });
    socket.close();
    loop.join(5000);
    assertThat(loop.isAlive()).isFalse();
  }
}
