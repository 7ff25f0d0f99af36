package io.lvsoperator.agent.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvsoperator.agent.health.CheckType;
import io.lvsoperator.agent.health.CheckedDestination;
import io.lvsoperator.agent.health.CheckedService;
import io.lvsoperator.agent.health.DestinationEffect;
import io.lvsoperator.agent.health.EffectiveService;
import io.lvsoperator.agent.health.FailureAction;
import io.lvsoperator.agent.health.ServerHealth;
import io.lvsoperator.agent.vrrp.VrrpConfigException;
import io.lvsoperator.agent.vrrp.VrrpInstanceConfig;
import io.lvsoperator.agent.vrrp.codec.VrrpVersion;
import io.lvsoperator.api.v1alpha1.Forwarding;
import io.lvsoperator.api.v1alpha1.HealthCheckType;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.api.v1alpha1.OnFailure;
import io.lvsoperator.api.v1alpha1.Scheduler;
import io.lvsoperator.testing.TestingSpecs;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The edge: the compiled spec into the records of the vrrp and health packages. */
class SpecConversionTest {
  static LvsNodeSpec.VrrpInstance reference(int version, int intervalMs, String pass) {
    return TestingSpecs.vrrpInstance("eth0-51", "eth0", 51)
        .version(version, intervalMs)
        .authPass(pass)
        .vip("172.20.1.100", 16, "eth0:1")
        .garp(5, 0, 0)
        .build();
  }

  @Test
  void theSyncDaemonIsThatOfTheOneInstanceWithConnectionSync() {
    LvsNodeSpec.VrrpInstance plain = reference(3, 100, null);
    LvsNodeSpec.VrrpInstance syncing =
        TestingSpecs.VrrpInstanceBuilder.from(reference(3, 100, null))
            .name("eth0-52")
            .virtualRouterId(52)
            .connectionSync(new LvsNodeSpec.ConnectionSync("eth1", 7, 1400, 8849, 2, "224.0.0.82"))
            .build();
    assertThat(SpecConversion.connectionSync(List.of(plain))).isNull();
    assertThat(SpecConversion.connectionSync(List.of(plain, syncing)))
        .isEqualTo(
            new ConnectionSyncFollower.Wanted(
                "eth0-52",
                new io.lvsoperator.agent.ipvs.SyncDaemon(
                    io.lvsoperator.agent.ipvs.IpvsConstants.IP_VS_STATE_BACKUP,
                    "eth1",
                    7,
                    1400,
                    8849,
                    2,
                    InetAddress.ofLiteral("224.0.0.82"))));
    LvsNodeSpec.VrrpInstance another =
        TestingSpecs.VrrpInstanceBuilder.from(syncing).name("eth0-53").virtualRouterId(53).build();
    assertThatThrownBy(() -> SpecConversion.connectionSync(List.of(syncing, another)))
        .isInstanceOf(VrrpConfigException.class)
        .hasMessage(
            "vrrpInstances[eth0-53].connectionSync: vrrpInstances[eth0-52] drives this node's sync"
                + " daemon already; one instance per node may");
    LvsNodeSpec.VrrpInstance badGroup =
        TestingSpecs.VrrpInstanceBuilder.from(plain)
            .connectionSync(new LvsNodeSpec.ConnectionSync("eth0", 1, null, null, null, "nope"))
            .build();
    assertThatThrownBy(() -> SpecConversion.connectionSync(List.of(badGroup)))
        .hasMessage("vrrpInstances[eth0-51].connectionSync.group: 'nope' is not an IP address");
  }

