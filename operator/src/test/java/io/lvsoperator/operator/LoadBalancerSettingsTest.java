package io.lvsoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadBalancerSettingsTest {
  @Test
  void onForItsOwnClassByDefault() {
    assertThat(LoadBalancerSettings.from(Map.of(), new String[0]))
        .isEqualTo(new LoadBalancerSettings(true, false));
  }

  @Test
  void flagsOverrideTheEnvironment() {
    assertThat(
            LoadBalancerSettings.from(
                Map.of("LOAD_BALANCER", "false", "LOAD_BALANCER_DEFAULT_CLASS", "true"),
                new String[] {"--load-balancer=true", "--lease-name=x"}))
        .isEqualTo(new LoadBalancerSettings(true, true));
  }

  @Test
  void notABooleanIsNamed() {
    assertThatThrownBy(
            () -> LoadBalancerSettings.from(Map.of("LOAD_BALANCER", "yes"), new String[0]))
        .hasMessage("LOAD_BALANCER: yes is not true or false");
  }
}
