package io.lvsoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvsoperator.api.v1alpha1.LvsNodeSliceSpec;
import io.lvsoperator.compiler.NodeSlices;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Entry sizes: remembered from a node's last split, measured again when the entry changed. */
class EntrySizesTest {
  private static LvsNodeSliceSpec.Entry entry(String name, String... vips) {
    List<LvsNodeSliceSpec.Vip> list = new ArrayList<>();
    for (String vip : vips) {
      list.add(new LvsNodeSliceSpec.Vip("eth0-51", vip, 24, null, null, false));
    }
    return new LvsNodeSliceSpec.Entry(
        new LvsNodeSliceSpec.Source("default", name, 1), list, List.of(), List.of());
  }

  @Test
  void anEntryIsMeasuredAsJsonAndAChangedOneAgain() {
    EntrySizes sizes = new EntrySizes();
    LvsNodeSliceSpec.Entry one = entry("a", "10.0.0.1");
    LvsNodeSliceSpec.Entry two = entry("a", "10.0.0.1", "10.0.0.2");

    EntrySizes.Split first = sizes.forNode("lvs1");
    assertThat(first.applyAsInt(one)).isEqualTo(NodeSlices.size(one));
    first.done();
    EntrySizes.Split second = sizes.forNode("lvs1");
    assertThat(second.applyAsInt(entry("a", "10.0.0.1"))).isEqualTo(NodeSlices.size(one));
    assertThat(second.applyAsInt(two))
        .isEqualTo(NodeSlices.size(two))
        .isGreaterThan(NodeSlices.size(one));
  }

  @Test
  void onlyTheLastSplitOfNodesThatExistAndHaveEntriesIsKept() {
    EntrySizes sizes = new EntrySizes();
    EntrySizes.Split lvs1 = sizes.forNode("lvs1");
    lvs1.applyAsInt(entry("a", "10.0.0.1"));
    lvs1.done();
    EntrySizes.Split lvs2 = sizes.forNode("lvs2");
    lvs2.applyAsInt(entry("b", "10.0.0.2"));
    lvs2.done();
    assertThat(sizes.nodes()).isEqualTo(2);

    sizes.forNode("lvs2").done(); // nothing to do on lvs2 any more
    assertThat(sizes.nodes()).isEqualTo(1);
    sizes.retainNodes(Set.of("lvs3")::contains); // lvs1 deleted
    assertThat(sizes.nodes()).isZero();
  }
}
