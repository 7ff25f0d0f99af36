package io.lvsoperator.agent.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvsoperator.agent.vrrp.VrrpState;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.testing.TestingSpecs;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** keepalived's notify lines: which run on which state, with which words and arguments. */
class NotifyCommandsTest {
  private static LvsNodeSpec.VrrpInstance instance(LvsNodeSpec.Notify notify) {
    LvsNodeSpec.VrrpInstance plain =
        TestingSpecs.vrrpInstance("eth0-51", "eth0", 51)
            .priority(150)
            .vip("172.20.1.100", 16, null)
            .build();
    return new LvsNodeSpec.VrrpInstance(
        plain.name(),
        plain.interfaceName(),
        plain.virtualRouterId(),
        plain.priority(),
        plain.version(),
        plain.advertIntervalMs(),
        plain.preempt(),
        plain.preemptDelayMs(),
        plain.accept(),
        plain.authPass(),
        plain.unicastPeers(),
        plain.vips(),
        plain.trackInterfaces(),
        plain.garp(),
        List.of(),
        null,
        notify,
        null,
        null);
  }

  private static final LvsNodeSpec.Notify ALL =
      new LvsNodeSpec.Notify(
          "/etc/keepalived/notify.sh master",
          "/etc/keepalived/notify.sh backup",
          "sh -c \"echo fault >> /tmp/state\"",
          "/etc/keepalived/stop.sh",
          "/usr/bin/keepalived_notify_monitoring.sh",
          2000);

  @Test
  void theStatesOwnCommandRunsFirstThenAnyWithKeepalivedsFourArguments() {
    assertThat(NotifyCommands.on(instance(ALL), VrrpState.MASTER))
        .containsExactly(
            new NotifyCommands.Command(
                "eth0-51",
                "MASTER",
                List.of("/etc/keepalived/notify.sh", "master"),
                Duration.ofSeconds(2)),
            new NotifyCommands.Command(
                "eth0-51",
                "MASTER",
                List.of(
                    "/usr/bin/keepalived_notify_monitoring.sh",
                    "INSTANCE",
                    "eth0-51",
                    "MASTER",
                    "150"),
                Duration.ofSeconds(2)));
    assertThat(NotifyCommands.on(instance(ALL), VrrpState.FAULT).getFirst().argv())
        .containsExactly("sh", "-c", "echo fault >> /tmp/state");
    assertThat(NotifyCommands.on(instance(ALL), VrrpState.INITIALIZE))
        .extracting(c -> String.join(" ", c.argv()))
        .as("stopping is keepalived's STOP")
        .containsExactly(
            "/etc/keepalived/stop.sh",
            "/usr/bin/keepalived_notify_monitoring.sh INSTANCE eth0-51 STOP 150");
  }

  @Test
  void onlyWhatIsConfiguredRuns() {
    var onlyAny = new LvsNodeSpec.Notify(null, null, null, null, "/bin/log-state", 10_000);
    assertThat(NotifyCommands.on(instance(onlyAny), VrrpState.BACKUP))
        .singleElement()
        .extracting(NotifyCommands.Command::argv)
        .isEqualTo(List.of("/bin/log-state", "INSTANCE", "eth0-51", "BACKUP", "150"));
    var onlyMaster = new LvsNodeSpec.Notify("/bin/up", null, null, null, null, 10_000);
    assertThat(NotifyCommands.on(instance(onlyMaster), VrrpState.BACKUP)).isEmpty();
    assertThat(NotifyCommands.on(instance(null), VrrpState.MASTER)).isEmpty();
  }

  @Test
  void wordsSplitOnWhitespaceAndDoubleQuotesGroup() {
    assertThat(NotifyCommands.words("  /bin/echo   a\tb ")).containsExactly("/bin/echo", "a", "b");
    assertThat(NotifyCommands.words("sh -c \"echo a  b\" x\"y z\""))
        .containsExactly("sh", "-c", "echo a  b", "xy z");
    assertThat(NotifyCommands.words("echo \"\"")).containsExactly("echo", "");
    assertThat(NotifyCommands.words("echo \"never closed")).containsExactly("echo", "never closed");
    assertThat(NotifyCommands.words("   ")).isEmpty();
  }
}
