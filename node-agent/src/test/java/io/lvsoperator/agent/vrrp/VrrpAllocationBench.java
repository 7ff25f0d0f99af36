package io.lvsoperator.agent.vrrp;

import io.lvsoperator.agent.scheduling.ManualScheduler;
import io.lvsoperator.agent.vrrp.codec.ReceiveExpectation;
import io.lvsoperator.agent.vrrp.codec.ReceiveVerdict;
import io.lvsoperator.agent.vrrp.codec.ReceivedAdvert;
import io.lvsoperator.agent.vrrp.codec.VrrpPacketInspector;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * Prints bytes allocated per advert on the receive checks and on a master's advert cycle. Not a
 * test: run with {@code java -cp node-agent/target/classes:node-agent/target/test-classes:...}.
 */
public final class VrrpAllocationBench {
  private static long allocated() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }

  public static void main(String[] args) {
    VrrpInstanceConfig config = TestingVrrp.cfg().priority(100).build();
    ManualScheduler loop = new ManualScheduler();
    InMemoryVrrpNetwork net = new InMemoryVrrpNetwork();
    InMemoryVrrpNetwork.Endpoint a = net.attach("172.20.1.1");
    VrrpRouter master =
        new VrrpRouter(
            config,
            loop,
            new VrrpTransport() {
              @Override
              public byte[] primaryAddress() {
                return new byte[] {(byte) 172, 20, 1, 1};
              }

              @Override
              public void send(byte[] destination, byte[] message, int length) {
                if (destination.length == 0) {
                  a.inject(message);
                }
              }

              @Override
              public void close() {}
            },
            VrrpEffects.NONE,
            t -> {});
    master.start();
    loop.advance(Duration.ofSeconds(10));
    byte[] packet =
        InMemoryVrrpNetwork.ipv4(
            new byte[] {(byte) 172, 20, 1, 1},
            new byte[] {(byte) 224, 0, 0, 18},
            io.lvsoperator.agent.vrrp.codec.VrrpCodec.encode(
                config.advertisement(),
                new byte[] {(byte) 172, 20, 1, 1},
                new byte[] {(byte) 224, 0, 0, 18}),
            12);
    ReceiveExpectation expectation = config.receiveExpectation();
    ReceiveExpectation.Lookup lookup = vrid -> expectation;
    ReceivedAdvert out = new ReceivedAdvert();
    byte[] self = {(byte) 172, 20, 1, 2};
    int n = 2_000_000;
    for (int round = 0; round < 3; round++) {
      long before = allocated();
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        if (VrrpPacketInspector.inspect(packet, packet.length, lookup, self, out)
            != ReceiveVerdict.ACCEPTED) {
          throw new AssertionError();
        }
      }
      long ns = System.nanoTime() - start;
      System.out.printf(
          "receive-checks round=%d bytesPerPacket=%.2f nsPerPacket=%.1f%n",
          round, (allocated() - before) / (double) n, ns / (double) n);
    }
    for (int round = 0; round < 3; round++) {
      long sent = master.advertsSent();
      long before = allocated();
      loop.advance(Duration.ofHours(100));
      long adverts = master.advertsSent() - sent;
      System.out.printf(
          "master-advert-cycle round=%d adverts=%d bytesPerAdvert=%.1f (includes the fake"
              + " loop's task object)%n",
          round, adverts, (allocated() - before) / (double) adverts);
    }
  }
}