  @Test
  void convertsTheReferenceScenario() {
    VrrpInstanceConfig c = SpecConversion.vrrpInstance(reference(2, 1000, "1111"));
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
  void excludedAddressesAndAddressesOnOtherInterfacesAreHeldWhereTheySay() {
    LvsNodeSpec.VrrpInstance in =
        reference(3, 1000, null)
            .withAddresses(
                List.of(
                    new LvsNodeSpec.Vip("172.20.1.110", 16, "eth0:2"),
                    new LvsNodeSpec.Vip("10.9.0.1", 24, "eth1:9", "eth1", "default/web")),
                List.of(new LvsNodeSpec.Vip("172.20.1.120", 16, null)),
                null,
                null);
    VrrpInstanceConfig c = SpecConversion.vrrpInstance(in);
    assertThat(c.addresses())
        .as("advertised")
        .containsExactly(InetAddress.ofLiteral("172.20.1.110"), InetAddress.ofLiteral("10.9.0.1"));
    assertThat(c.heldAddresses())
        .extracting(v -> v.address().getHostAddress() + " " + v.interfaceOr(c.interfaceName()))
        .containsExactly("172.20.1.110 eth0", "10.9.0.1 eth1", "172.20.1.120 eth0");
    assertThat(c.excludedAddresses())
        .singleElement()
        .extracting(v -> v.prefixLength())
        .isEqualTo(16);

    // A label names the interface its address is on, not the instance's.
    LvsNodeSpec.VrrpInstance wrongLabel =
        in.withAddresses(
            List.of(new LvsNodeSpec.Vip("10.9.0.1", 24, "eth0:9", "eth1", null)),
            List.of(),
            null,
            null);
    assertThatThrownBy(() -> SpecConversion.vrrpInstance(wrongLabel))
        .isInstanceOf(VrrpConfigException.class)
        .hasMessage(
            "vrrpInstances[eth0-51].vips[10.9.0.1].label: 'eth0:9' must start with 'eth1' and have"
                + " at most 15 characters");
    LvsNodeSpec.VrrpInstance badExcluded =
        in.withAddresses(in.vips(), List.of(new LvsNodeSpec.Vip("fd00::1", 64, null)), null, null);
    assertThatThrownBy(() -> SpecConversion.vrrpInstance(badExcluded))
        .isInstanceOf(VrrpConfigException.class)
        .hasMessage("vrrpInstances[eth0-51].excludedVips: fd00:0:0:0:0:0:0:1 is not IPv4");
  }

  @Test
  void rejectsWhatCannotRunNamingTheField() {
    assertThatThrownBy(() -> SpecConversion.vrrpInstance(reference(2, 1500, "1111")))
        .isInstanceOf(VrrpConfigException.class)
        .hasMessage(
            "vrrpInstances[eth0-51].advertIntervalMs: 1500 is not a whole number of seconds in"
                + " 1-255 (VRRPv2)");
    assertThatThrownBy(() -> SpecConversion.vrrpInstance(reference(3, 1005, null)))
        .hasMessage("vrrpInstances[eth0-51].advertIntervalMs: 1005 is not a multiple of 10 ms");
    assertThatThrownBy(() -> SpecConversion.vrrpInstance(reference(3, 41000, null)))
        .hasMessageContaining("advertIntervalMs: 41000 is not in 10-40950");
    assertThatThrownBy(() -> SpecConversion.vrrpInstance(reference(3, 1000, "1111")))
        .hasMessageContaining("authPass: VRRPv3 has no authentication");
    assertThatThrownBy(() -> SpecConversion.vrrpInstance(reference(2, 1000, "123456789")))
        .hasMessageContaining("authPass: 9 characters");
    assertThatThrownBy(() -> SpecConversion.vrrpInstance(reference(4, 1000, null)))
        .hasMessage("vrrpInstances[eth0-51].version: 4 is not 2 or 3");
    LvsNodeSpec.VrrpInstance badVip =
        TestingSpecs.vrrpInstance("x", "eth0", 51).vip("172.20.1.300", 16, "eth0:1").build();
    assertThatThrownBy(() -> SpecConversion.vrrpInstance(badVip))
        .hasMessage("vrrpInstances[x].vips: '172.20.1.300' is not an IP address");
    LvsNodeSpec.VrrpInstance badLabel =
        TestingSpecs.vrrpInstance("x", "eth0", 51).vip("172.20.1.100", 16, "eth1:1").build();
    assertThatThrownBy(() -> SpecConversion.vrrpInstance(badLabel))
        .hasMessageContaining("vips[172.20.1.100].label: 'eth1:1' must start with 'eth0'");
    LvsNodeSpec.VrrpInstance badPriority =
        TestingSpecs.vrrpInstance("x", "eth0", 51).priority(0).build();
    assertThatThrownBy(() -> SpecConversion.vrrpInstance(badPriority))
        .hasMessage("vrrpInstances[x].priority: 0 is not in 1-254 (or 255, the address owner)");
  }

  private static LvsNodeSpec.IpvsService web(HealthCheckType type, OnFailure onFailure) {
    return TestingSpecs.service("172.20.1.100", 80)
        .source("default/web")
        .quorum(2, 1)
        .vrrpInstance("eth0-51")
        .healthCheck(TestingSpecs.keepalivedReferenceCheck().type(type).build())
        .onFailure(onFailure)
        .destination(TestingSpecs.destination("172.20.1.10", 80, 3, Forwarding.DR))
        .destination(new LvsNodeSpec.Destination("172.20.1.11", 80, 1, Forwarding.DR, true))
        .build();
  }

  @Test
  void servicesReachTheHealthChecksFieldForField() {
    CheckedService c = SpecConversion.checkedService(web(HealthCheckType.HTTP_GET, null));
    assertThat(c.address()).isEqualTo("172.20.1.100");
    assertThat(c.port()).isEqualTo(80);
    assertThat(c.onFailure()).as("absent stays absent: remove").isNull();
    assertThat(c.destinations())
        .containsExactly(
            new CheckedDestination("172.20.1.10", 80, 3, false),
            new CheckedDestination("172.20.1.11", 80, 1, true));
    var check = c.healthCheck();
    assertThat(check.type()).isEqualTo(CheckType.HTTP_GET);
    assertThat(List.of(check.intervalMs(), check.timeoutMs(), check.delayBeforeRetryMs()))
        .containsExactly(6000, 3000, 3000);
    assertThat(check.retry()).isEqualTo(3);
    assertThat(check.expectedStatus()).containsExactly("200");

    assertThat(SpecConversion.checkedService(web(HealthCheckType.NONE, OnFailure.WEIGHT_ZERO)))
        .satisfies(
            n -> {
              assertThat(n.healthCheck().type()).isEqualTo(CheckType.NONE);
              assertThat(n.onFailure()).isEqualTo(FailureAction.WEIGHT_ZERO);
            });
  }

  @Test
  void theEffectiveServiceKeepsWhatTheChecksKeepAtTheirWeightInTheCompiledOrder() {
    LvsNodeSpec.IpvsService compiled = web(HealthCheckType.HTTP_GET, OnFailure.REMOVE);
    CheckedService checked = SpecConversion.checkedService(compiled);
    var effects =
        List.of(
            new DestinationEffect(
                checked.destinations().get(0), ServerHealth.DOWN, "refused", false, 0),
            new DestinationEffect(checked.destinations().get(1), ServerHealth.UP, null, true, 0));
    EffectiveIpvsService e =
        SpecConversion.effective(compiled, new EffectiveService(checked, effects, false));
    assertThat(e.service().destinations())
        .containsExactly(new LvsNodeSpec.Destination("172.20.1.11", 80, 0, Forwarding.DR, true));
    assertThat(e.service().scheduler()).isEqualTo(Scheduler.rr);
    assertThat(e.service().vrrpInstance()).isEqualTo("eth0-51");
    assertThat(e.service().source()).as("new fields pass through").isEqualTo("default/web");
    assertThat(List.of(e.service().quorum(), e.service().hysteresis())).containsExactly(2, 1);
    assertThat(e.destinations()).isEqualTo(effects);
  }
}
