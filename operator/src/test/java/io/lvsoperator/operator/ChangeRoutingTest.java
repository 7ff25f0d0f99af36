package io.lvsoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import io.lvsoperator.api.v1alpha1.VirtualServerStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which updates are changes to what the compiler reads (and so cost a compile). */
class ChangeRoutingTest {
  private static VirtualServer vs(long generation, Integer vrid, String lastGood, String master) {
    VirtualServer vs = new VirtualServer();
    vs.setMetadata(
        new ObjectMetaBuilder()
            .withName("web")
            .withNamespace("default")
            .withGeneration(generation)
            .build());
    vs.setStatus(
        new VirtualServerStatus(
            generation, List.of(), master, vrid, List.of(), List.of(), "0/0", 0, 0, lastGood));
    return vs;
  }

  private static Node node(String address, boolean ready, String... labels) {
    Map<String, String> l = labels.length == 0 ? Map.of() : Map.of(labels[0], labels[1]);
    return new NodeBuilder()
        .withNewMetadata()
        .withName("lvs1")
        .withUid("u1")
        .withLabels(l)
        .endMetadata()
        .withNewStatus()
        .addNewAddress()
        .withType("InternalIP")
        .withAddress(address)
        .endAddress()
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready ? "True" : "False")
        .withLastHeartbeatTime(ready ? "t1" : "t2")
        .endCondition()
        .endStatus()
        .build();
  }

  @Test
  void aSpecChangeOrADeletionIsAnInputChangeAndAStatusWriteIsNot() {
    VirtualServer before = vs(1, 51, "{}", null);
    assertThat(ChangeRouting.specOrDeletionDiffers(before, vs(1, 51, "{}", "lvs1"))).isFalse();
    assertThat(ChangeRouting.specOrDeletionDiffers(before, vs(2, 51, "{}", null))).isTrue();
    assertThat(ChangeRouting.specOrDeletionDiffers(null, before)).isTrue();
    assertThat(ChangeRouting.specOrDeletionDiffers(before, null)).isTrue();
  }

  @Test
  void theOperatorsOwnVridAndLastGoodWritesCostNoCompileButForeignOnesDo() {
    Optional<Integer> compiled51 = Optional.of(51);
    Optional<Boolean> valid = Optional.of(false);
    // Our first status write: the VRID the compile allocated, the current spec as last good.
    assertThat(ChangeRouting.statusFeedbackMatters(null, 51, null, "{g1}", compiled51, valid))
        .isFalse();
    // Someone wrote another VRID: the compiler would prefer it.
    assertThat(ChangeRouting.statusFeedbackMatters(51, 77, "{g1}", "{g1}", compiled51, valid))
        .isTrue();
    // A new last good spec matters only while the object is invalid (then it runs as that one).
    assertThat(
            ChangeRouting.statusFeedbackMatters(
                51, 51, "{g1}", "{g2}", compiled51, Optional.of(true)))
        .isTrue();
    // An object the last compile did not know: anything it carries is news.
    assertThat(
            ChangeRouting.statusFeedbackMatters(
                null, 51, null, "{g1}", Optional.empty(), Optional.empty()))
        .isTrue();
  }

  @Test
  void aKubeletHeartbeatOrReadinessIsNoConfigChangeButLabelsAndAddressesAre() {
    Node before = node("10.0.0.1", true);
    assertThat(ChangeRouting.configFieldsDiffer(before, node("10.0.0.1", false))).isFalse();
    assertThat(ChangeRouting.configFieldsDiffer(before, node("10.0.0.2", true))).isTrue();
    assertThat(ChangeRouting.configFieldsDiffer(before, node("10.0.0.1", true, "lvs", "director")))
        .isTrue();
  }

  @Test
  void aSpecWithNullEntriesNamesTheNodesItCanAndThrowsNothing() {
    ClusterCaches caches = new ClusterCaches();
    ChangeRouting routing = new ChangeRouting(null, caches);
    var spec =
        new io.lvsoperator.api.v1alpha1.VirtualServerSpec(
            "10.0.0.1",
            80,
            null,
            null,
            null,
            null,
            null,
            java.util.Arrays.asList(
                null,
                new io.lvsoperator.api.v1alpha1.VirtualServerSpec.InlineRealServer(
                    "10.0.0.9", null, null, null, "rs1")),
            null,
            null,
            null,
            new io.lvsoperator.api.v1alpha1.VirtualServerSpec.Directors(
                java.util.Arrays.asList(
                    null,
                    new io.lvsoperator.api.v1alpha1.VirtualServerSpec.DirectorNode("lvs1", null)),
                null));

    assertThat(routing.nodesNamedBy(spec)).containsExactlyInAnyOrder("lvs1", "rs1");
  }
}
