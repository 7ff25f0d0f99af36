package io.lvsoperator.agent.nodeconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class NodeConfigTest {

  @Test
  void headSlicesAndPasswordsMergeBackIntoTheCompiledSpec() throws Exception {
    LvsNodeSpec compiled = TestingNodeConfigs.reference("lvs1");
    NodeConfig config = TestingNodeConfigs.split("lvs1", compiled, 3);

    assertThat(config.headIsComplete()).isFalse();
    assertThat(config.needsPasswords()).as("the reference uses PASS").isTrue();
    assertThat(config.head().vrrpInstances().getFirst().authPass()).isNull();
    assertThat(config.spec()).isEqualTo(compiled);
  }

  @Test
  void aMissingPasswordIsAnErrorNamingItsKey() throws Exception {
    NodeConfig config =
        TestingNodeConfigs.split("lvs1", TestingNodeConfigs.reference("lvs1"), 3)
            .withPasswords(Map.of());

    assertThatThrownBy(config::spec)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("authPassKey: vs_default.web has no value");
  }

  @Test
  void aCompleteHeadFromAnOperatorWithoutSlicesIsAppliedAsItIs() throws Exception {
    LvsNodeSpec compiled = TestingNodeConfigs.reference("lvs1");
    NodeConfig config = new NodeConfig(compiled, 2, new TreeMap<>(), Map.of());

    assertThat(config.headIsComplete()).isTrue();
    assertThat(config.needsPasswords()).isFalse();
    assertThat(config.spec()).isSameAs(compiled);
  }

  @Test
  void noHeadMeansNoVrrpInstancesButTheSlicesServicesStay() throws Exception {
    NodeConfig split = TestingNodeConfigs.split("lvs1", TestingNodeConfigs.reference("lvs1"), 3);
    NodeConfig headless = new NodeConfig(null, 0, split.slices(), Map.of());

    assertThat(headless.spec().vrrpInstances()).isEmpty();
    assertThat(headless.spec().ipvsServices()).hasSize(1);
    assertThat(NodeConfig.NONE.spec()).isEqualTo(LvsNodeSpec.empty());
  }
}
