package io.lvsoperator.agent.host.dr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    for (String nif : List.of("all", "eth0", "eth0.100", "lo")) {
      Path dir = Files.createDirectories(proc.resolve("net/ipv4/conf/" + nif));
      Files.writeString(dir.resolve("arp_ignore"), "0\n");
      Files.writeString(dir.resolve("arp_announce"), nif.startsWith("eth0") ? "1\n" : "0\n");
    }
    sysctl = new Sysctl(proc);
    loopback =
        new DrRealServer.LoopbackAddresses() {
          @Override
          public void add(Inet4Address vip) throws IOException {
            // The invariant DR needs: no VIP on lo before the node stops answering ARP for it.
            assertThat(sysctl.read("net/ipv4/conf/all/arp_ignore")).isEqualTo("1");
            assertThat(sysctl.read("net/ipv4/conf/all/arp_announce")).isEqualTo("2");
            assertThat(sysctl.read("net/ipv4/conf/eth0/arp_ignore")).isEqualTo("1");
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
    assertThat(sysctl.read("net/ipv4/conf/eth0/arp_announce")).isEqualTo("2");
    assertThat(dr.heldVips()).containsExactly("172.20.1.100");

    dr.cleanup();

    assertThat(loopbackLog).containsExactly("add 172.20.1.100", "remove 172.20.1.100");
    assertThat(sysctl.read("net/ipv4/conf/all/arp_ignore")).isEqualTo("0");
    assertThat(sysctl.read("net/ipv4/conf/all/arp_announce")).isEqualTo("0");
    assertThat(sysctl.read("net/ipv4/conf/eth0/arp_announce")).isEqualTo("1");
    assertThat(state.resolve("dr-real-server.properties")).doesNotExist();
  }

  @Test
  void restartAfterCrashRestoresTheValuesFromBeforeUsNotOurs() throws Exception {
    new DrRealServer(sysctl, loopback, state).apply(List.of(ip("172.20.1.100")), List.of("eth0"));
    // Crash. A new process runs apply again (values are now ours), then is uninstalled.
    DrRealServer restarted = new DrRealServer(sysctl, loopback, state);
    restarted.apply(List.of(ip("172.20.1.100")), List.of("eth0"));
    restarted.cleanup();

    assertThat(sysctl.read("net/ipv4/conf/all/arp_ignore")).isEqualTo("0");
    assertThat(sysctl.read("net/ipv4/conf/eth0/arp_announce")).isEqualTo("1");
  }

  @Test
  void droppingOneVipKeepsTheSysctls() throws Exception {
    DrRealServer dr = new DrRealServer(sysctl, loopback, state);
    dr.apply(List.of(ip("172.20.1.100"), ip("172.20.1.101")), List.of("eth0"));

    dr.apply(List.of(ip("172.20.1.101")), List.of("eth0"));

    assertThat(loopbackLog).endsWith("remove 172.20.1.100");
    assertThat(dr.heldVips()).containsExactly("172.20.1.101");
    assertThat(sysctl.read("net/ipv4/conf/all/arp_ignore")).isEqualTo("1");
  }

  @Test
  void cleanupWithNothingDoneChangesNothing() throws Exception {
    new DrRealServer(sysctl, loopback, state).cleanup();

    assertThat(loopbackLog).isEmpty();
    assertThat(sysctl.read("net/ipv4/conf/eth0/arp_announce")).isEqualTo("1");
  }

  @Test
  void vlanInterfaceWithADotIsSetAndRestoredUnderItsOwnDirectory() throws Exception {
    DrRealServer dr = new DrRealServer(sysctl, loopback, state);

    List<String> errors = dr.apply(List.of(ip("172.20.1.100")), List.of("eth0", "eth0.100"));

    assertThat(errors).isEmpty();
    assertThat(loopbackLog).containsExactly("add 172.20.1.100");
    Path vlan = proc.resolve("net/ipv4/conf/eth0.100");
    assertThat(vlan.resolve("arp_ignore")).hasContent("1");
    assertThat(vlan.resolve("arp_announce")).hasContent("2");
    // Not the dotted-key reading of the name (conf/eth0/100/...).
    assertThat(proc.resolve("net/ipv4/conf/eth0/100")).doesNotExist();

    dr.cleanup();

    assertThat(vlan.resolve("arp_ignore")).hasContent("0");
    assertThat(vlan.resolve("arp_announce")).hasContent("1");
  }

  @Test
  void invalidInterfaceNamesAreSkippedAndNamedWhileTheRestIsPrepared() throws Exception {
    DrRealServer dr = new DrRealServer(sysctl, loopback, state);

    List<String> errors =
        dr.apply(
            List.of(ip("172.20.1.100")),
            List.of("eth0/1", "eth0", "", "sixteen-bytes-xx", "..", "has space", "a:b"));

    assertThat(errors).hasSize(6);
    assertThat(errors.get(0))
        .isEqualTo(
            "DR interface 'eth0/1': not a valid Linux interface name (1-15 bytes, no '/', ':' or"
                + " whitespace, not '.' or '..'); skipped");
    assertThat(errors)
        .anySatisfy(e -> assertThat(e).startsWith("DR interface '':"))
        .anySatisfy(e -> assertThat(e).startsWith("DR interface 'sixteen-bytes-xx':"))
        .anySatisfy(e -> assertThat(e).startsWith("DR interface '..':"))
        .anySatisfy(e -> assertThat(e).startsWith("DR interface 'has space':"))
        .anySatisfy(e -> assertThat(e).startsWith("DR interface 'a:b':"));
    // The loopback fake checks all and eth0 are set before the VIP goes on lo.
    assertThat(loopbackLog).containsExactly("add 172.20.1.100");
    assertThat(sysctl.read("net/ipv4/conf/eth0/arp_announce")).isEqualTo("2");
    assertThat(proc.resolve("net/ipv4/conf/eth0/1")).doesNotExist();
  }

  @Test
  void interfaceNamesAreJudgedAsTheKernelDoes() {
    assertThat(DrRealServer.isInterfaceName("eth0.100")).isTrue();
    assertThat(DrRealServer.isInterfaceName("ve.1")).isTrue();
    assertThat(DrRealServer.isInterfaceName("fifteen-bytes-x")).isTrue();
    assertThat(DrRealServer.isInterfaceName(".a")).isTrue();
    assertThat(DrRealServer.isInterfaceName("sixteen-bytes-xx")).isFalse();
    assertThat(DrRealServer.isInterfaceName("ééééééééx")).as("17 bytes in UTF-8").isFalse();
    assertThat(DrRealServer.isInterfaceName("")).isFalse();
    assertThat(DrRealServer.isInterfaceName(".")).isFalse();
    assertThat(DrRealServer.isInterfaceName("..")).isFalse();
    assertThat(DrRealServer.isInterfaceName("a/b")).isFalse();
    assertThat(DrRealServer.isInterfaceName("a:b")).isFalse();
    assertThat(DrRealServer.isInterfaceName("a b")).isFalse();
    assertThat(DrRealServer.isInterfaceName("a\tb")).isFalse();
  }

  @Test
  void anInterfaceWhoseSysctlsAreMissingIsSkippedAndTheOthersStillGetSet() throws Exception {
    DrRealServer dr = new DrRealServer(sysctl, loopback, state);

    // "gone0" is a valid name with no /proc/sys directory: it went away after the link dump.
    List<String> errors =
        dr.apply(List.of(ip("172.20.1.100")), List.of("gone0", "eth0", "eth0.100"));

    assertThat(errors)
        .singleElement()
        .asString()
        .startsWith("DR interface 'gone0': sysctl net/ipv4/conf/gone0/arp_ignore: does not exist")
        .endsWith("; skipped");
    assertThat(loopbackLog).containsExactly("add 172.20.1.100");
    assertThat(sysctl.read("net/ipv4/conf/eth0.100/arp_ignore")).isEqualTo("1");

    dr.cleanup();

    assertThat(sysctl.read("net/ipv4/conf/eth0/arp_announce")).isEqualTo("1");
    assertThat(state.resolve("dr-real-server.properties")).doesNotExist();
  }

  @Test
  void whenAllCannotBeSetNoVipGoesOnLo() throws Exception {
    Files.delete(proc.resolve("net/ipv4/conf/all/arp_ignore"));
    DrRealServer dr = new DrRealServer(sysctl, loopback, state);

    assertThatThrownBy(() -> dr.apply(List.of(ip("172.20.1.100")), List.of("eth0")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("net/ipv4/conf/all/arp_ignore");
    assertThat(loopbackLog).isEmpty();
    assertThat(sysctl.read("net/ipv4/conf/eth0/arp_ignore")).isEqualTo("0");
  }

  @Test
  void stateFileWithDottedKeysFromBeforeIsStillRestored() throws Exception {
    // What the previous version wrote: sysctl(8) dotted keys, our values already in place.
    Files.writeString(
        state.resolve("dr-real-server.properties"),
        """
        original.net.ipv4.conf.all.arp_ignore=0
        original.net.ipv4.conf.all.arp_announce=0
        original.net.ipv4.conf.eth0.arp_ignore=0
        original.net.ipv4.conf.eth0.arp_announce=1
        vip.172.20.1.100=lo/32
        """);
    sysctl.write("net/ipv4/conf/all/arp_ignore", "1");
    sysctl.write("net/ipv4/conf/all/arp_announce", "2");
    sysctl.write("net/ipv4/conf/eth0/arp_ignore", "1");
    sysctl.write("net/ipv4/conf/eth0/arp_announce", "2");
    DrRealServer dr = new DrRealServer(sysctl, loopback, state);

    dr.apply(List.of(ip("172.20.1.100")), List.of("eth0")); // must not record 1 and 2 as originals
    dr.cleanup();

    assertThat(sysctl.read("net/ipv4/conf/all/arp_ignore")).isEqualTo("0");
    assertThat(sysctl.read("net/ipv4/conf/eth0/arp_ignore")).isEqualTo("0");
    assertThat(sysctl.read("net/ipv4/conf/eth0/arp_announce")).isEqualTo("1");
  }

  @Test
  void sysctlRefusesTheDottedFormAndPathsThatLeaveTheRoot() {
    assertThatThrownBy(() -> sysctl.read("net.ipv4.conf.all.arp_ignore"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'net.ipv4.conf.all.arp_ignore' has no '/'");
    assertThatThrownBy(() -> sysctl.read("net/ipv4/conf/../../../etc/passwd"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'net/ipv4/conf/../../../etc/passwd'");
  }
}
