package io.lvsoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.lvsoperator.api.v1alpha1.LvsNode;
import io.lvsoperator.api.v1alpha1.LvsNodeSlice;
import io.lvsoperator.api.v1alpha1.LvsNodeSliceSpec;
import io.lvsoperator.api.v1alpha1.LvsNodeSliceStatus;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.api.v1alpha1.LvsNodeStatus;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import io.lvsoperator.api.v1alpha1.VirtualServerStatus;
import io.lvsoperator.compiler.Conflict;
import io.lvsoperator.compiler.DirectorAssignment;
import io.lvsoperator.compiler.FieldError;
import io.lvsoperator.compiler.ObjectKey;
import io.lvsoperator.compiler.ResolvedRealServer;
import io.lvsoperator.compiler.VirtualServerResult;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class StatusAggregatorTest {
  static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
  static final ObjectKey WEB = new ObjectKey("default", "web");
  static final String INSTANCE = "eth0-51";

  private final Map<String, LvsNode> lvsNodes = new HashMap<>();
  private final Map<String, List<LvsNodeSlice>> slices = new HashMap<>();
  private final Map<String, Node> nodes = new HashMap<>();

  private Function<String, DirectorObservation> directors() {
    return n ->
        DirectorObservation.of(
            n,
            lvsNodes.get(n),
            slices.getOrDefault(n, List.of()),
            nodes.get(n),
            NOW,
            Duration.ofSeconds(60));
  }

  private void node(String name, boolean ready) {
    nodes.put(
        name,
        new NodeBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .withNewStatus()
            .addNewCondition()
            .withType("Ready")
            .withStatus(ready ? "True" : "False")
            .endCondition()
            .endStatus()
            .build());
  }

  /**
   * A head (LvsNode generation 5, its agent having applied {@code applied}) and a slice (applied)
   * carrying web at specGeneration; the destinations {@code health} says are down listed as down,
   * those with no verdict (healthy null) as pending.
   */
  private void agent(
      String name,
      long specGeneration,
      long applied,
      String state,
      String stateSince,
      String heartbeat,
      List<LvsNodeStatus.HealthStatus> health) {
    node(name, true);
    LvsNode ln = new LvsNode();
    ln.setMetadata(new ObjectMetaBuilder().withName(name).withGeneration(5L).build());
    ln.setSpec(LvsNodeSpec.empty());
    ln.setStatus(
        new LvsNodeStatus(
            applied,
            "test",
            heartbeat,
            "",
            List.of(
                new LvsNodeStatus.VrrpInstanceStatus(INSTANCE, 51, state, null, null, stateSince)),
            null,
            null));
    lvsNodes.put(name, ln);
    slices.put(
        name,
        List.of(
            slice(
                name + "-0",
                3,
                3L,
                null,
                health,
                new LvsNodeSliceSpec.Entry(
                    new LvsNodeSliceSpec.Source("default", "web", specGeneration),
                    null,
                    null,
                    null))));
  }

  /** A slice holding web at {@code webGeneration}, listing no destination. */
  private static LvsNodeSlice webSlice(
      String name, long generation, Long observed, Integer omitted, long webGeneration) {
    return slice(
        name,
        generation,
        observed,
        omitted,
        List.of(),
        new LvsNodeSliceSpec.Entry(
            new LvsNodeSliceSpec.Source("default", "web", webGeneration), null, null, null));
  }

  private static LvsNodeSlice slice(
      String name,
      long generation,
      Long observed,
      Integer omitted,
      List<LvsNodeStatus.HealthStatus> health,
      LvsNodeSliceSpec.Entry... entries) {
    LvsNodeSlice slice = new LvsNodeSlice();
    slice.setMetadata(new ObjectMetaBuilder().withName(name).withGeneration(generation).build());
    slice.setSpec(new LvsNodeSliceSpec(name, List.of(entries)));
    slice.setStatus(
        new LvsNodeSliceStatus(
            observed,
            health.stream()
                .filter(h -> Boolean.FALSE.equals(h.healthy()))
                .map(h -> new LvsNodeSliceStatus.Down(h.address(), h.port(), h.reason(), h.since()))
                .toList(),
            health.stream()
                .filter(h -> h.healthy() == null)
                .map(h -> new LvsNodeSliceStatus.Pending(h.address(), h.port()))
                .toList(),
            omitted));
    return slice;
  }

  private static VirtualServerResult programmed(long generation, List<ResolvedRealServer> rs) {
    return new VirtualServerResult(
        WEB,
        generation,
        List.of(),
        List.of(),
        generation,
        INSTANCE,
        51,
        List.of(new DirectorAssignment("lvs1", 100), new DirectorAssignment("lvs2", 50)),
        List.of(),
        rs);
  }

  private static VirtualServer vs(long generation, VirtualServerStatus previous) {
    VirtualServer vs = new VirtualServer();
    vs.setMetadata(
        new ObjectMetaBuilder()
            .withName("web")
            .withNamespace("default")
            .withGeneration(generation)
            .build());
    vs.setStatus(previous);
    return vs;
  }

  private static Condition condition(VirtualServerStatus s, String type) {
    return Conditions.find(s.conditions(), type).orElseThrow();
  }

  private static final List<ResolvedRealServer> TWO =
      List.of(
          new ResolvedRealServer("172.20.1.10", 80, 1, false, null, "RealServer default/rs1"),
          new ResolvedRealServer("172.20.1.11", 80, 1, false, null, "RealServer default/rs2"));

  private static LvsNodeStatus.HealthStatus up(String address) {
    return new LvsNodeStatus.HealthStatus(address, 80, true, null, 1L, null);
  }

  private static LvsNodeStatus.HealthStatus down(String address, String reason) {
    return new LvsNodeStatus.HealthStatus(address, 80, false, reason, null, null);
  }

  @Test
  void oneMasterEveryDirectorAppliedIsReadyAndCountsHealthOnTheMaster() {
    agent(
        "lvs1",
        3,
        5,
        "MASTER",
        null,
        null,
        List.of(up("172.20.1.10"), down("172.20.1.11", "HTTP status 500")));
    agent("lvs2", 3, 5, "BACKUP", null, null, List.of(up("172.20.1.10"), up("172.20.1.11")));

    VirtualServerStatus s =
        StatusAggregator.virtualServer(vs(3, null), programmed(3, TWO), directors(), NOW);

    assertThat(s.master()).isEqualTo("lvs1");
    assertThat(s.healthy()).isEqualTo("1/2"); // .11 is down on the master, whatever lvs2 sees
    assertThat(s.directors())
        .containsExactly(
            new VirtualServerStatus.DirectorStatus("lvs1", 100, "MASTER", 3L),
            new VirtualServerStatus.DirectorStatus("lvs2", 50, "BACKUP", 3L));
    assertThat(s.realServers().get(1))
        .isEqualTo(
            new VirtualServerStatus.RealServerHealth(
                "172.20.1.11", 80, List.of("lvs2"), List.of("lvs1"), "HTTP status 500"));
    assertThat(condition(s, "Ready").getStatus()).isEqualTo("True");
    assertThat(condition(s, "Programmed").getStatus()).isEqualTo("True");
    assertThat(condition(s, "Degraded").getReason()).isEqualTo("RealServerDown");
    assertThat(condition(s, "Degraded").getMessage())
        .isEqualTo("real server 172.20.1.11:80 is down on lvs1: HTTP status 500");
    assertThat(s.conditions()).allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(3L));
    assertThat(condition(s, "Ready").getLastTransitionTime()).isEqualTo("2026-11-26T12:00:00Z");
  }

  @Test
  void aDirectorThatHasNotAppliedTheCurrentGenerationKeepsProgrammedFalse() {
    agent("lvs1", 4, 5, "MASTER", null, null, List.of());
    agent(
        "lvs2", 4, 4, "BACKUP", null, null,
        List.of()); // spec has gen 4, agent at LvsNode gen 4 of 5

    VirtualServerStatus s =
        StatusAggregator.virtualServer(vs(4, null), programmed(4, List.of()), directors(), NOW);

    Condition programmed = condition(s, "Programmed");
    assertThat(programmed.getStatus()).isEqualTo("False");
    assertThat(programmed.getReason()).isEqualTo("Pending");
    assertThat(programmed.getMessage()).contains("lvs2 (applied LvsNode generation 4 of 5)");
    assertThat(programmed.getMessage()).doesNotContain("lvs1");
    assertThat(s.directors().get(1).programmedGeneration()).isNull();
    assertThat(condition(s, "Ready").getStatus()).isEqualTo("False");
  }

  @Test
  void anAgentThatHasNotConfirmedItsMasterClaimSinceTheBackupTookOverIsNoSplitBrain() {
    // lvs1 was killed while MASTER at 11:59:00; lvs2 became MASTER at 11:59:03.
    agent("lvs1", 1, 5, "MASTER", "2026-11-26T11:00:00Z", "2026-11-26T11:59:00Z", List.of());
    agent("lvs2", 1, 5, "MASTER", "2026-11-26T11:59:03Z", "2026-11-26T11:59:59Z", List.of());
    VirtualServerStatus previous =
        StatusAggregator.virtualServer(
            vs(1, null), programmed(1, List.of()), n -> directors().apply(n), NOW);

    assertThat(previous.master()).isEqualTo("lvs2");
    assertThat(condition(previous, "SplitBrain").getStatus()).isEqualTo("False");
  }

  @Test
  void twoAgentsThatKeepReportingMasterAreASplitBrainAndTheColumnKeepsTheOldMaster() {
    agent("lvs1", 1, 5, "MASTER", "2026-11-26T11:00:00Z", "2026-11-26T11:59:59Z", List.of());
    agent("lvs2", 1, 5, "MASTER", "2026-11-26T11:59:03Z", "2026-11-26T11:59:59Z", List.of());
    VirtualServerStatus before =
        new VirtualServerStatus(1L, List.of(), "lvs1", 51, List.of(), List.of(), "0/0", 0, 0);

    VirtualServerStatus s =
        StatusAggregator.virtualServer(vs(1, before), programmed(1, List.of()), directors(), NOW);

    assertThat(condition(s, "SplitBrain").getStatus()).isEqualTo("True");
    assertThat(condition(s, "SplitBrain").getMessage())
        .isEqualTo("lvs1, lvs2 all report MASTER for eth0-51");
    assertThat(condition(s, "Ready").getReason()).isEqualTo("SplitBrain");
    assertThat(s.master()).isEqualTo("lvs1");
  }

  @Test
  void lastTransitionTimeMovesOnlyWhenTheStatusFlips() {
    agent("lvs1", 1, 5, "MASTER", null, null, List.of());
    agent("lvs2", 1, 5, "BACKUP", null, null, List.of());
    VirtualServerStatus first =
        StatusAggregator.virtualServer(vs(1, null), programmed(1, List.of()), directors(), NOW);

    Instant later = NOW.plusSeconds(90);
    VirtualServerStatus same =
        StatusAggregator.virtualServer(vs(1, first), programmed(1, List.of()), directors(), later);
    assertThat(same).isEqualTo(first);

    nodes.put("lvs2", null); // the node is gone
    VirtualServerStatus degraded =
        StatusAggregator.virtualServer(vs(1, first), programmed(1, List.of()), directors(), later);
    assertThat(condition(degraded, "Degraded").getStatus()).isEqualTo("True");
    assertThat(condition(degraded, "Degraded").getReason()).isEqualTo("DirectorMissing");
    assertThat(condition(degraded, "Degraded").getLastTransitionTime())
        .isEqualTo("2026-11-26T12:01:30Z");
    assertThat(condition(degraded, "Ready").getLastTransitionTime())
        .isEqualTo("2026-11-26T12:00:00Z");
    assertThat(degraded.directors().get(1).vrrpState()).isEqualTo("UNKNOWN");
  }

  @Test
  void anAgentWhoseHeartbeatIsTooOldIsSilentAndItsReportsAreIgnored() {
    agent("lvs1", 1, 5, "MASTER", null, "2026-11-26T11:58:59Z", List.of(up("172.20.1.10"))); // 61 s
    agent("lvs2", 1, 5, "BACKUP", null, "2026-11-26T11:59:30Z", List.of(up("172.20.1.10")));

    VirtualServerStatus s =
        StatusAggregator.virtualServer(
            vs(1, null), programmed(1, TWO.subList(0, 1)), directors(), NOW);

    assertThat(s.directors().get(0).vrrpState()).isEqualTo("UNKNOWN");
    assertThat(s.master()).isNull();
    assertThat(s.realServers().getFirst().healthyOn()).containsExactly("lvs2");
    assertThat(condition(s, "Degraded").getReason()).isEqualTo("AgentSilent");
    assertThat(condition(s, "Degraded").getMessage())
        .isEqualTo("the agent on lvs1 does not report");
    assertThat(condition(s, "Ready").getReason()).isEqualTo("NoMaster");
  }

  @Test
  void invalidSpecNamesTheFieldAndValueAndWhatKeepsRunning() {
    VirtualServerResult result =
        new VirtualServerResult(
            WEB,
            2,
            List.of(new FieldError("spec.port", "70000", "is not a port (1-65535)")),
            List.of(),
            1L,
            INSTANCE,
            51,
            List.of(),
            List.of(),
            List.of());

    VirtualServerStatus s = StatusAggregator.virtualServer(vs(2, null), result, directors(), NOW);

    Condition programmed = condition(s, "Programmed");
    assertThat(programmed.getReason()).isEqualTo("InvalidSpec");
    assertThat(programmed.getMessage())
        .isEqualTo("spec.port: 70000 is not a port (1-65535); generation 1 keeps running");
    assertThat(programmed.getObservedGeneration()).isEqualTo(2L);
  }

  @Test
  void aPolicyViolationIsItsOwnReasonAndSaysWhatKeepsRunning() {
    FieldError refused =
        new FieldError(
            "spec.realServers[0].address",
            "127.0.0.1",
            "is loopback, refused by TenantPolicy team-a");
    VirtualServerResult result =
        new VirtualServerResult(
            WEB,
            2,
            List.of(refused),
            List.of(),
            1L,
            INSTANCE,
            51,
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of(refused));

    VirtualServerStatus s = StatusAggregator.virtualServer(vs(2, null), result, directors(), NOW);

    assertThat(condition(s, "Programmed").getReason()).isEqualTo("PolicyViolation");
    assertThat(condition(s, "Programmed").getMessage())
        .isEqualTo(
            "spec.realServers[0].address: 127.0.0.1 is loopback, refused by TenantPolicy team-a;"
                + " generation 1 keeps running");
    assertThat(condition(s, "Ready").getReason()).isEqualTo("PolicyViolation");
  }

  @Test
  void aConflictNamesTheOtherObjectAndKeepsTheVridItHad() {
    VirtualServerResult result =
        new VirtualServerResult(
            WEB,
            1,
            List.of(),
            List.of(
                new Conflict(
                    Conflict.Kind.VIP_PORT,
                    new ObjectKey("default", "older"),
                    "172.20.1.100:80/TCP is taken")),
            null,
            null,
            null,
            List.of(),
            List.of(),
            List.of());
    VirtualServerStatus before =
        new VirtualServerStatus(1L, List.of(), null, 77, List.of(), List.of(), "0/0", 0, 0);

    VirtualServerStatus s = StatusAggregator.virtualServer(vs(1, before), result, directors(), NOW);

    assertThat(condition(s, "Conflict").getStatus()).isEqualTo("True");
    assertThat(condition(s, "Conflict").getReason()).isEqualTo("VipPortInUse");
    assertThat(condition(s, "Conflict").getMessage()).contains("default/older");
    assertThat(s.virtualRouterId()).isEqualTo(77);
  }

  @Test
  void aSliceTheAgentHasNotAppliedKeepsProgrammedFalseAndSaysWhichSlice() {
    agent("lvs1", 4, 5, "MASTER", null, null, List.of());
    agent("lvs2", 4, 5, "BACKUP", null, null, List.of());
    slices.put("lvs2", List.of(webSlice("lvs2-0", 7, 6L, null, 4)));

    VirtualServerStatus s =
        StatusAggregator.virtualServer(vs(4, null), programmed(4, List.of()), directors(), NOW);

    Condition programmed = condition(s, "Programmed");
    assertThat(programmed.getReason()).isEqualTo("Pending");
    assertThat(programmed.getMessage())
        .contains("lvs2 (generation 4 in LvsNodeSlice lvs2-0, applied generation 6 of 7)")
        .doesNotContain("lvs1");
  }

  @Test
  void anEntryMovingBetweenSlicesCountsAtTheHighestGenerationApplied() {
    agent("lvs1", 4, 5, "MASTER", null, null, List.of());
    agent("lvs2", 4, 5, "BACKUP", null, null, List.of());
    slices.put(
        "lvs2", List.of(webSlice("lvs2-0", 2, 2L, null, 3), webSlice("lvs2-1", 9, 9L, null, 4)));

    VirtualServerStatus s =
        StatusAggregator.virtualServer(vs(4, null), programmed(4, List.of()), directors(), NOW);

    assertThat(condition(s, "Programmed").getStatus()).isEqualTo("True");
    assertThat(s.directors().get(1).programmedGeneration()).isEqualTo(4L);
  }

  @Test
  void pendingAndOmittedDestinationsAreNeitherHealthyNorDown() {
    agent(
        "lvs1",
        1,
        5,
        "MASTER",
        null,
        null,
        List.of(new LvsNodeStatus.HealthStatus("172.20.1.10", 80, null, null, null, null)));
    agent("lvs2", 1, 5, "BACKUP", null, null, List.of());
    slices.put("lvs2", List.of(webSlice("lvs2-0", 3, 3L, 2, 1)));

    VirtualServerStatus s =
        StatusAggregator.virtualServer(vs(1, null), programmed(1, TWO), directors(), NOW);

    // .10 is pending on lvs1 and lvs2 left some destinations out: neither says anything of .10.
    assertThat(s.realServers().getFirst().healthyOn()).isEmpty();
    assertThat(s.realServers().getFirst().unhealthyOn()).isEmpty();
    assertThat(s.realServers().get(1).healthyOn()).containsExactly("lvs1");
    assertThat(s.healthy()).isEqualTo("1/2");
    assertThat(condition(s, "Degraded").getStatus()).isEqualTo("False");
  }
}
