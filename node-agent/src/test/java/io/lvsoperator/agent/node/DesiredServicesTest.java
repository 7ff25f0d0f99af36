package io.lvsoperator.agent.node;

import static io.lvsoperator.agent.ipvs.IpvsFixtures.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvsoperator.agent.ipvs.ForwardingMethod;
import io.lvsoperator.agent.ipvs.IpvsDestination;
import io.lvsoperator.agent.ipvs.IpvsProtocol;
import io.lvsoperator.agent.ipvs.IpvsService;
import io.lvsoperator.agent.ipvs.IpvsServiceKey;
import io.lvsoperator.agent.ipvs.IpvsServiceState;
import io.lvsoperator.api.v1alpha1.Forwarding;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.api.v1alpha1.Scheduler;
import io.lvsoperator.testing.TestingSpecs;
import java.util.List;
import org.junit.jupiter.api.Test;

class DesiredServicesTest {

  private static LvsNodeSpec.IpvsService service(
      String vip, String netmask, int timeout, LvsNodeSpec.Destination... d) {
    return TestingSpecs.service(vip, 80)
        .scheduler(Scheduler.wlc)
        .persistence(timeout, netmask)
        .vrrpInstance("eth0-51")
        .destinations(List.of(d))
        .build();
  }

  @Test
  void mapsTheReferenceScenario() {
    List<IpvsServiceState> desired =
        DesiredServices.from(
            List.of(
                service(
                    "172.20.1.100",
                    "255.255.255.0",
                    300,
                    new LvsNodeSpec.Destination("172.20.1.10", 80, 1, Forwarding.DR, false),
                    new LvsNodeSpec.Destination("172.20.1.11", 80, 4, Forwarding.NAT, true))),
            DesiredServices.WeightPolicy.CONFIGURED);

    assertThat(desired)
        .containsExactly(
            new IpvsServiceState(
                new IpvsService(
                    IpvsServiceKey.of(IpvsProtocol.TCP, ip("172.20.1.100"), 80),
                    "wlc",
                    0,
                    300,
                    24,
                    null),
                List.of(
                    IpvsDestination.of(ip("172.20.1.10"), 80, ForwardingMethod.DROUTE, 1),
                    IpvsDestination.of(ip("172.20.1.11"), 80, ForwardingMethod.MASQ, 0))));
  }

  @Test
  void aFirewallMarkServiceIsKeyedByItsMarkInTheFamilyOfItsVip() {
    var marked =
        TestingSpecs.service("172.20.1.130", 0)
            .firewallMark(4_000_000_000L)
            .destination(new LvsNodeSpec.Destination("172.20.1.10", 80, 1, Forwarding.DR, false))
            .build();
    assertThat(DesiredServices.from(List.of(marked), DesiredServices.WeightPolicy.CONFIGURED))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.service().key())
                  .isEqualTo(
                      IpvsServiceKey.ofFwmark(
                          IpvsServiceKey.familyOf(ip("172.20.1.130")), (int) 4_000_000_000L));
              assertThat(s.service().key()).hasToString("FWM 4000000000");
              assertThat(s.destinations())
                  .containsExactly(
                      IpvsDestination.of(ip("172.20.1.10"), 80, ForwardingMethod.DROUTE, 1));
            });
    var zero = TestingSpecs.ServiceBuilder.from(marked).firewallMark(0L).build();
    assertThat(
            DesiredServices.parse(List.of(zero), DesiredServices.WeightPolicy.CONFIGURED)
                .rejected())
        .singleElement()
        .extracting(DesiredServices.Rejected::error)
        .isEqualTo("ipvsServices[0]: firewallMark: 0 is not in 1-4294967295");
  }

  @Test
  void badAddressNamesTheField() {
    assertThatThrownBy(
            () ->
                DesiredServices.from(
                    List.of(
                        service(
                            "172.20.1.100",
                            null,
                            0,
                            new LvsNodeSpec.Destination("web-1", 80, 1, Forwarding.DR, false))),
                    DesiredServices.WeightPolicy.CONFIGURED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ipvsServices[0].destinations[0].address: 'web-1' is not an IP address");
  }

  @Test
  void nonContiguousNetmaskIsRejected() {
    assertThatThrownBy(
            () ->
                DesiredServices.from(
                    List.of(service("172.20.1.100", "255.0.255.0", 60)),
                    DesiredServices.WeightPolicy.CONFIGURED))
        .hasMessage(
            "ipvsServices[0].persistenceNetmask: '255.0.255.0' is not a contiguous netmask");
  }
}
