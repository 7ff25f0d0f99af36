package io.lvsoperator.agent.host.rtnl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lvsoperator.testing.HostCommands;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * VIPs, link state and events against the host kernel, on a veth pair with unique names in the root
 * namespace (removed after each test); {@code ip} is the independent oracle.
 */
class RtnlIT {

  private String a;
  private String b;
  private RtnlClient rtnl;

  @BeforeEach
  void setUp() throws Exception {
    assumeTrue(HostCommands.isRoot(), "needs root to create interfaces and change addresses");
    a = HostCommands.uniqueName("kcrt");
    b = a + "p";
    HostCommands.check("ip", "link", "add", a, "type", "veth", "peer", "name", b);
    HostCommands.check("ip", "link", "set", a, "up");
    HostCommands.check("ip", "link", "set", b, "up");
    rtnl = RtnlClient.open();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (rtnl != null) {
      rtnl.close();
    }
    if (a != null) {
      HostCommands.quietly("ip", "link", "del", a);
    }
  }

  @Test
  void vipWithLabelIsAddedOnceAndRemovedOnce() throws Exception {
    InetAddress vip = InetAddress.getByName("172.31.251.100");
    String label = a + ":1";

    assertThat(rtnl.addAddress(a, vip, 16, label)).isTrue();
    assertThat(rtnl.addAddress(a, vip, 16, label)).isFalse();

    assertThat(HostCommands.check("ip", "-br", "addr", "show", "dev", a))
        .contains("172.31.251.100/16");
    assertThat(HostCommands.check("ip", "addr", "show", "dev", a))
        .containsPattern("inet 172\\.31\\.251\\.100/16 .*scope global " + a + ":1");
    assertThat(rtnl.addresses(a))
        .anySatisfy(
            x -> {
              assertThat(x.address()).isEqualTo(vip);
              assertThat(x.prefixLength()).isEqualTo(16);
              assertThat(x.label()).isEqualTo(label);
            });

    assertThat(rtnl.removeAddress(a, vip, 16)).isTrue();
    assertThat(rtnl.removeAddress(a, vip, 16)).isFalse();
    assertThat(HostCommands.check("ip", "-br", "addr", "show", "dev", a))
        .doesNotContain("172.31.251.100");
  }

  @Test
  void anAddressWithALifetimeGoesByItselfUnlessRenewed() throws Exception {
    InetAddress vip = InetAddress.getByName("172.31.251.101");
    AddressLifetime oneSecond = new AddressLifetime(1, 1);
    rtnl.putAddress(a, vip, 16, a + ":2", oneSecond);
    assertThat(HostCommands.check("ip", "addr", "show", "dev", a))
        .containsPattern("inet 172\\.31\\.251\\.101/16 .*dynamic " + a + ":2")
        .contains("valid_lft 1sec preferred_lft 1sec");

    // Renewed every 250 ms for 2.5 s: it stays (2.5 lifetimes).
    long until = System.nanoTime() + 2_500_000_000L;
    while (System.nanoTime() < until) {
      Thread.sleep(250);
      assertThat(rtnl.renewAddresses(List.of(new RtnlClient.Renewal(a, vip, 16, null)), oneSecond))
          .isEmpty();
      assertThat(HostCommands.check("ip", "-br", "addr", "show", "dev", a))
          .as("renewed in time")
          .contains("172.31.251.101/16");
    }
    // Then not renewed: the kernel removes it about a second after the last renewal.
    long last = System.nanoTime();
    await()
        .atMost(Duration.ofSeconds(3))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                !HostCommands.check("ip", "-br", "addr", "show", "dev", a)
                    .contains("172.31.251.101"));
    long goneMillis = (System.nanoTime() - last) / 1_000_000;
    System.out.println("address with a 1 s lifetime gone " + goneMillis + " ms after its renewal");
    assertThat(goneMillis).as("not before its lifetime").isGreaterThanOrEqualTo(900);

    // A renewal of an address that is gone adds it again; one that names no interface is an error.
    List<String> errors =
        rtnl.renewAddresses(
            List.of(
                new RtnlClient.Renewal(a, vip, 16, null),
                new RtnlClient.Renewal("kcrt-none0", vip, 16, null)),
            oneSecond);
    assertThat(errors).singleElement().asString().contains("kcrt-none0");
    assertThat(HostCommands.check("ip", "-br", "addr", "show", "dev", a))
        .contains("172.31.251.101/16");
  }

  @Test
  void labelMustStartWithTheInterfaceName() {
    assertThatThrownBy(
            () -> rtnl.addAddress(a, InetAddress.getByName("172.31.251.101"), 32, "eth9:1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("label: 'eth9:1' must start with the interface name");
  }

  @Test
  void missingInterfaceIsEnodev() {
    assertThatThrownBy(
            () -> rtnl.addAddress("kcnosuch0", InetAddress.getByName("172.31.251.102"), 32, null))
        .isInstanceOfSatisfying(
            io.lvsoperator.agent.host.ffm.NativeException.class,
            e -> assertThat(e.errnoName()).isEqualTo("ENODEV"));
  }

  @Test
  void linkStateFollowsAdminStateAndPeerCarrier() throws Exception {
    await().atMost(Duration.ofSeconds(5)).until(() -> rtnl.link(a).orElseThrow().usable());
    LinkState up = rtnl.link(a).orElseThrow();
    assertThat(up.adminUp()).isTrue();
    assertThat(up.mac()).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");
    assertThat(HostCommands.check("ip", "link", "show", "dev", a))
        .contains("link/ether " + up.mac());

    HostCommands.check("ip", "link", "set", b, "down");
    await().atMost(Duration.ofSeconds(5)).until(() -> !rtnl.link(a).orElseThrow().carrier());
    LinkState noCarrier = rtnl.link(a).orElseThrow();
    assertThat(noCarrier.adminUp()).isTrue();
    assertThat(noCarrier.operState()).isEqualTo(OperState.LOWERLAYERDOWN);
    assertThat(noCarrier.usable()).isFalse();

    HostCommands.check("ip", "link", "set", a, "down");
    assertThat(rtnl.link(a).orElseThrow().adminUp()).isFalse();
    assertThat(rtnl.link("kcnosuch0")).isEmpty();
  }

  @Test
  void eventsReportLinkDownAndAddressChanges() throws Exception {
    int index = rtnl.indexOf(a);
    List<RtnlEvent> events = new CopyOnWriteArrayList<>();
    try (RtnlEvents subscription = RtnlEvents.start(events::add)) {
      HostCommands.check("ip", "link", "set", a, "down");
      HostCommands.check("ip", "addr", "add", "172.31.251.103/32", "dev", a);

      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                assertThat(events)
                    .anySatisfy(
                        e -> {
                          assertThat(e).isInstanceOf(RtnlEvent.LinkChanged.class);
                          LinkState l = ((RtnlEvent.LinkChanged) e).link();
                          assertThat(l.index()).isEqualTo(index);
                          assertThat(l.adminUp()).isFalse();
                        });
                assertThat(events)
                    .anySatisfy(
                        e -> {
                          assertThat(e).isInstanceOf(RtnlEvent.AddressChanged.class);
                          RtnlEvent.AddressChanged c = (RtnlEvent.AddressChanged) e;
                          assertThat(c.removed()).isFalse();
                          assertThat(c.address().address().getHostAddress())
                              .isEqualTo("172.31.251.103");
                        });
              });
    }
  }
}
