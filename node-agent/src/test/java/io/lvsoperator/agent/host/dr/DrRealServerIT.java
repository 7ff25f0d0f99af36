package io.lvsoperator.agent.host.dr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lvsoperator.testing.HostCommands;
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

  private String runChild(String op, String vips) {
    return runChild(op, nif, vips);
  }

  private String runChild(String op, String interfaces, String vips) {
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(DrRealServerChild.class.getName());
    command.add(state.toString());
    command.add(op);
    command.add(interfaces);
    command.add(vips);
    return HostCommands.check(command.toArray(String[]::new));
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

  /**
   * A VLAN-style name with a dot ({@code <veth>.100}, the test's random veth name with {@code .100}
   * appended): its sysctls live at {@code /proc/sys/net/ipv4/conf/<veth>.100/}, and sysctl(8)
   * reaches them only in the '/' form. A VLAN when the kernel has 802.1Q, else a veth of the same
   * name (dots are fine there too). An invalid name and a missing interface in the same list are
   * reported and skipped, and do not stop the rest.
   */
  @Test
  void dottedInterfaceIsSetAndRestoredAndBadOnesAreSkipped() {
    String dotted = nif + ".100";
    HostCommands.Result vlan =
        HostCommands.run(
            "ip", "-n", namespace, "link", "add", "link", nif, "name", dotted, "type", "vlan", "id",
            "100");
    if (vlan.exitCode() != 0) {
      // No 8021q here ("Unknown device type"): a veth with a dotted name tests the same paths.
      HostCommands.check(
          "ip",
          "-n",
          namespace,
          "link",
          "add",
          dotted,
          "type",
          "veth",
          "peer",
          "name",
          namespace + "c");
    }
    String dottedConf = "net/ipv4/conf/" + dotted + "/";
    sysctlSet(dottedConf + "arp_announce", "1");
    assertThat(sysctlGet(dottedConf + "arp_ignore")).isEqualTo("0");

    String reported = runChild("apply", nif + "," + dotted + ",bad/name,gone0", "172.31.253.101");

    assertThat(reported.lines().toList())
        .as("one line per skipped interface, naming it")
        .containsExactly(
            "DR interface 'bad/name': not a valid Linux interface name (1-15 bytes, no '/', ':' or"
                + " whitespace, not '.' or '..'); skipped",
            "DR interface 'gone0': sysctl net/ipv4/conf/gone0/arp_ignore: does not exist"
                + " (/proc/sys/net/ipv4/conf/gone0/arp_ignore); skipped");
    assertThat(sysctlGet("net.ipv4.conf.all.arp_ignore")).isEqualTo("1");
    assertThat(sysctlGet("net.ipv4.conf." + nif + ".arp_ignore")).isEqualTo("1");
    assertThat(sysctlGet(dottedConf + "arp_ignore")).isEqualTo("1");
    assertThat(sysctlGet(dottedConf + "arp_announce")).isEqualTo("2");
    assertThat(
            HostCommands.check(
                    "ip",
                    "netns",
                    "exec",
                    namespace,
                    "cat",
                    "/proc/sys/" + dottedConf + "arp_ignore")
                .strip())
        .isEqualTo("1");
    assertThat(HostCommands.check("ip", "-n", namespace, "-br", "addr", "show", "dev", "lo"))
        .contains("172.31.253.101/32");

    runChild("cleanup", "");

    assertThat(HostCommands.check("ip", "-n", namespace, "-br", "addr", "show", "dev", "lo"))
        .doesNotContain("172.31.253.101");
    assertThat(sysctlGet(dottedConf + "arp_ignore")).isEqualTo("0");
    assertThat(sysctlGet(dottedConf + "arp_announce")).isEqualTo("1");
    assertThat(sysctlGet("net.ipv4.conf." + nif + ".arp_announce")).isEqualTo("1");
    assertThat(sysctlGet("net.ipv4.conf.all.arp_ignore")).isEqualTo("0");
  }
}
