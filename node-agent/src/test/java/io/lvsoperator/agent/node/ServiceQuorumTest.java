package io.lvsoperator.agent.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvsoperator.agent.health.CheckedDestination;
import io.lvsoperator.agent.health.DestinationEffect;
import io.lvsoperator.agent.health.ServerHealth;
import io.lvsoperator.api.v1alpha1.Forwarding;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.testing.TestingSpecs;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** keepalived's quorum and hysteresis, and what the sorry server replaces. */
class ServiceQuorumTest {
  private static final LvsNodeSpec.Destination SORRY =
      new LvsNodeSpec.Destination("172.20.1.12", 80, 1, Forwarding.DR, false);

  private static LvsNodeSpec.IpvsService service(Integer quorum, Integer hysteresis) {
    return TestingSpecs.service("172.20.1.100", 80).quorum(quorum, hysteresis).build();
  }

  @ParameterizedTest(name = "quorum {0} hysteresis {1}, had {2}, live {3}: {4}")
  @CsvSource(
      nullValues = "new",
      value = {
        // defaults (1, 0): quorum while anything is up
        ",  , new,  1, true",
        ",  , new,  0, false",
        ",  , true, 1, true",
        ",  , true, 0, false",
        ",  , false, 1, true",
        // quorum 3, hysteresis 1: lost below 2, regained at 4, held in between
        "3, 1, new,  3, false",
        "3, 1, new,  4, true",
        "3, 1, true, 2, true",
        "3, 1, true, 1, false",
        "3, 1, false, 3, false",
        "3, 1, false, 4, true",
        // hysteresis as large as the quorum: lost only when nothing is up
        "2, 2, true, 0, false",
        "2, 2, true, 1, true",
        "2, 2, false, 3, false",
        "2, 2, false, 4, true",
      })
  void lostBelowQuorumLessHysteresisRegainedAtQuorumPlusHysteresis(
      Integer quorum, Integer hysteresis, Boolean had, int live, boolean expected) {
    assertThat(ServiceQuorum.hasQuorum(service(quorum, hysteresis), had, live)).isEqualTo(expected);
  }

  @Test
  void liveWeightCountsConfiguredWeightsOfUpUndrainedDestinations() {
    List<DestinationEffect> effects =
        List.of(
            new DestinationEffect(
                new CheckedDestination("10.0.0.1", 80, 3, false), ServerHealth.UP, null, true, 3),
            new DestinationEffect(
                new CheckedDestination("10.0.0.2", 80, 5, true), ServerHealth.UP, null, true, 0),
            new DestinationEffect(
                new CheckedDestination("10.0.0.3", 80, 7, false),
                ServerHealth.DOWN,
                "refused",
                true,
                0));
    assertThat(ServiceQuorum.liveWeight(effects)).isEqualTo(3);
  }

  @Test
  void theSorryServerReplacesTheLiveDestinationsOnlyWhileQuorumIsLost() {
    var live = new LvsNodeSpec.Destination("172.20.1.10", 80, 1, Forwarding.DR, false);
    var idle = new LvsNodeSpec.Destination("172.20.1.11", 80, 0, Forwarding.DR, false);
    var withSorry = TestingSpecs.ServiceBuilder.from(service(2, 0)).sorryServer(SORRY).build();
    assertThat(ServiceQuorum.destinations(withSorry, false, List.of(live, idle)))
        .as("live one out, the weight-0 one stays (it takes no connection), sorry server in")
        .containsExactly(idle, SORRY);
    assertThat(ServiceQuorum.destinations(withSorry, true, List.of(live, idle)))
        .containsExactly(live, idle);
    assertThat(ServiceQuorum.destinations(service(2, 0), false, List.of(live)))
        .as("without a sorry server nothing is removed")
        .containsExactly(live);
  }

  @Test
  void namesServicesAsLogsAndMetricsShowThem() {
    assertThat(ServiceQuorum.name(service(null, null))).isEqualTo("172.20.1.100:80/TCP");
    assertThat(ServiceQuorum.name(TestingSpecs.service("172.20.1.100", 0).firewallMark(5L).build()))
        .isEqualTo("fwmark:5");
  }
}
