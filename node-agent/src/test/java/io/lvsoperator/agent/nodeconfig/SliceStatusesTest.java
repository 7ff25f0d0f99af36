package io.lvsoperator.agent.nodeconfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvsoperator.agent.health.HealthCheckKey;
import io.lvsoperator.agent.node.NodeAgent;
import io.lvsoperator.agent.node.NodeAgent.DestinationHealth;
import io.lvsoperator.agent.node.NodeAgent.Verdict;
import io.lvsoperator.api.v1alpha1.LvsNodeSliceSpec;
import io.lvsoperator.api.v1alpha1.LvsNodeSliceStatus;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.testing.TestingSpecs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * What each slice's status says, and which slices are written when a destination's health changes.
 */
class SliceStatusesTest {
  private static final Instant SINCE = Instant.parse("2026-12-03T10:00:00Z");

  private final Set<String> down = ConcurrentHashMap.newKeySet();
  private final Set<String> pending = ConcurrentHashMap.newKeySet();

  /** Down or pending by address, else up. */
  private final Function<LvsNodeSpec.IpvsService, List<DestinationHealth>> health =
      s ->
          s.destinations().stream()
              .map(
                  d ->
                      down.contains(d.address())
                          ? new DestinationHealth(
                              d.address(), d.port(), Verdict.DOWN, "connection refused", SINCE)
                          : new DestinationHealth(
                              d.address(),
                              d.port(),
                              pending.contains(d.address()) ? Verdict.PENDING : Verdict.UP,
                              null,
                              null))
              .toList();

  private static LvsNodeSpec.IpvsService service(String vip, String... realServers) {
    List<LvsNodeSpec.Destination> ds = new ArrayList<>();
    for (String rs : realServers) {
      ds.add(TestingSpecs.destination(rs, 80, 1, io.lvsoperator.api.v1alpha1.Forwarding.DR));
    }
    return TestingSpecs.service(vip, 80)
        .healthCheck(TestingSpecs.check(io.lvsoperator.api.v1alpha1.HealthCheckType.TCP).build())
        .destinations(ds)
        .build();
  }

  private static NodeConfig.Slice slice(long generation, LvsNodeSpec.IpvsService... services) {
    return TestingNodeConfigs.slice(
        generation,
        "lvs1",
        new LvsNodeSliceSpec.Entry(
            new LvsNodeSliceSpec.Source("default", "vs-" + services[0].address(), 1),
            List.of(),
            List.of(services),
            List.of()));
  }

  private static HealthCheckKey key(LvsNodeSpec.IpvsService s, String address) {
    return NodeAgent.checkKeys(s).stream()
        .filter(k -> k.address().equals(address))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aHealthChangeRewritesOnlyTheSlicesHoldingThatDestination() {
    LvsNodeSpec.IpvsService a = service("10.0.0.1", "10.1.0.1", "10.1.0.2");
    LvsNodeSpec.IpvsService b = service("10.0.0.2", "10.1.0.3");
    SliceStatuses statuses = new SliceStatuses();
    statuses.applied(Map.of("lvs1-0", slice(4, a), "lvs1-1", slice(7, b)));

    Map<String, LvsNodeSliceStatus> first = statuses.due(health, 50);
    assertThat(first.keySet()).containsExactlyInAnyOrder("lvs1-0", "lvs1-1");
    assertThat(first.get("lvs1-0"))
        .isEqualTo(new LvsNodeSliceStatus(4L, List.of(), List.of(), null));
    first.forEach(statuses::observed);
    assertThat(statuses.due(health, 50)).as("nothing to report").isEmpty();

    down.add("10.1.0.2");
    statuses.healthChanged(key(a, "10.1.0.2"));
    Map<String, LvsNodeSliceStatus> second = statuses.due(health, 50);
    assertThat(second.keySet()).containsExactly("lvs1-0");
    assertThat(second.get("lvs1-0").down())
        .containsExactly(
            new LvsNodeSliceStatus.Down(
                "10.1.0.2", 80, "connection refused", "2026-12-03T10:00:00Z"));

    statuses.healthChanged(key(a, "10.1.0.2")); // the same again: what the server holds
    second.forEach(statuses::observed);
    assertThat(statuses.due(health, 50)).isEmpty();
  }

  @Test
  void aChangedSliceIsReportedWithItsNewGenerationAndAGoneOneNever() {
    LvsNodeSpec.IpvsService a = service("10.0.0.1", "10.1.0.1");
    SliceStatuses statuses = new SliceStatuses();
    statuses.applied(Map.of("lvs1-0", slice(4, a), "lvs1-1", slice(1, a)));
    statuses.due(health, 50).forEach(statuses::observed);

    pending.add("10.1.0.9");
    statuses.applied(Map.of("lvs1-0", slice(5, service("10.0.0.1", "10.1.0.1", "10.1.0.9"))));

    Map<String, LvsNodeSliceStatus> due = statuses.due(health, 50);
    assertThat(due.keySet()).containsExactly("lvs1-0");
    assertThat(due.get("lvs1-0").observedGeneration()).isEqualTo(5L);
    assertThat(due.get("lvs1-0").pending())
        .containsExactly(new LvsNodeSliceStatus.Pending("10.1.0.9", 80));
    statuses.healthChanged(key(a, "10.1.0.1"));
    assertThat(statuses.pending()).isEqualTo(1);
  }

  @Test
  void atMostMaxPerCallTheRestNextTime() {
    SliceStatuses statuses = new SliceStatuses();
    Map<String, NodeConfig.Slice> slices = new java.util.TreeMap<>();
    for (int i = 0; i < 5; i++) {
      slices.put("lvs1-" + i, slice(1, service("10.0.0." + i, "10.1.0.1")));
    }
    statuses.applied(slices);
    assertThat(statuses.due(health, 2)).hasSize(2);
    assertThat(statuses.due(health, 2)).hasSize(2);
    assertThat(statuses.due(health, 2)).hasSize(1);
    assertThat(statuses.pending()).isZero();
  }

  @Test
  void aStatusStaysUnderItsLimitAndCountsWhatItLeftOut() {
    List<String> servers = new ArrayList<>();
    for (int i = 0; i < 4000; i++) {
      String rs = "10.2." + (i / 250) + "." + (i % 250 + 1);
      servers.add(rs);
      down.add(rs);
    }
    NodeConfig.Slice big = slice(1, service("10.0.0.1", servers.toArray(String[]::new)));

    LvsNodeSliceStatus status = SliceStatuses.status(big, health);

    int bytes =
        new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(status).toString().length();
    assertThat(bytes).isLessThan(SliceStatuses.LIMIT_BYTES);
    assertThat(status.down().size() + status.omitted()).isEqualTo(4000);
    assertThat(status.omitted()).isPositive();
    assertThat(status.down().getFirst().address()).as("in address order").isEqualTo("10.2.0.1");
  }
}
