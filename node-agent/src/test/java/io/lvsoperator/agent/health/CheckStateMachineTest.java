package io.lvsoperator.agent.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CheckStateMachineTest {

  private static CheckStateMachine machine(int rise, int fall) {
    return new CheckStateMachine(new CheckTiming(1000, 500, 300, rise, fall));
  }

  @Test
  void startsUpAndGoesDownOnTheFallthFailureRetryingInBetween() {
    CheckStateMachine m = machine(2, 3);
    assertThat(m.health()).isEqualTo(ServerHealth.UP);
    assertThat(m.onResult(false))
        .isEqualTo(new CheckStateMachine.Step(ServerHealth.UP, false, 1, 300));
    assertThat(m.onResult(false))
        .isEqualTo(new CheckStateMachine.Step(ServerHealth.UP, false, 2, 300));
    assertThat(m.onResult(false))
        .isEqualTo(new CheckStateMachine.Step(ServerHealth.DOWN, true, 3, 1000));
    assertThat(m.onResult(false))
        .isEqualTo(new CheckStateMachine.Step(ServerHealth.DOWN, false, 4, 1000));
  }

  @Test
  void aSuccessResetsTheFailureCount() {
    CheckStateMachine m = machine(2, 2);
    m.onResult(false);
    assertThat(m.onResult(true))
        .isEqualTo(new CheckStateMachine.Step(ServerHealth.UP, false, 1, 1000));
    assertThat(m.onResult(false).health()).isEqualTo(ServerHealth.UP);
    assertThat(m.onResult(false).health()).isEqualTo(ServerHealth.DOWN);
  }

  @Test
  void comesBackOnTheRisethSuccessInARow() {
    CheckStateMachine m = machine(3, 1);
    assertThat(m.onResult(false).transition()).isTrue();
    assertThat(m.onResult(true).health()).isEqualTo(ServerHealth.DOWN);
    assertThat(m.onResult(true).health()).isEqualTo(ServerHealth.DOWN);
    assertThat(m.onResult(false).health()).isEqualTo(ServerHealth.DOWN); // streak broken
    assertThat(m.onResult(true).health()).isEqualTo(ServerHealth.DOWN);
    assertThat(m.onResult(true).health()).isEqualTo(ServerHealth.DOWN);
    assertThat(m.onResult(true))
        .isEqualTo(new CheckStateMachine.Step(ServerHealth.UP, true, 3, 1000));
  }

  @Test
  void alternatingResultsNeverFlipWithRiseAndFallTwo() {
    CheckStateMachine m = machine(2, 2);
    for (int i = 0; i < 100; i++) {
      assertThat(m.onResult(i % 2 == 0).transition()).isFalse();
    }
  }

  @Test
  void timingAppliesDefaultsAndKeepalivedRetryRule() {
    var nothingSet = TestingServices.check(CheckType.TCP).build();
    assertThat(CheckTiming.of(nothingSet)).isEqualTo(new CheckTiming(500, 500, 500, 2, 2));

    var keepalived =
        TestingServices.check(CheckType.HTTP_GET)
            .path("/")
            .expectedStatus("200")
            .intervalMs(6000)
            .timeoutMs(3000)
            .retry(3)
            .delayBeforeRetryMs(3000)
            .rise(1)
            .fall(7)
            .build();
    assertThat(CheckTiming.of(keepalived)).isEqualTo(new CheckTiming(6000, 3000, 3000, 1, 4));

    var retryZero =
        TestingServices.check(CheckType.TCP)
            .intervalMs(1000)
            .timeoutMs(200)
            .retry(0)
            .fall(5)
            .build();
    assertThat(CheckTiming.of(retryZero).fall()).isEqualTo(1);
  }

  @Test
  void badTimingNamesTheField() {
    var negativeRetry = TestingServices.check(CheckType.TCP).retry(-1).build();
    assertThatThrownBy(() -> CheckTiming.of(negativeRetry))
        .hasMessage("healthCheck.retry: -1 is negative");
    assertThatThrownBy(() -> new CheckTiming(0, 1, 1, 1, 1))
        .hasMessage("healthCheck.intervalMs: 0 is not > 0");
  }
}
