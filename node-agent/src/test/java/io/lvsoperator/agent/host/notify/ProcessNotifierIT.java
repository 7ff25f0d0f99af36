package io.lvsoperator.agent.host.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lvsoperator.agent.node.NotifyCommands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes (/bin/sh): order per instance, arguments, the timeout, and bounded waiting. */
class ProcessNotifierIT {
  @TempDir Path dir;

  private NotifyCommands.Command sh(String instance, String script, long timeoutMs) {
    return new NotifyCommands.Command(
        instance, "MASTER", List.of("/bin/sh", "-c", script), Duration.ofMillis(timeoutMs));
  }

  private String file(String name) throws Exception {
    Path p = dir.resolve(name);
    return Files.exists(p) ? Files.readString(p) : "";
  }

  @Test
  void commandsOfOneInstanceRunInOrderWithTheirArguments() throws Exception {
    Path out = dir.resolve("order");
    try (var notifier = new ProcessNotifier(4)) {
      // The first sleeps: the second must still run after it.
      notifier.submit(
          List.of(
              sh("eth0-51", "sleep 0.5; echo one >> " + out, 5000),
              new NotifyCommands.Command(
                  "eth0-51",
                  "MASTER",
                  List.of(
                      "/bin/sh",
                      "-c",
                      "echo \"$@\" >> " + out,
                      "notify",
                      "INSTANCE",
                      "eth0-51",
                      "MASTER",
                      "150"),
                  Duration.ofSeconds(5))));
      notifier.submit(List.of(sh("eth0-51", "echo three >> " + out, 5000)));
      await().atMost(Duration.ofSeconds(20)).until(() -> file("order").lines().count() == 3);
    }
    assertThat(file("order").lines())
        .containsExactly("one", "INSTANCE eth0-51 MASTER 150", "three");
  }

  @Test
  void aHungCommandIsKilledAfterItsTimeoutAndHoldsUpNoOtherInstance() throws Exception {
    Path pid = dir.resolve("hung.pid");
    try (var notifier = new ProcessNotifier(2)) {
      long start = System.nanoTime();
      notifier.submit(List.of(sh("eth0-51", "echo $$ > " + pid + "; exec sleep 600", 5000)));
      notifier.submit(List.of(sh("eth0-52", "echo other > " + dir.resolve("other"), 5000)));
      await().atMost(Duration.ofSeconds(10)).until(() -> file("other").equals("other\n"));
      await().atMost(Duration.ofSeconds(10)).until(() -> !file("hung.pid").isBlank());
      long hung = Long.parseLong(file("hung.pid").strip());
      assertThat(ProcessHandle.of(hung).map(ProcessHandle::isAlive).orElse(false))
          .as("the other instance's command ran while the first one hung")
          .isTrue();
      // The next command of the hung instance runs once the hung one is killed.
      notifier.submit(List.of(sh("eth0-51", "echo after > " + dir.resolve("after"), 5000)));
      await().atMost(Duration.ofSeconds(10)).until(() -> file("after").equals("after\n"));
      assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(5000);
      assertThat(ProcessHandle.of(hung).map(ProcessHandle::isAlive).orElse(false))
          .as("the hung command was killed")
          .isFalse();
    }
  }

  @Test
  void closeLetsQueuedCommandsFinishWithinTheBoundThenKillsTheRest() throws Exception {
    var notifier = new ProcessNotifier(4);
    notifier.submit(
        List.of(sh("eth0-51", "sleep 0.3; echo stopped > " + dir.resolve("stop"), 5000)));
    notifier.submit(
        List.of(
            sh("eth0-52", "echo $$ > " + dir.resolve("long.pid") + "; exec sleep 600", 60_000)));
    await().atMost(Duration.ofSeconds(10)).until(() -> !file("long.pid").isBlank());
    long start = System.nanoTime();
    notifier.close(Duration.ofSeconds(2));
    assertThat((System.nanoTime() - start) / 1_000_000).isBetween(1_500L, 8_000L);
    assertThat(file("stop")).isEqualTo("stopped\n");
    long longPid = Long.parseLong(file("long.pid").strip());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> !ProcessHandle.of(longPid).map(ProcessHandle::isAlive).orElse(false));
    notifier.submit(List.of(sh("eth0-51", "echo late > " + dir.resolve("late"), 5000)));
    Thread.sleep(500);
    assertThat(file("late")).as("nothing runs after close").isEmpty();
  }

  @Test
  void aCommandThatCannotStartIsLoggedAndTheNextOneStillRuns() throws Exception {
    try (var notifier = new ProcessNotifier(1)) {
      notifier.submit(
          List.of(
              new NotifyCommands.Command(
                  "eth0-51", "BACKUP", List.of("/nonexistent/notify"), Duration.ofSeconds(1)),
              sh("eth0-51", "echo ran > " + dir.resolve("ran"), 5000)));
      await().atMost(Duration.ofSeconds(10)).until(() -> file("ran").equals("ran\n"));
    }
  }
}
