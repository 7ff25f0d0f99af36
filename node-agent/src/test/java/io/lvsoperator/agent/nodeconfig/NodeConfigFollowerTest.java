package io.lvsoperator.agent.nodeconfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvsoperator.agent.scheduling.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** When a node applies what: initial lists, debounce, deletions confirmed by a second read. */
class NodeConfigFollowerTest {
  private static final Duration DEBOUNCE = Duration.ofMillis(100);
  private static final Duration CONFIRM = Duration.ofSeconds(10);

  private final ManualScheduler clock = new ManualScheduler();
  private final List<NodeConfig> applied = new ArrayList<>();
  private final List<Boolean> fromCache = new ArrayList<>();
  private final AtomicInteger reads = new AtomicInteger();

  /** What the informers hold; empty while a list is incomplete. */
  private Optional<NodeConfig> informers = Optional.empty();

  /** What a direct read of the API server finds; null: the read fails. */
  private NodeConfig server;

  private NodeConfigFollower follower;
  private NodeConfig full;
  private NodeConfig edited;

  @BeforeEach
  void setUp() throws Exception {
    var spec = TestingNodeConfigs.reference("lvs1");
    full = TestingNodeConfigs.split("lvs1", spec, 1);
    edited =
        new NodeConfig(full.head(), 2, full.slices(), full.passwords()); // a new head generation
    follower =
        new NodeConfigFollower(
            clock,
            new NodeConfigFollower.Source() {
              @Override
              public Optional<NodeConfig> current() {
                return informers;
              }

              @Override
              public NodeConfig readNow() throws Exception {
                reads.incrementAndGet();
                if (server == null) {
                  throw new java.io.IOException("connection refused");
                }
                return server;
              }
            },
            (config, cached) -> {
              applied.add(config);
              fromCache.add(cached);
            },
            DEBOUNCE,
            CONFIRM);
  }

  @Test
  void nothingIsAppliedBeforeTheListsAreCompleteThenABurstIsAppliedOnce() {
    follower.start(null);
    follower.changed();
    clock.advance(Duration.ofSeconds(1));
    assertThat(applied).as("lists incomplete").isEmpty();

    informers = Optional.of(full);
    follower.changed();
    clock.advance(Duration.ofMillis(50));
    informers = Optional.of(edited);
    follower.changed();
    follower.changed();
    assertThat(applied).as("within the debounce").isEmpty();
    clock.advance(Duration.ofMillis(50));

    assertThat(applied).containsExactly(edited);
    assertThat(fromCache).containsExactly(false);
    follower.changed();
    clock.advance(Duration.ofSeconds(1));
    assertThat(applied).as("nothing new").hasSize(1);
  }

  @Test
  void theCacheIsServedAtOnceAndReplacedByWhatTheListsSay() {
    follower.start(full);
    assertThat(applied).containsExactly(full);
    assertThat(fromCache).containsExactly(true);

    informers = Optional.of(edited);
    follower.changed();
    clock.advance(DEBOUNCE);
    assertThat(applied).containsExactly(full, edited);
  }

  @Test
  void aRestartWhileTheConfigIsGoneServesTheCacheUntilASecondReadConfirms() {
    follower.start(full);
    informers = Optional.of(NodeConfig.NONE);
    server = NodeConfig.NONE;
    follower.changed();
    clock.advance(DEBOUNCE.plus(CONFIRM).minusMillis(1));
    assertThat(applied).as("still the cache").containsExactly(full);
    assertThat(reads).hasValue(0);

    clock.advance(Duration.ofMillis(1));
    assertThat(reads).hasValue(1);
    assertThat(applied).containsExactly(full, NodeConfig.NONE);
  }

  @Test
  void aMassDeletionNeedsAConfirmingReadAndIsNotAppliedWhenTheServerStillHasTheObjects() {
    follower.start(null);
    informers = Optional.of(full);
    follower.changed();
    clock.advance(DEBOUNCE);

    informers = Optional.of(NodeConfig.NONE); // e.g. the informers saw the CRDs go
    server = full; // but the API server still has them
    follower.changed();
    clock.advance(CONFIRM.plus(DEBOUNCE));
    assertThat(reads).hasValue(1);
    assertThat(applied).as("not torn down").containsExactly(full);

    server = NodeConfig.NONE; // now they are gone for good
    clock.advance(CONFIRM.multipliedBy(2).plus(DEBOUNCE.multipliedBy(2)));
    assertThat(applied).containsExactly(full, NodeConfig.NONE);
  }

  @Test
  void aDeletionThatIsUndoneBeforeTheConfirmationIsForgotten() {
    follower.start(null);
    informers = Optional.of(full);
    follower.changed();
    clock.advance(DEBOUNCE);

    informers = Optional.of(new NodeConfig(full.head(), 1, new TreeMap<>(), full.passwords()));
    follower.changed();
    clock.advance(Duration.ofSeconds(2));
    informers = Optional.of(edited); // the slices are back
    follower.changed();
    clock.advance(CONFIRM.multipliedBy(2));

    assertThat(reads).hasValue(0);
    assertThat(applied).containsExactly(full, edited);
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void aConfirmingReadThatFailsIsTriedAgainAndNothingChangesMeanwhile() {
    follower.start(full);
    informers = Optional.of(NodeConfig.NONE);
    server = null; // the API server cannot be reached
    follower.changed();
    clock.advance(CONFIRM.multipliedBy(3).plus(DEBOUNCE));
    assertThat(reads).hasValue(3);
    assertThat(applied).containsExactly(full);

    server = NodeConfig.NONE;
    clock.advance(CONFIRM);
    assertThat(applied).containsExactly(full, NodeConfig.NONE);
  }

  @Test
  void withNothingRunningAnEmptyConfigIsAppliedWithoutWaiting() {
    follower.start(null);
    informers = Optional.of(NodeConfig.NONE);
    follower.changed();
    clock.advance(DEBOUNCE);
    assertThat(applied).containsExactly(NodeConfig.NONE);
    assertThat(reads).hasValue(0);
  }

  @Test
  void emptiesMeansTheHeadOrTheLastSliceGoes() {
    NodeConfig headOnly = new NodeConfig(full.head(), 1, new TreeMap<>(), Map.of());
    NodeConfig slicesOnly = new NodeConfig(null, 0, full.slices(), Map.of());
    assertThat(NodeConfigFollower.empties(full, headOnly)).isTrue();
    assertThat(NodeConfigFollower.empties(full, slicesOnly)).isTrue();
    assertThat(NodeConfigFollower.empties(full, edited)).isFalse();
    assertThat(NodeConfigFollower.empties(headOnly, headOnly)).isFalse();
    assertThat(NodeConfigFollower.empties(null, NodeConfig.NONE)).isFalse();
  }
}
