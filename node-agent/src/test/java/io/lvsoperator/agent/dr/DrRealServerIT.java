package io.lvsoperator.agent.dr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lvsoperator.agent.ffm.HostCommands;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DR real-server preparation in a network namespace of the test's own: the code runs in a child JVM
 * under {@code ip netns exec} (a JVM cannot move its threads into a namespace), and {@code ip netns
 * exec NS sysctl -n} / {@code ip -n NS addr} are the oracles. The host's sysctls are never touched.
 */
class DrRealServerIT {

  @TempDir Path state;
  private String namespace;
  private String nif;

  @BeforeEach
  void setUp() {
    assumeTrue(HostCommands.isRoot(), "needs root for network namespaces");
    namespace = HostCommands.uniqueName("kcdr");
    nif = namespace + "a";
    HostCommands.check("ip", "netns", "add", namespace);
    HostCommands.check("ip", "-n", namespace, "link", "set", "lo", "up");
    HostCommands.check(
        "ip", "-n", namespace, "link", "add", nif, "type", "veth", "peer", "name", namespace + "b");
    // A value that is neither 0 nor ours, to see it come back.
    sysctlSet("net.ipv4.conf." + nif + ".arp_announce", "1");
  }

  @AfterEach
  void tearDown() {
    if (namespace != null) {
      HostCommands.quietly("ip", "netns", "del", namespace);
    }
  }

  private String sysctlGet(String key) {
    return HostCommands.check("ip", "netns", "exec", namespace, "sysctl", "-n", key).strip();
  }

  private void sysctlSet(String key, String value) {
    HostCommands.check("ip", "netns", "exec", namespace, "sysctl", "-q", "-w", key + "=" + value);
  }

  private void runChild(String op, String vips) {
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(DrRealServerChild.class.getName());
    command.add(state.toString());
    command.add(op);
    command.add(nif);
    command.add(vips);
    HostCommands.check(command.toArray(String[]::new));
  }

  @Test
  void setsSysctlsPutsVipOnLoAndRestoresOnCleanup() {
    runChild("apply", "172.31.253.100");

    assertThat(sysctlGet("net.ipv4.conf.all.arp_ignore")).isEqualTo("1");
    assertThat(sysctlGet("net.ipv4.conf.all.arp_announce")).isEqualTo("2");
    assertThat(sysctlGet("net.ipv4.conf." + nif + ".arp_ignore")).isEqualTo("1");
    assertThat(sysctlGet("net.ipv4.conf." + nif + ".arp_announce")).isEqualTo("2");
    assertThat(HostCommands.check("ip", "-n", namespace, "-br", "addr", "show", "dev", "lo"))
        .contains("172.31.253.100/32");

    runChild("apply", "172.31.253.100"); // idempotent re-run (e.g. after a crash)
    runChild("cleanup", "");

    assertThat(HostCommands.check("ip", "-n", namespace, "-br", "addr", "show", "dev", "lo"))
        .doesNotContain("172.31.253.100");
    assertThat(sysctlGet("net.ipv4.conf.all.arp_ignore")).isEqualTo("0");
    assertThat(sysctlGet("net.ipv4.conf.all.arp_announce")).isEqualTo("0");
    assertThat(sysctlGet("net.ipv4.conf." + nif + ".arp_announce")).isEqualTo("1");
  }
}
