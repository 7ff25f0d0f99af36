package io.lvsoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OperatorSettingsTest {
  @Test
  void defaultsWatchAllNamespacesAndTakeTheLeaseInThePodsNamespace() {
    OperatorSettings s =
        OperatorSettings.from(
            Map.of("POD_NAMESPACE", "lvs-system", "POD_NAME", "op-0"), new String[0]);
    assertThat(s.watchNamespaces()).isEmpty();
    assertThat(s.leaderElection()).isTrue();
    assertThat(s.leaseName()).isEqualTo("lvs-operator");
    assertThat(s.leaseNamespace()).isEqualTo("lvs-system");
    assertThat(s.identity()).isEqualTo("op-0");
    assertThat(s.httpPort()).isEqualTo(8080);
    assertThat(s.serverSideApply()).isTrue();
    assertThat(s.resync()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void environmentAndThenFlags() {
    OperatorSettings s =
        OperatorSettings.from(
            Map.of("WATCH_NAMESPACES", "a, b,,", "LEASE_NAME", "x", "LEASE_NAMESPACE", "ops"),
            new String[] {"--lease-name=y", "--http-port=9090"});
    assertThat(s.watchNamespaces()).isEqualTo(Set.of("a", "b"));
    assertThat(s.leaseName()).isEqualTo("y");
    assertThat(s.leaseNamespace()).isEqualTo("ops");
    assertThat(s.httpPort()).isEqualTo(9090);
  }

  @Test
  void badValuesNameTheSettingAndTheValue() {
    assertThatThrownBy(() -> OperatorSettings.from(Map.of("HTTP_PORT", "eighty"), new String[0]))
        .hasMessage("HTTP_PORT: eighty is not a whole number");
    assertThatThrownBy(() -> OperatorSettings.from(Map.of("LEADER_ELECTION", "yes"), new String[0]))
        .hasMessage("LEADER_ELECTION: yes is not true or false");
    assertThatThrownBy(() -> OperatorSettings.from(Map.of(), new String[] {"--lease-name"}))
        .hasMessageContaining("argument --lease-name: expected --name=value");
  }
}
