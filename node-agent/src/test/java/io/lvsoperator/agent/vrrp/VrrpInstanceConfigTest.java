package io.lvsoperator.agent.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvsoperator.agent.vrrp.codec.VrrpVersion;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class VrrpInstanceConfigTest {
  static LvsNodeSpec.VrrpInstance reference(int version, int intervalMs, String pass) {
    return new LvsNodeSpec.VrrpInstance(
        "eth0-51",
        "eth0",
        51,
        100,
        version,
        intervalMs,
        true,
        0,
        false,
        pass,
        List.of(),
        List.of(new LvsNodeSpec.Vip("172.20.1.100", 16, "eth0:1")),
        List.of(),
        new LvsNodeSpec.Garp(5, 0, 0));
  }

  @Test
  void convertsTheReferenceScenario() {
    VrrpInstanceConfig c = VrrpInstanceConfig.from(reference(2, 1000, "1111"));
    assertThat(c.version()).isEqualTo(VrrpVersion.V2);
    assertThat(c.advertIntervalCentis()).isEqualTo(100);
    assertThat(c.advertIntervalNanos()).isEqualTo(1_000_000_000L);
    assertThat(c.authPassword()).isEqualTo("1111");
    assertThat(c.virtualAddresses())
        .containsExactly(
            new VrrpInstanceConfig.VirtualAddress(
                InetAddress.ofLiteral("172.20.1.100"), 16, "eth0:1"));
    assertThat(c.trackInterfaces()).as("its own interface is always tracked").contains("eth0");
    assertThat(c.preemptDelay()).isEqualTo(Duration.ZERO);
    assertThat(c.addressOwner()).isFalse();
  }

  @Test
  void rejectsWhatCannotRunNamingTheField() {
    assertThatThrownBy(() -> VrrpInstanceConfig.from(reference(2, 1500, "1111")))
        .isInstanceOf(VrrpConfigException.class)
        .hasMessage(
            "vrrpInstances[eth0-51].advertIntervalMs: 1500 is not a whole number of seconds in"
                + " 1-255 (VRRPv2)");
    assertThatThrownBy(() -> VrrpInstanceConfig.from(reference(3, 1005, null)))
        .hasMessage("vrrpInstances[eth0-51].advertIntervalMs: 1005 is not a multiple of 10 ms");
    assertThatThrownBy(() -> VrrpInstanceConfig.from(reference(3, 41000, null)))
        .hasMessageContaining("advertIntervalMs: 41000 is not in 10-40950");
    assertThatThrownBy(() -> VrrpInstanceConfig.from(reference(3, 1000, "1111")))
        .hasMessageContaining("authPass: VRRPv3 has no authentication");
    assertThatThrownBy(() -> VrrpInstanceConfig.from(reference(2, 1000, "123456789")))
        .hasMessageContaining("authPass: 9 characters");
    assertThatThrownBy(() -> VrrpInstanceConfig.from(reference(4, 1000, null)))
        .hasMessage("vrrpInstances[eth0-51].version: 4 is not 2 or 3");
    LvsNodeSpec.VrrpInstance badVip =
        new LvsNodeSpec.VrrpInstance(
            "x",
            "eth0",
            51,
            100,
            3,
            1000,
            true,
            0,
            false,
            null,
            List.of(),
            List.of(new LvsNodeSpec.Vip("172.20.1.300", 16, "eth0:1")),
            List.of(),
            null);
    assertThatThrownBy(() -> VrrpInstanceConfig.from(badVip))
        .hasMessage("vrrpInstances[x].vips: '172.20.1.300' is not an IP address");
    LvsNodeSpec.VrrpInstance badLabel =
        new LvsNodeSpec.VrrpInstance(
            "x",
            "eth0",
            51,
            100,
            3,
            1000,
            true,
            0,
            false,
            null,
            List.of(),
            List.of(new LvsNodeSpec.Vip("172.20.1.100", 16, "eth1:1")),
            List.of(),
            null);
    assertThatThrownBy(() -> VrrpInstanceConfig.from(badLabel))
        .hasMessageContaining("vips[172.20.1.100].label: 'eth1:1' must start with 'eth0'");
    LvsNodeSpec.VrrpInstance badPriority =
        new LvsNodeSpec.VrrpInstance(
            "x", "eth0", 51, 0, 3, 1000, true, 0, false, null, List.of(), List.of(), List.of(),
            null);
    assertThatThrownBy(() -> VrrpInstanceConfig.from(badPriority))
        .hasMessage("vrrpInstances[x].priority: 0 is not in 1-254 (or 255, the address owner)");
  }
}
