package io.lvsoperator.agent.host.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvsoperator.agent.host.rtnl.AddressLifetime;
import io.lvsoperator.agent.vrrp.VrrpInstanceConfig;
import io.lvsoperator.agent.vrrp.VrrpInstanceConfig.VirtualAddress;
import io.lvsoperator.agent.vrrp.codec.VrrpVersion;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostVrrpEffectsLifetimeTest {
  private static final AddressLifetime ONE_SECOND = AddressLifetime.of(Duration.ofSeconds(1));

  /** An instance holding {@code advertised} + {@code excluded} addresses on eth0. */
  private static VrrpInstanceConfig instance(int priority, int advertised, int excluded)
      throws UnknownHostException {
    List<VirtualAddress> vips = new ArrayList<>();
    List<VirtualAddress> held = new ArrayList<>();
    for (int i = 0; i < advertised + excluded; i++) {
      VirtualAddress a =
          new VirtualAddress(
              InetAddress.getByAddress(new byte[] {10, 9, (byte) (i >> 8), (byte) i}),
              32,
              "eth0:1");
      (i < advertised ? vips : held).add(a);
    }
    return new VrrpInstanceConfig(
        "vi",
        "eth0",
        51,
        priority,
        VrrpVersion.V3,
        100,
        true,
        Duration.ZERO,
        false,
        null,
        List.of(),
        vips,
        List.of(),
        null,
        held);
  }

  @Test
  void anInstanceUpToTheLimitGetsTheLifetime() throws UnknownHostException {
    assertThat(HostVrrpEffects.lifetimeOf(ONE_SECOND, instance(100, 1, 0))).isEqualTo(ONE_SECOND);
    assertThat(
            HostVrrpEffects.lifetimeOf(
                ONE_SECOND, instance(100, 255, HostVrrpEffects.LIFETIME_MAX_ADDRESSES - 255)))
        .isEqualTo(ONE_SECOND);
  }

  @Test
  void anInstanceHoldingMoreThanTheLimitKeepsItsAddressesPermanent() throws UnknownHostException {
    assertThat(
            HostVrrpEffects.lifetimeOf(
                ONE_SECOND, instance(100, 255, HostVrrpEffects.LIFETIME_MAX_ADDRESSES - 254)))
        .isEqualTo(AddressLifetime.PERMANENT);
  }

  @Test
  void anAddressOwnersAddressesArePermanent() throws UnknownHostException {
    assertThat(HostVrrpEffects.lifetimeOf(ONE_SECOND, instance(255, 1, 0)))
        .isEqualTo(AddressLifetime.PERMANENT);
  }

  @Test
  void noLifetimeAtAllStaysPermanent() throws UnknownHostException {
    assertThat(HostVrrpEffects.lifetimeOf(AddressLifetime.PERMANENT, instance(100, 1, 0)))
        .isEqualTo(AddressLifetime.PERMANENT);
  }
}
