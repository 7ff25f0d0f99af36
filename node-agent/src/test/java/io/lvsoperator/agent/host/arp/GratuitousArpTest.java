package io.lvsoperator.agent.host.arp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GratuitousArpTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] MAC = HEX.parseHex("020000c0ffee");

  @Test
  void announcementFrameBytes() throws Exception {
    byte[] frame =
        GratuitousArp.frame(
            MAC,
            (Inet4Address) InetAddress.getByName("172.20.1.100"),
            GratuitousArp.Operation.REQUEST);

    assertThat(HEX.formatHex(frame))
        .isEqualTo(
            "ffffffffffff" // destination: broadcast
                + "020000c0ffee" // source: our MAC
                + "0806" // ETH_P_ARP
                + "0001" // ARPHRD_ETHER
                + "0800" // ETH_P_IP
                + "06"
                + "04" // hlen, plen
                + "0001" // ARPOP_REQUEST
                + "020000c0ffee"
                + "ac140164" // sender MAC, sender IP = VIP
                + "000000000000"
                + "ac140164"); // target MAC unknown, target IP = VIP
  }

  @Test
  void replyFormCarriesOurMacAsTarget() throws Exception {
    byte[] frame =
        GratuitousArp.frame(
            MAC, (Inet4Address) InetAddress.getByName("10.0.0.1"), GratuitousArp.Operation.REPLY);

    assertThat(HEX.formatHex(frame, 20, 22)).isEqualTo("0002");
    assertThat(HEX.formatHex(frame, 32, 38)).isEqualTo("020000c0ffee");
  }

  @Test
  void badMacIsRejected() {
    assertThatThrownBy(
            () ->
                GratuitousArp.frame(
                    new byte[4],
                    (Inet4Address) InetAddress.getByName("10.0.0.1"),
                    GratuitousArp.Operation.REQUEST))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("10.0.0.1: MAC of 4 bytes");
  }

  @Test
  void senderSendsCountRoundsOfEveryVip() throws Exception {
    List<byte[]> frames = new CopyOnWriteArrayList<>();
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      GratuitousArpSender sender =
          new GratuitousArpSender(scheduler, nif -> frames::add, nif -> MAC);
      List<Inet4Address> vips =
          List.of(
              (Inet4Address) InetAddress.getByName("10.0.0.1"),
              (Inet4Address) InetAddress.getByName("10.0.0.2"));

      int sent = sender.announce("eth0", vips, 3, Duration.ofMillis(1)).get(5, TimeUnit.SECONDS);

      assertThat(sent).isEqualTo(6);
      assertThat(frames).hasSize(6);
      assertThat(HEX.formatHex(frames.get(1), 28, 32)).isEqualTo("0a000002");
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void aRoundWhoseSocketCannotOpenIsSkippedAndTheNextOneStillRuns() throws Exception {
    List<byte[]> frames = new CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicInteger opened =
        new java.util.concurrent.atomic.AtomicInteger();
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      GratuitousArpSender sender =
          new GratuitousArpSender(
              scheduler,
              nif -> {
                if (opened.incrementAndGet() == 1) {
                  throw new java.io.IOException("socket(AF_PACKET): ENOBUFS");
                }
                return frames::add;
              },
              nif -> MAC);
      List<Inet4Address> vips =
          List.of(
              (Inet4Address) InetAddress.getByName("10.0.0.1"),
              (Inet4Address) InetAddress.getByName("10.0.0.2"));

      int sent = sender.announce("eth0", vips, 3, Duration.ofMillis(1)).get(5, TimeUnit.SECONDS);

      assertThat(opened).as("one channel per round, not per frame").hasValue(3);
      assertThat(sent).isEqualTo(4);
      assertThat(frames).hasSize(4);
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void theMacComesFromSysfsAndABadNameIsAnError() throws Exception {
    assertThat(GratuitousArpSender.SYSFS_MAC_LOOKUP.mac("lo")).hasSize(6);
    assertThatThrownBy(() -> GratuitousArpSender.SYSFS_MAC_LOOKUP.mac("nosuchif0"))
        .isInstanceOf(java.io.IOException.class)
        .hasMessage("interface nosuchif0: no such interface or no MAC address");
    assertThatThrownBy(() -> GratuitousArpSender.SYSFS_MAC_LOOKUP.mac("../lo"))
        .isInstanceOf(java.io.IOException.class)
        .hasMessage("interface '../lo': not an interface name");
  }
}
