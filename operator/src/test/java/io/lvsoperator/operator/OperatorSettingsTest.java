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
    assertThat(s.http().port()).isEqualTo(8080);
    assertThat(s.http().address().isAnyLocalAddress()).isTrue();
    assertThat(s.serverSideApply()).isTrue();
    assertThat(s.resync()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.namespace()).as("where lvs-vrrp-auth goes").isEqualTo("lvs-system");
    assertThat(s.readSecrets()).isTrue();
    assertThat(s.tenantPolicyRequired()).as("no TenantPolicy required by default").isFalse();
    assertThat(
            OperatorSettings.from(Map.of("TENANT_POLICY_REQUIRED", "true"), new String[0])
                .tenantPolicyRequired())
        .isTrue();
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
    assertThat(s.http().port()).isEqualTo(9090);
    assertThat(s.namespace()).as("no POD_NAMESPACE: the Lease's").isEqualTo("ops");
    assertThat(OperatorSettings.from(Map.of("READ_SECRETS", "false"), new String[0]).readSecrets())
        .isFalse();
  }

  @Test
  void badValuesNameTheSettingAndTheValue() {
    assertThatThrownBy(() -> OperatorSettings.from(Map.of("HTTP_PORT", "eighty"), new String[0]))
        .hasMessage("HTTP_PORT: eighty is not a port (1-65535)");
    assertThatThrownBy(() -> OperatorSettings.from(Map.of("HTTP_PORT", "99999"), new String[0]))
        .hasMessage("HTTP_PORT: 99999 is not a port (1-65535)");
    assertThatThrownBy(
            () -> OperatorSettings.from(Map.of(), new String[] {"--http-address=localhost"}))
        .hasMessage("HTTP_ADDRESS: localhost is not an IP address (0.0.0.0 for every address)");
    assertThatThrownBy(() -> OperatorSettings.from(Map.of("LEADER_ELECTION", "yes"), new String[0]))
        .hasMessage("LEADER_ELECTION: yes is not true or false");
    assertThatThrownBy(() -> OperatorSettings.from(Map.of(), new String[] {"--lease-name"}))
        .hasMessageContaining("argument --lease-name: expected --name=value");
  }
}
