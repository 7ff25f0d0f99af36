package io.lvsoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.compiler.CompileResult;
import io.lvsoperator.compiler.Conflict;
import io.lvsoperator.compiler.ObjectKey;
import io.lvsoperator.compiler.RealServerResult;
import io.lvsoperator.compiler.VirtualServerResult;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** What one compile reports as changed since another: exactly the primaries to reconcile. */
class ModelSnapshotTest {
  private static final ObjectKey WEB = new ObjectKey("default", "web");
  private static final ObjectKey NEWER = new ObjectKey("default", "newer");
  private static final ObjectKey RS1 = new ObjectKey("default", "rs1");

  private static LvsNodeSpec carrying(long generation) {
    return new LvsNodeSpec(
        List.of(),
        List.of(),
        List.of(),
        List.of(new LvsNodeSpec.Source("default", "web", generation)));
  }

  private static VirtualServerResult web(long generation) {
    return new VirtualServerResult(
        WEB,
        generation,
        List.of(),
        List.of(),
        generation,
        "eth0-51",
        51,
        List.of(),
        List.of(),
        List.of());
  }

  private static VirtualServerResult newerHeldBack() {
    return new VirtualServerResult(
        NEWER,
        1,
        List.of(),
        List.of(new Conflict(Conflict.Kind.VIP_PORT, WEB, "taken")),
        null,
        null,
        null,
        List.of(),
        List.of(),
        List.of());
  }

  private static ModelSnapshot snapshot(
      long version, Map<String, LvsNodeSpec> nodes, VirtualServerResult... results) {
    TreeMap<ObjectKey, VirtualServerResult> vs = new TreeMap<>();
    for (VirtualServerResult r : results) {
      vs.put(r.key(), r);
    }
    TreeMap<ObjectKey, RealServerResult> rs = new TreeMap<>();
    rs.put(RS1, new RealServerResult(RS1, List.of(), List.of(WEB)));
    return ModelSnapshot.of(version, new CompileResult(new TreeMap<>(nodes), vs, rs));
  }

  @Test
  void aNewGenerationChangesItsNodesItsVerdictAndTheRealServersServingIt() {
    ModelSnapshot before =
        snapshot(1, Map.of("lvs1", carrying(1), "lvs2", carrying(1), "rs1", carrying(1)), web(1));
    ModelSnapshot after =
        snapshot(2, Map.of("lvs1", carrying(2), "lvs2", carrying(2), "rs1", carrying(2)), web(2));

    ModelSnapshot.Changes changes = after.changesSince(before);

    assertThat(changes.nodes()).containsExactly("lvs1", "lvs2", "rs1");
    assertThat(changes.virtualServers()).containsExactly(WEB);
    assertThat(changes.realServers()).containsExactly(RS1);
  }

  @Test
  void anUnchangedCompileChangesNothingAndANodeThatLostEverythingIsChanged() {
    ModelSnapshot one = snapshot(1, Map.of("lvs1", carrying(1), "lvs2", carrying(1)), web(1));
    assertThat(
            snapshot(2, Map.of("lvs1", carrying(1), "lvs2", carrying(1)), web(1))
                .changesSince(one)
                .isEmpty())
        .isTrue();

    ModelSnapshot.Changes lvs2Gone =
        snapshot(3, Map.of("lvs1", carrying(1)), web(1)).changesSince(one);
    assertThat(lvs2Gone.nodes()).containsExactly("lvs2");
    assertThat(lvs2Gone.virtualServers()).isEmpty();
  }

  @Test
  void indexesAnswerWhereAVirtualServerRunsAndWhomItHoldsBack() {
    ModelSnapshot s =
        snapshot(1, Map.of("lvs1", carrying(1), "rs1", carrying(1)), web(1), newerHeldBack());

    assertThat(s.nodesHolding(WEB)).containsExactlyInAnyOrder("lvs1", "rs1");
    assertThat(s.virtualServersOn("rs1")).containsExactly(WEB);
    assertThat(s.realServersOn("lvs1")).containsExactly(RS1);
    assertThat(s.heldBackBy(WEB)).containsExactly(NEWER);
    assertThat(s.nodeConfig("lvs1")).contains(carrying(1));
    assertThat(s.nodeConfig("lvs9")).isEmpty();
  }
}
