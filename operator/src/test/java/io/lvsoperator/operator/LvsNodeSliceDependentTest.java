package io.lvsoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.lvsoperator.api.v1alpha1.LvsNodeSlice;
import io.lvsoperator.api.v1alpha1.LvsNodeSliceSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a changed slice is written as a patch of just its changed entries. */
class LvsNodeSliceDependentTest {
  private static final Node NODE =
      new NodeBuilder().withNewMetadata().withName("lvs1").withUid("u1").endMetadata().build();
  private static final Map<String, String> LABELS =
      Map.of(NodeOwned.MANAGED_BY, NodeOwned.OPERATOR, LvsNodeSlice.NODE_LABEL, "lvs1");

  private static LvsNodeSliceSpec.Entry entry(String name, long generation, String vip) {
    return new LvsNodeSliceSpec.Entry(
        new LvsNodeSliceSpec.Source("default", name, generation),
        List.of(new LvsNodeSliceSpec.Vip("eth0-51", vip, 24, null, null, false)),
        List.of(),
        List.of());
  }

  private static LvsNodeSlice slice(boolean owned, LvsNodeSliceSpec.Entry... entries) {
    LvsNodeSlice slice = new LvsNodeSlice();
    slice.setMetadata(new ObjectMetaBuilder().withName("lvs1-0").withLabels(LABELS).build());
    if (owned) {
      slice.getMetadata().setOwnerReferences(List.of(NodeOwned.ownerReference(NODE)));
    }
    slice.setSpec(new LvsNodeSliceSpec("lvs1", List.of(entries)));
    return slice;
  }

  @Test
  void aChangedEntryIsReplacedAloneGuardedByItsVirtualServer() {
    LvsNodeSlice actual =
        slice(
            true, entry("a", 1, "10.0.0.1"), entry("b", 1, "10.0.0.2"), entry("c", 1, "10.0.0.3"));
    LvsNodeSliceSpec.Entry changed = entry("b", 2, "10.0.0.2");
    LvsNodeSlice desired =
        slice(false, entry("a", 1, "10.0.0.1"), changed, entry("c", 1, "10.0.0.3"));

    assertThat(LvsNodeSliceDependent.entryPatch(actual, desired, NODE))
        .containsExactly(
            Map.of("op", "test", "path", "/spec/entries/1/source/namespace", "value", "default"),
            Map.of("op", "test", "path", "/spec/entries/1/source/name", "value", "b"),
            Map.of("op", "replace", "path", "/spec/entries/1", "value", changed));
  }

  @Test
  void anEntryThatCameOrWentOrMovedWritesTheWholeSpec() {
    LvsNodeSlice actual = slice(true, entry("a", 1, "10.0.0.1"), entry("b", 1, "10.0.0.2"));

    assertThat(
            LvsNodeSliceDependent.entryPatch(
                actual,
                slice(
                    false,
                    entry("a", 1, "10.0.0.1"),
                    entry("b", 1, "10.0.0.2"),
                    entry("c", 1, "10.0.0.3")),
                NODE))
        .isNull();
    assertThat(
            LvsNodeSliceDependent.entryPatch(actual, slice(false, entry("a", 1, "10.0.0.1")), NODE))
        .isNull();
    assertThat(
            LvsNodeSliceDependent.entryPatch(
                actual, slice(false, entry("b", 1, "10.0.0.2"), entry("a", 2, "10.0.0.1")), NODE))
        .isNull();
  }

  @Test
  void aSliceWithoutItsOwnerOrUnchangedIsNotEntryPatched() {
    LvsNodeSlice desired = slice(false, entry("a", 2, "10.0.0.1"));

    assertThat(
            LvsNodeSliceDependent.entryPatch(
                slice(false, entry("a", 1, "10.0.0.1")), desired, NODE))
        .as("no owner reference: the whole write adds it")
        .isNull();
    assertThat(
            LvsNodeSliceDependent.entryPatch(slice(true, entry("a", 2, "10.0.0.1")), desired, NODE))
        .as("nothing differs")
        .isNull();
  }
}
