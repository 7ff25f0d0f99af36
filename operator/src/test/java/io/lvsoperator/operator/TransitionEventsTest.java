package io.lvsoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.lvsoperator.api.v1alpha1.VirtualServerStatus;
import io.lvsoperator.api.v1alpha1.VirtualServerStatus.RealServerHealth;
import io.lvsoperator.operator.TransitionEvents.Note;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransitionEventsTest {
  private static VirtualServerStatus status(
      String master, List<RealServerHealth> realServers, Condition... conditions) {
    return new VirtualServerStatus(
        1L, List.of(conditions), master, 51, List.of(), realServers, "0/0", 0, 0);
  }

  private static Condition condition(String type, String status, String reason, String message) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .build();
  }

  @Test
  void masterMovedNamesBothDirectors() {
    assertThat(TransitionEvents.between(status("lvs1", List.of()), status("lvs2", List.of())))
        .containsExactly(Note.normal("MasterMoved", "master moved from lvs1 to lvs2"));
    assertThat(TransitionEvents.between(null, status("lvs1", List.of())))
        .containsExactly(Note.normal("MasterElected", "lvs1 is master"));
    assertThat(TransitionEvents.between(status("lvs1", List.of()), status("lvs1", List.of())))
        .isEmpty();
  }

  @Test
  void realServerDownAndUpCarryTheReasonPerDirector() {
    var up = new RealServerHealth("10.0.0.1", 80, List.of("a", "b"), List.of(), null);
    var down =
        new RealServerHealth("10.0.0.1", 80, List.of("b"), List.of("a"), "connection refused");
    assertThat(TransitionEvents.between(status("a", List.of(up)), status("a", List.of(down))))
        .containsExactly(
            Note.warning("RealServerDown", "10.0.0.1:80 is down on a: connection refused"));
    assertThat(TransitionEvents.between(status("a", List.of(down)), status("a", List.of(up))))
        .containsExactly(Note.normal("RealServerUp", "10.0.0.1:80 is up again on a"));
    assertThat(TransitionEvents.between(status("a", List.of(down)), status("a", List.of(down))))
        .isEmpty();
  }

  @Test
  void conflictAndSplitBrainAreReportedWhenTheyBegin() {
    Condition conflict =
        condition("Conflict", "True", "VipPortInUse", "VIP_PORT with default/older");
    Condition noConflict = condition("Conflict", "False", "NoConflict", "");
    assertThat(
            TransitionEvents.between(
                status(null, List.of(), noConflict), status(null, List.of(), conflict)))
        .containsExactly(Note.warning("Conflict", "VIP_PORT with default/older"));
    assertThat(
            TransitionEvents.between(
                status(null, List.of(), conflict), status(null, List.of(), conflict)))
        .isEmpty();

    Condition split = condition("SplitBrain", "True", "MultipleMasters", "a, b all report MASTER");
    assertThat(TransitionEvents.between(status("a", List.of()), status("a", List.of(), split)))
        .containsExactly(Note.warning("SplitBrain", "a, b all report MASTER"));
  }

  @Test
  void aPolicyViolationIsReportedWhenItBegins() {
    String message =
        "spec.vip: 10.9.0.1 is outside the VIP ranges of TenantPolicy team-a (10.0.10.0/24);"
            + " nothing runs for it";
    Condition refused = condition("Programmed", "False", "PolicyViolation", message);
    Condition pending = condition("Programmed", "False", "Pending", "");
    assertThat(
            TransitionEvents.between(
                status(null, List.of(), pending), status(null, List.of(), refused)))
        .containsExactly(Note.warning("PolicyViolation", message));
    assertThat(
            TransitionEvents.between(
                status(null, List.of(), refused), status(null, List.of(), refused)))
        .isEmpty();

    String rsMessage = "spec.address: 127.0.0.1 is loopback, refused by TenantPolicy team-a";
    var accepted =
        new io.lvsoperator.api.v1alpha1.RealServerStatus(
            1L,
            List.of(condition("Accepted", "True", "Accepted", "serves a/web")),
            "0/0",
            null,
            null);
    var rsRefused =
        new io.lvsoperator.api.v1alpha1.RealServerStatus(
            2L,
            List.of(condition("Accepted", "False", "PolicyViolation", rsMessage)),
            "0/0",
            null,
            null);
    assertThat(TransitionEvents.between(accepted, rsRefused))
        .containsExactly(Note.warning("PolicyViolation", rsMessage));
    assertThat(TransitionEvents.between(rsRefused, rsRefused)).isEmpty();
    assertThat(TransitionEvents.between(null, rsRefused)).hasSize(1);
  }
}
