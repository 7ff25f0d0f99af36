package io.lvsoperator.agent.host.ffm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lvsoperator.testing.HostCommands;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A frame sent through one end of a veth pair arrives byte for byte at the other end. */
class PacketSocketIT {

  private String veth;

  @BeforeEach
  void createVeth() {
    assumeTrue(HostCommands.isRoot(), "needs root for AF_PACKET and interfaces");
    veth = HostCommands.uniqueName("kcpk");
    HostCommands.check("ip", "link", "add", veth + "a", "type", "veth", "peer", "name", veth + "b");
    HostCommands.check("ip", "link", "set", veth + "a", "up");
    HostCommands.check("ip", "link", "set", veth + "b", "up");
  }

  @AfterEach
  void removeVeth() {
    if (veth != null) {
      HostCommands.quietly("ip", "link", "del", veth + "a");
    }
  }

  @Test
  void sentFrameArrivesAtThePeer() throws Exception {
    byte[] frame =
        HexFormat.of()
            .parseHex(
                "ffffffffffff"
                    + "020000000001"
                    + "0806" // Ethernet
                    + "0001080006040001"
                    + "020000000001"
                    + "0afb0701" // ARP request, sender
                    + "000000000000"
                    + "0afb0701"); // target = sender: gratuitous
    try (PacketSocket receiver =
            PacketSocket.open(NetworkInterfaces.indexOf(veth + "b"), PacketSocket.ETH_P_ARP);
        PacketSocket sender = PacketSocket.openSender(NetworkInterfaces.indexOf(veth + "a"))) {
      sender.send(frame);

      Optional<byte[]> received = Optional.empty();
      long deadline = System.nanoTime() + 3_000_000_000L;
      while (received.isEmpty() && System.nanoTime() < deadline) {
        received = receiver.receive(200).filter(f -> Arrays.equals(f, frame));
      }
      assertThat(received).isPresent();
    }
  }
}
