package io.lvsoperator.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lvsoperator.agent.standalone.StandaloneMode;
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
    return new StandaloneMode(dir, NodeInfo.named(node), Map.of(), applied::add);
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
        .anyMatch(e -> e.contains("spec.vrrp.advertIntervalMs: 1500 must be whole seconds"));
    assertThat(reload.changed()).isFalse();
    assertThat(applied).hasSize(1);
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

  private static void copyReference(Path dir) throws Exception {
    for (String f : List.of("virtualserver.yaml", "realservers.yaml")) {
      Files.copy(Path.of("..", "examples", "reference", f), dir.resolve(f));
    }
  }
}
