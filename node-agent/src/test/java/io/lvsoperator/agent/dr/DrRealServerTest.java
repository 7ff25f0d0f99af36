package io.lvsoperator.agent.dr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DrRealServerTest {

  @TempDir Path proc;
  @TempDir Path state;
  private Sysctl sysctl;
  private final List<String> loopbackLog = new ArrayList<>();
  private DrRealServer.LoopbackAddresses loopback;

  @BeforeEach
  void fakeProcSys() throws IOException {
    for (String nif : List.of("all", "eth0", "lo")) {
      Path dir = Files.createDirectories(proc.resolve("net/ipv4/conf/" + nif));
      Files.writeString(dir.resolve("arp_ignore"), "0\n");
      Files.writeString(dir.resolve("arp_announce"), nif.equals("eth0") ? "1\n" : "0\n");
    }
    sysctl = new Sysctl(proc);
    loopback =
        new DrRealServer.LoopbackAddresses() {
          @Override
          public void add(Inet4Address vip) throws IOException {
            // The invariant DR needs: no VIP on lo before the node stops answering ARP for it.
            assertThat(sysctl.read("net.ipv4.conf.all.arp_ignore")).isEqualTo("1");
            assertThat(sysctl.read("net.ipv4.conf.all.arp_announce")).isEqualTo("2");
            assertThat(sysctl.read("net.ipv4.conf.eth0.arp_ignore")).isEqualTo("1");
            loopbackLog.add("add " + vip.getHostAddress());
          }

          @Override
          public void remove(Inet4Address vip) {
            loopbackLog.add("remove " + vip.getHostAddress());
          }
        };
  }

  private static Inet4Address ip(String s) throws IOException {
    return (Inet4Address) InetAddress.getByName(s);
  }

  @Test
  void setsSysctlsBeforeTheVipAndRestoresThemAfter() throws Exception {
    DrRealServer dr = new DrRealServer(sysctl, loopback, state);

    dr.apply(List.of(ip("172.20.1.100")), List.of("eth0"));

    assertThat(loopbackLog).containsExactly("add 172.20.1.100");
    assertThat(sysctl.read("net.ipv4.conf.eth0.arp_announce")).isEqualTo("2");
    assertThat(dr.heldVips()).containsExactly("172.20.1.100");

    dr.cleanup();

    assertThat(loopbackLog).containsExactly("add 172.20.1.100", "remove 172.20.1.100");
    assertThat(sysctl.read("net.ipv4.conf.all.arp_ignore")).isEqualTo("0");
    assertThat(sysctl.read("net.ipv4.conf.all.arp_announce")).isEqualTo("0");
    assertThat(sysctl.read("net.ipv4.conf.eth0.arp_announce")).isEqualTo("1");
    assertThat(state.resolve("dr-real-server.properties")).doesNotExist();
  }

  @Test
  void restartAfterCrashRestoresTheValuesFromBeforeUsNotOurs() throws Exception {
    new DrRealServer(sysctl, loopback, state).apply(List.of(ip("172.20.1.100")), List.of("eth0"));
    // Crash. A new process runs apply again (values are now ours), then is uninstalled.
    DrRealServer restarted = new DrRealServer(sysctl, loopback, state);
    restarted.apply(List.of(ip("172.20.1.100")), List.of("eth0"));
    restarted.cleanup();

    assertThat(sysctl.read("net.ipv4.conf.all.arp_ignore")).isEqualTo("0");
    assertThat(sysctl.read("net.ipv4.conf.eth0.arp_announce")).isEqualTo("1");
  }

  @Test
  void droppingOneVipKeepsTheSysctls() throws Exception {
    DrRealServer dr = new DrRealServer(sysctl, loopback, state);
    dr.apply(List.of(ip("172.20.1.100"), ip("172.20.1.101")), List.of("eth0"));

    dr.apply(List.of(ip("172.20.1.101")), List.of("eth0"));

    assertThat(loopbackLog).endsWith("remove 172.20.1.100");
    assertThat(dr.heldVips()).containsExactly("172.20.1.101");
    assertThat(sysctl.read("net.ipv4.conf.all.arp_ignore")).isEqualTo("1");
  }

  @Test
  void cleanupWithNothingDoneChangesNothing() throws Exception {
    new DrRealServer(sysctl, loopback, state).cleanup();

    assertThat(loopbackLog).isEmpty();
    assertThat(sysctl.read("net.ipv4.conf.eth0.arp_announce")).isEqualTo("1");
  }
}
