package io.lvsoperator.agent.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lvsoperator.agent.node.NodeRuntime;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.compiler.NodeInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StandaloneModeTest {
  private final List<LvsNodeSpec> applied = new CopyOnWriteArrayList<>();

  private StandaloneMode mode(Path dir, String node) {
    return new StandaloneMode(
        dir, NodeInfo.named(node), Map.of(), (spec, generation) -> applied.add(spec));
  }

  @Test
  void referenceScenarioAppliesOnceAndAgainOnlyWhenSomethingChanges(@TempDir Path dir)
      throws Exception {
    copyReference(dir);
    var mode = mode(dir, "lvs1");
    var first = mode.reload();
    assertThat(first.changed()).isTrue();
    assertThat(first.errors()).isEmpty();
    assertThat(applied).hasSize(1);
    assertThat(applied.getFirst().vrrpInstances().getFirst().priority()).isEqualTo(100);

    assertThat(mode.reload().changed()).isFalse();
    assertThat(applied).hasSize(1);

    Files.writeString(
        dir.resolve("realservers.yaml"),
        Files.readString(dir.resolve("realservers.yaml")).replace("weight: 1 ", "weight: 3 "));
    assertThat(mode.reload().changed()).isTrue();
    assertThat(applied.getLast().ipvsServices().getFirst().destinations().getFirst().weight())
        .isEqualTo(3);
  }

  @Test
  void unreadableManifestRefusesTheWholeReloadAndKeepsWhatRuns(@TempDir Path dir) throws Exception {
    copyReference(dir);
    var mode = mode(dir, "lvs1");
    mode.reload();
    Files.writeString(
        dir.resolve("realservers.yaml"), "kind: RealServer\nmetadata: {name: rs1}\nspec: [oops");
    var reload = mode.reload();
    assertThat(reload.changed()).isFalse();
    assertThat(reload.errors()).singleElement().asString().contains("realservers.yaml");
    assertThat(applied).hasSize(1);
  }

  @Test
  void invalidVirtualServerKeepsItsLastGoodVersionRunning(@TempDir Path dir) throws Exception {
    copyReference(dir);
    var mode = mode(dir, "lvs1");
    mode.reload();
    Files.writeString(
        dir.resolve("virtualserver.yaml"),
        Files.readString(dir.resolve("virtualserver.yaml"))
            .replace("scheduler: rr", "scheduler: wrr")
            .replace("advertIntervalMs: 1000", "advertIntervalMs: 1500"));
    var reload = mode.reload();
    assertThat(reload.errors())
        .anyMatch(
            e ->
                e.matches(".*/virtualserver\\.yaml document \\d+: VirtualServer default/\\S+: .*")
                    && e.contains("spec.vrrp.advertIntervalMs: 1500 must be whole seconds"));
    assertThat(reload.changed()).isFalse();
    assertThat(applied).hasSize(1);
  }

  @Test
  void invalidRealServerKeepsItsLastGoodVersionRunning(@TempDir Path dir) throws Exception {
    copyReference(dir);
    var mode = mode(dir, "lvs1");
    mode.reload();
    var before = applied.getLast();
    // rs1 broken (its port out of range), rs2 re-weighted: rs2 changes, rs1 runs as it was.
    String text = Files.readString(dir.resolve("realservers.yaml"));
    int second = text.indexOf("kind: RealServer", text.indexOf("kind: RealServer") + 1);
    Files.writeString(
        dir.resolve("realservers.yaml"),
        text.substring(0, second).replace("port: 80", "port: 80000")
            + text.substring(second).replace("weight: 1", "weight: 2"));
    var reload = mode.reload();

    assertThat(reload.errors())
        .singleElement()
        .asString()
        .matches(".*/realservers\\.yaml document 1: RealServer default/\\S+: .*80000.*");
    assertThat(reload.changed()).isTrue();
    var destinations = applied.getLast().ipvsServices().getFirst().destinations();
    assertThat(destinations).hasSize(2);
    assertThat(destinations.getFirst())
        .as("rs1 as it was")
        .isEqualTo(before.ipvsServices().getFirst().destinations().getFirst());
    assertThat(destinations.getLast().weight()).isEqualTo(2);
  }

  @Test
  void aFailingApplyDoesNotStopTheWatcher(@TempDir Path dir) throws Exception {
    copyReference(dir);
    List<LvsNodeSpec> seen = new CopyOnWriteArrayList<>();
    NodeRuntime failsOnce =
        (spec, generation) -> {
          seen.add(spec);
          if (seen.size() == 2) {
            throw new IllegalStateException("apply failed");
          }
        };
    try (var mode = new StandaloneMode(dir, NodeInfo.named("lvs2"), Map.of(), failsOnce)) {
      mode.reload();
      mode.watch(50);
      for (int priority : new int[] {60, 70}) {
        Files.writeString(
            dir.resolve("virtualserver.yaml"),
            Files.readString(dir.resolve("virtualserver.yaml"))
                .replace("priority: " + (priority - 10) + " ", "priority: " + priority + " "));
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> seen.getLast().vrrpInstances().getFirst().priority() == priority);
      }
      assertThat(seen).hasSize(3);
    }
  }

  @Test
  void directoryChangesAreNoticedByTheWatcher(@TempDir Path dir) throws Exception {
    copyReference(dir);
    try (var mode = mode(dir, "lvs2")) {
      mode.reload();
      mode.watch(50);
      Files.writeString(
          dir.resolve("virtualserver.yaml"),
          Files.readString(dir.resolve("virtualserver.yaml"))
              .replace("priority: 50", "priority: 60"));
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(applied.getLast().vrrpInstances().getFirst().priority())
                      .isEqualTo(60));
    }
  }

  @Test
  void vrrpInstanceRunsWithItsMembersAndItsNotifyCommands(@TempDir Path dir) throws Exception {
    copyInstances(dir);
    Files.writeString(
        dir.resolve("vrrpinstance.yaml"),
        Files.readString(dir.resolve("vrrpinstance.yaml"))
            .replace(
                "    vipLabel: eth0:2",
                "    vipLabel: eth0:2\n    notify: {master: /bin/true, timeout: 2s}"));
    var reload = mode(dir, "lvs1").reload();
    assertThat(reload.errors()).isEmpty();
    var instance = applied.getLast().vrrpInstances().getFirst();
    assertThat(instance.definedBy()).isEqualTo("default/web");
    assertThat(instance.priority()).isEqualTo(100);
    assertThat(instance.vips())
        .extracting(LvsNodeSpec.Vip::address)
        .containsExactly("172.20.1.110", "172.20.1.111", "172.20.1.112");
    assertThat(instance.excludedVips())
        .extracting(LvsNodeSpec.Vip::address)
        .containsExactly("172.20.1.120");
    assertThat(instance.notifyCommands().master()).isEqualTo("/bin/true");
    assertThat(instance.notifyCommands().timeoutMs()).isEqualTo(2000);
    assertThat(applied.getLast().ipvsServices()).hasSize(3);
  }

  @Test
  void invalidVrrpInstanceKeepsItsLastGoodVersionRunning(@TempDir Path dir) throws Exception {
    copyInstances(dir);
    var mode = mode(dir, "lvs2");
    mode.reload();
    var before = applied.getLast();
    Files.writeString(
        dir.resolve("vrrpinstance.yaml"),
        Files.readString(dir.resolve("vrrpinstance.yaml"))
            .replace("advertIntervalMs: 1000", "advertIntervalMs: 15")
            .replace("priority: 50", "priority: 60"));
    var reload = mode.reload();
    assertThat(reload.errors())
        .anyMatch(
            e ->
                e.matches(".*/vrrpinstance\\.yaml document 1: VrrpInstance default/web: .*")
                    && e.contains("spec.vrrp.advertIntervalMs: 15"));
    assertThat(reload.changed()).isFalse();
    assertThat(applied).containsExactly(before);

    Files.writeString(
        dir.resolve("vrrpinstance.yaml"),
        Files.readString(dir.resolve("vrrpinstance.yaml"))
            .replace("advertIntervalMs: 15", "advertIntervalMs: 1000"));
    assertThat(mode.reload().changed()).isTrue();
    assertThat(applied.getLast().vrrpInstances().getFirst().priority()).isEqualTo(60);
  }

  private static void copyInstances(Path dir) throws Exception {
    for (String f : List.of("virtualservers.yaml", "vrrpinstance.yaml")) {
      Files.copy(Path.of("..", "examples", "instances", f), dir.resolve(f));
    }
  }

  private static void copyReference(Path dir) throws Exception {
    for (String f : List.of("virtualserver.yaml", "realservers.yaml")) {
      Files.copy(Path.of("..", "examples", "reference", f), dir.resolve(f));
    }
  }
}
