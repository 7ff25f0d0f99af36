package io.lvsoperator.agent.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lvsoperator.api.v1alpha1.LvsNodeStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The head's status reports services without quorum within a bound. */
class KubernetesModeQuorumTest {
  private static List<LvsNodeStatus.QuorumStatus> lost(int count) {
    List<LvsNodeStatus.QuorumStatus> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(
          new LvsNodeStatus.QuorumStatus(
              "10.0." + i / 250 + "." + i % 250 + ":80/TCP",
              "default/vs-" + i,
              0,
              1,
              false,
              "2026-12-03T12:00:00Z"));
    }
    return out;
  }

  @Test
  void aFewServicesWithoutQuorumAreReportedAll() {
    List<LvsNodeStatus.QuorumStatus> few = lost(3);
    assertThat(KubernetesMode.boundedQuorumLost(few, KubernetesMode.QUORUM_LIMIT_BYTES))
        .isEqualTo(few);
  }

  @Test
  void tenThousandServicesWithoutQuorumAreCutToTheLimitInTheirOrder() throws Exception {
    List<LvsNodeStatus.QuorumStatus> all = lost(10_000);
    List<LvsNodeStatus.QuorumStatus> kept =
        KubernetesMode.boundedQuorumLost(all, KubernetesMode.QUORUM_LIMIT_BYTES);

    assertThat(kept).isNotEmpty().hasSizeLessThan(all.size());
    assertThat(kept).isEqualTo(all.subList(0, kept.size()));
    assertThat(new ObjectMapper().writeValueAsBytes(kept).length)
        .isLessThanOrEqualTo(KubernetesMode.QUORUM_LIMIT_BYTES);
    assertThat(new ObjectMapper().writeValueAsBytes(all.subList(0, kept.size() + 1)).length)
        .as("one more would not fit")
        .isGreaterThan(KubernetesMode.QUORUM_LIMIT_BYTES);
  }
}
