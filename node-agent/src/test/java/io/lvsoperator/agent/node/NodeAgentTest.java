package io.lvsoperator.agent.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lvsoperator.agent.health.HealthMonitor;
import io.lvsoperator.agent.health.ProbeResult;
import io.lvsoperator.agent.process.StandaloneInputs;
import io.lvsoperator.agent.scheduling.ScheduledExecutorEventLoop;
import io.lvsoperator.agent.scheduling.Scheduler;
import io.lvsoperator.agent.vrrp.InMemoryVrrpNetwork;
import io.lvsoperator.agent.vrrp.VrrpEffects;
import io.lvsoperator.agent.vrrp.VrrpEngine;
import io.lvsoperator.agent.vrrp.VrrpState;
import io.lvsoperator.api.manifest.ManifestReader;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.compiler.Compiler;
import io.lvsoperator.compiler.NodeInfo;
import io.lvsoperator.testing.TestingSpecs;
import io.lvsoperator.testing.TestingSpecs.HealthCheckBuilder;
import io.lvsoperator.testing.TestingSpecs.ServiceBuilder;
import io.lvsoperator.testing.TestingSpecs.VrrpInstanceBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The agent's data plane wiring, with VRRP on an in-memory network and scripted health probes. */
class NodeAgentTest {
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
  private final ScheduledExecutorEventLoop loop = new ScheduledExecutorEventLoop("vrrp-test");
  private final Set<String> down = ConcurrentHashMap.newKeySet();
  private final List<List<LvsNodeSpec.IpvsService>> programmed = new CopyOnWriteArrayList<>();
  private final List<List<String>> loopbacks = new CopyOnWriteArrayList<>();
  private NodeAgent agent;
  private SyncDaemons syncDaemons; // null: an agent without connection sync

  @AfterEach
  void tearDown() {
    if (agent != null) {
      agent.close();
    }
    loop.close();
    timers.shutdownNow();
  }

  private NodeAgent agent() {
    return agent(
        (generation, services) -> {
          programmed.add(services);
          return IpvsProgrammer.Outcome.DONE;
        });
  }

  private NodeAgent agent(IpvsProgrammer ipvs) {
    return agent(ipvs, NotifyCommands.Notifier.NONE);
  }

  private NodeAgent agent(IpvsProgrammer ipvs, NotifyCommands.Notifier notifier) {
    Scheduler scheduler =
        new Scheduler() {
          @Override
          public long nanoTime() {
            return System.nanoTime();
          }

          @Override
          public Instant now() {
            return Instant.now();
          }

          @Override
          public Cancellable schedule(Runnable task, long delayNanos) {
            var f = timers.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
          }

          @Override
          public void execute(Runnable task) {
            timers.execute(task);
          }
        };
    var network = new InMemoryVrrpNetwork();
    var engine = new VrrpEngine(loop, network.attach("172.20.1.1"), VrrpEffects.NONE);
    agent =
        new NodeAgent(
            engine,
            listener ->
                new HealthMonitor(
                    key ->
                        CompletableFuture.completedFuture(
                            down.contains(key.address())
                                ? ProbeResult.failed("connection refused")
                                : ProbeResult.ok()),
                    scheduler,
                    listener),
            ipvs,
            vips -> {
              loopbacks.add(vips);
              return List.of();
            },
            syncDaemons,
            notifier);
    return agent;
  }

  private static LvsNodeSpec referenceSpec(String node, Map<String, String> fastChecks)
      throws Exception {
    var set = ManifestReader.readDirectory(Path.of("..", "examples", "reference"));
    var result =
        Compiler.compile(StandaloneInputs.from(set, NodeInfo.named(node), Map.of(), Map.of()));
    var spec = result.nodes().get(node);
    if (fastChecks.isEmpty()) {
      return spec;
    }
    // The reference checks every 6 s; the test wants seconds, not minutes.
    var services =
        spec.ipvsServices().stream()
            .map(
                s ->
                    ServiceBuilder.from(s)
                        .healthCheck(HealthCheckBuilder.from(s.healthCheck()).fast(50).build())
                        .build())
            .toList();
    return new LvsNodeSpec(spec.vrrpInstances(), services, spec.realServerVips(), spec.sources());
  }

  @Test
  void directorProgramsIpvsThenBecomesMasterAndFollowsHealth() throws Exception {
    agent();
    agent.apply(referenceSpec("lvs1", Map.of("fast", "yes")), 1);
    assertThat(programmed.getFirst())
        .singleElement()
        .satisfies(s -> assertThat(s.destinations()).hasSize(2));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> agent.vrrp().states().get("eth0-51") == VrrpState.MASTER);

    down.add("172.20.1.10");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(programmed.getLast().getFirst().destinations())
                    .extracting(LvsNodeSpec.Destination::address)
                    .containsExactly("172.20.1.11"));
    assertThat(agent.status(7L, "test").health())
        .anySatisfy(
            h -> {
              assertThat(h.address()).isEqualTo("172.20.1.10");
              assertThat(h.healthy()).isFalse();
              assertThat(h.reason()).isEqualTo("connection refused");
            });

    down.clear();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(programmed.getLast().getFirst().destinations()).hasSize(2));
    var status = agent.status(7L, "test");
    assertThat(status.observedGeneration()).isEqualTo(7L);
    assertThat(status.vrrp())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.state()).isEqualTo("MASTER");
              assertThat(v.since()).as("when it became master").isNotNull();
            });
    assertThat(status.lastError()).isNull();
  }

  @Test
  void theSorryServerServesWhileQuorumIsLostAndTheStatusSaysSo() throws Exception {
    agent();
    List<String> changes = new CopyOnWriteArrayList<>();
    agent.addChangeListener(() -> changes.add("changed"));
    var reference = referenceSpec("lvs1", Map.of("fast", "yes"));
    var sorry =
        new LvsNodeSpec.Destination(
            "172.20.1.12", 80, 1, io.lvsoperator.api.v1alpha1.Forwarding.DR, false);
    var service =
        ServiceBuilder.from(reference.ipvsServices().getFirst()).sorryServer(sorry).build();
    agent.apply(
        new LvsNodeSpec(
            reference.vrrpInstances(),
            List.of(service),
            reference.realServerVips(),
            reference.sources()),
        1);
    await().atMost(Duration.ofSeconds(10)).until(() -> !programmed.isEmpty());
    assertThat(programmed.getLast().getFirst().destinations()).hasSize(2);
    assertThat(agent.status(1L, "test").quorumLost()).isEmpty();

    down.add("172.20.1.10");
    down.add("172.20.1.11");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(programmed.getLast().getFirst().destinations())
                    .as("only the sorry server")
                    .containsExactly(sorry));
    assertThat(agent.status(1L, "test").quorumLost())
        .singleElement()
        .satisfies(
            q -> {
              assertThat(q.service()).isEqualTo("172.20.1.100:80/TCP");
              assertThat(q.source()).isEqualTo(service.source());
              assertThat(q.liveWeight()).isZero();
              assertThat(q.sorryServerActive()).isTrue();
              assertThat(q.since()).isNotNull();
            });
    assertThat(changes).hasSize(1);

    down.remove("172.20.1.11");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(programmed.getLast().getFirst().destinations())
                    .as("the sorry server out, the live real server back")
                    .extracting(LvsNodeSpec.Destination::address)
                    .containsExactly("172.20.1.11"));
    assertThat(agent.status(1L, "test").quorumLost()).isEmpty();
    assertThat(changes).hasSize(2);
  }

  @Test
  void stateChangesQueueTheInstancesNotifyCommandsAndAStopRunsNotifyStop() throws Exception {
    List<NotifyCommands.Command> queued = new CopyOnWriteArrayList<>();
    agent(
        (generation, services) -> {
          programmed.add(services);
          return IpvsProgrammer.Outcome.DONE;
        },
        queued::addAll);
    var reference = referenceSpec("lvs1", Map.of());
    var notify =
        new LvsNodeSpec.Notify("/bin/up", "/bin/down", null, "/bin/stop", "/bin/any", 3000);
    var instance = reference.vrrpInstances().getFirst();
    var withNotify =
        new LvsNodeSpec.VrrpInstance(
            instance.name(),
            instance.interfaceName(),
            instance.virtualRouterId(),
            instance.priority(),
            instance.version(),
            instance.advertIntervalMs(),
            instance.preempt(),
            instance.preemptDelayMs(),
            instance.accept(),
            instance.authPass(),
            instance.unicastPeers(),
            instance.vips(),
            instance.trackInterfaces(),
            instance.garp(),
            instance.excludedVips(),
            instance.definedBy(),
            notify,
            null,
            null);
    agent.apply(
        new LvsNodeSpec(
            List.of(withNotify),
            reference.ipvsServices(),
            reference.realServerVips(),
            reference.sources()),
        1);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> agent.vrrp().states().get("eth0-51") == VrrpState.MASTER);
    // Dropping the instance stops it: its notify stop still runs, from the spec that had it.
    agent.apply(LvsNodeSpec.empty(), 2);
    await().atMost(Duration.ofSeconds(10)).until(() -> queued.size() == 6);
    assertThat(queued)
        .extracting(c -> String.join(" ", c.argv()))
        .containsExactly(
            "/bin/down",
            "/bin/any INSTANCE eth0-51 BACKUP 100",
            "/bin/up",
            "/bin/any INSTANCE eth0-51 MASTER 100",
            "/bin/stop",
            "/bin/any INSTANCE eth0-51 STOP 100");
    assertThat(queued).allMatch(c -> c.timeout().equals(Duration.ofSeconds(3)));
  }

  @Test
  void realServerNodeOnlyHoldsTheVipOnLoopback() throws Exception {
    agent();
    agent.apply(referenceSpec("rs1", Map.of()), 1);
    assertThat(loopbacks.getLast()).containsExactly("172.20.1.100");
    assertThat(programmed.getLast()).isEmpty();
    assertThat(agent.vrrp().states()).isEmpty();
  }

  @Test
  void resyncProgramsTheWholeTableAgainFromSpecAndHealth() throws Exception {
    agent();
    agent.apply(referenceSpec("lvs1", Map.of()), 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> programmed.size() == 1);
    agent.resyncIpvs();
    await().atMost(Duration.ofSeconds(10)).until(() -> programmed.size() == 2);
    assertThat(programmed.get(1)).isEqualTo(programmed.get(0));
  }

  @Test
  void failedIpvsProgrammingKeepsTheDirectorOutOfMaster() throws Exception {
    agent(
        (generation, services) ->
            IpvsProgrammer.Outcome.allFailed(services, "IPVS: family not found"));
    agent.apply(referenceSpec("lvs1", Map.of()), 1);
    Thread.sleep(1500);
    assertThat(agent.vrrp().states().get("eth0-51")).isEqualTo(VrrpState.FAULT);
    assertThat(agent.status(1L, "test").lastError()).contains("IPVS: family not found");
  }

  @Test
  void aFailedServiceFaultsOnlyTheInstanceCarryingItsVipUntilAResyncSucceeds() throws Exception {
    java.util.Set<String> failing = java.util.concurrent.ConcurrentHashMap.newKeySet();
    failing.add("172.20.1.101");
    agent(
        (generation, services) -> {
          programmed.add(services);
          List<String> errors = new ArrayList<>();
          java.util.Set<String> instances = new java.util.HashSet<>();
          for (var s : services) {
            if (failing.contains(s.address())) {
              errors.add("ipvs: add " + s.address() + ": EINVAL");
              instances.add(s.vrrpInstance());
            }
          }
          return new IpvsProgrammer.Outcome(errors, instances, true);
        });
    agent.apply(withSecondInstance(referenceSpec("lvs1", Map.of())), 1);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> agent.vrrp().states().get("eth0-51") == VrrpState.MASTER);
    assertThat(agent.vrrp().states().get("eth0-52")).isEqualTo(VrrpState.FAULT);
    assertThat(agent.lastError()).isEqualTo("ipvs: add 172.20.1.101: EINVAL");

    failing.clear();
    agent.resyncIpvs();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> agent.vrrp().states().get("eth0-52") == VrrpState.MASTER);
    assertThat(agent.lastError()).isNull();
    assertThat(agent.vrrp().states().get("eth0-51")).isEqualTo(VrrpState.MASTER);
  }

  private static LvsNodeSpec withConnectionSync(LvsNodeSpec spec, LvsNodeSpec.ConnectionSync c) {
    var instances =
        spec.vrrpInstances().stream()
            .map(i -> VrrpInstanceBuilder.from(i).connectionSync(c).build())
            .toList();
    return new LvsNodeSpec(instances, spec.ipvsServices(), spec.realServerVips(), spec.sources());
  }

  @Test
  void theSyncDaemonFollowsTheInstanceAndABadConnectionSyncChangesNothing() throws Exception {
    var kernel = new ConnectionSyncFollowerTest.KernelLikeDaemons();
    syncDaemons = kernel;
    agent();
    LvsNodeSpec reference = referenceSpec("lvs1", Map.of());
    agent.apply(
        withConnectionSync(
            reference, new LvsNodeSpec.ConnectionSync("eth0", 51, null, null, null, null)),
        1);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(kernel.roles()).containsExactly("master eth0 51"));
    assertThat(kernel.calls).containsSubsequence("start backup", "stop backup", "start master");
    assertThat(agent.lastError()).isNull();

    agent.apply(
        withConnectionSync(
            reference, new LvsNodeSpec.ConnectionSync("eth0", 51, null, null, null, "10.0.0.1")),
        2);
    assertThat(agent.lastError())
        .isEqualTo(
            "vrrpInstances[eth0-51].connectionSync: sync daemon group: 10.0.0.1 is not an IPv4"
                + " multicast address");
    Thread.sleep(300);
    assertThat(kernel.roles()).as("what ran stays").containsExactly("master eth0 51");

    agent.apply(reference, 3);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(kernel.roles()).as("no longer asked for").isEmpty());
    assertThat(agent.lastError()).isNull();
  }

  /**
   * The reference spec plus a second instance (VRID 52, 172.20.1.101) with a copy of its service.
   */
  private static LvsNodeSpec withSecondInstance(LvsNodeSpec spec) {
    var first = spec.vrrpInstances().getFirst();
    var second =
        VrrpInstanceBuilder.from(first)
            .name("eth0-52")
            .virtualRouterId(52)
            .vips(List.of(new LvsNodeSpec.Vip("172.20.1.101", 16, null)))
            .build();
    var service =
        ServiceBuilder.from(spec.ipvsServices().getFirst())
            .address("172.20.1.101")
            .vrrpInstance("eth0-52")
            .build();
    List<LvsNodeSpec.VrrpInstance> instances = new ArrayList<>(spec.vrrpInstances());
    instances.add(second);
    List<LvsNodeSpec.IpvsService> services = new ArrayList<>(spec.ipvsServices());
    services.add(service);
    return new LvsNodeSpec(
        instances, services, spec.realServerVips(), spec.sources(), spec.syncGroups());
  }

  @Test
  void theConfigGenerationAppliedIsWhatIpvsIsProgrammedAndReportedWith() throws Exception {
    List<Long> generations = new CopyOnWriteArrayList<>();
    agent(
        new IpvsProgrammer() {
          @Override
          public IpvsProgrammer.Outcome program(
              long generation, List<LvsNodeSpec.IpvsService> services) {
            generations.add(generation);
            return IpvsProgrammer.Outcome.DONE;
          }
        });
    agent.apply(referenceSpec("lvs1", Map.of()), 7);
    agent.resyncIpvs();
    await().atMost(Duration.ofSeconds(10)).until(() -> generations.size() == 2);
    agent.apply(referenceSpec("lvs2", Map.of()), 8);
    assertThat(generations).containsExactly(7L, 7L, 8L);
  }

  /** Records every call: full programs into {@code programmed}, the partial ones here. */
  private final class RecordingProgrammer implements IpvsProgrammer {
    final List<List<LvsNodeSpec.IpvsService>> alls = new CopyOnWriteArrayList<>();
    final List<List<LvsNodeSpec.IpvsService>> changed = new CopyOnWriteArrayList<>();
    final List<List<LvsNodeSpec.IpvsService>> gone = new CopyOnWriteArrayList<>();
    final List<List<LvsNodeSpec.IpvsService>> came = new CopyOnWriteArrayList<>();

    @Override
    public IpvsProgrammer.Outcome program(long generation, List<LvsNodeSpec.IpvsService> services) {
      programmed.add(services);
      return IpvsProgrammer.Outcome.DONE;
    }

    @Override
    public IpvsProgrammer.Outcome programHealthChange(
        long generation, List<LvsNodeSpec.IpvsService> all, List<LvsNodeSpec.IpvsService> c) {
      alls.add(all);
      changed.add(c);
      return new IpvsProgrammer.Outcome(List.of(), Set.of(), false);
    }

    @Override
    public IpvsProgrammer.Outcome programChange(
        long generation,
        List<LvsNodeSpec.IpvsService> all,
        List<LvsNodeSpec.IpvsService> g,
        List<LvsNodeSpec.IpvsService> c) {
      gone.add(g);
      came.add(c);
      return new IpvsProgrammer.Outcome(List.of(), Set.of(), false);
    }
  }

  @Test
  void healthChangeReprogramsOnlyTheServicesOfThatRealServer() throws Exception {
    RecordingProgrammer recorder = new RecordingProgrammer();
    agent(recorder);
    List<List<LvsNodeSpec.IpvsService>> changes = recorder.changed;
    List<List<LvsNodeSpec.IpvsService>> alls = recorder.alls;
    LvsNodeSpec reference = referenceSpec("lvs1", Map.of("fast", "yes"));
    LvsNodeSpec.IpvsService web = reference.ipvsServices().getFirst();
    LvsNodeSpec.IpvsService other =
        ServiceBuilder.from(web)
            .port(8080)
            .destinations(
                List.of(
                    TestingSpecs.destination(
                        "172.20.1.12", 8080, 1, web.destinations().getFirst().forwarding())))
            .build();
    agent.apply(
        new LvsNodeSpec(
            reference.vrrpInstances(),
            List.of(web, other),
            reference.realServerVips(),
            reference.sources()),
        1);

    down.add("172.20.1.10");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(changes).isNotEmpty());

    assertThat(changes.getFirst())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.port()).isEqualTo(web.port());
              assertThat(s.destinations())
                  .extracting(LvsNodeSpec.Destination::address)
                  .containsExactly("172.20.1.11");
            });
    assertThat(alls.getFirst()).hasSize(2).element(1).isEqualTo(other);
    assertThat(programmed).as("no full program after the apply").hasSize(1);
    assertThat(agent.effectiveServices().getFirst().service())
        .isEqualTo(changes.getFirst().getFirst());
  }

  @Test
  void aNewSpecTouchesOnlyTheServicesThatCameOrWentAndNothingElseWhenEqual() throws Exception {
    RecordingProgrammer recorder = new RecordingProgrammer();
    agent(recorder);
    List<List<LvsNodeSpec.IpvsService>> gones = recorder.gone;
    List<List<LvsNodeSpec.IpvsService>> cames = recorder.came;
    LvsNodeSpec reference = referenceSpec("lvs1", Map.of());
    LvsNodeSpec.IpvsService web = reference.ipvsServices().getFirst();
    LvsNodeSpec.IpvsService other = ServiceBuilder.from(web).port(8080).build();
    LvsNodeSpec.IpvsService otherEdited =
        ServiceBuilder.from(other).destinations(List.of(web.destinations().getFirst())).build();
    LvsNodeSpec.IpvsService third = ServiceBuilder.from(web).port(9090).build();
    LvsNodeSpec before =
        new LvsNodeSpec(
            reference.vrrpInstances(),
            List.of(web, other),
            List.of("172.20.1.200"),
            reference.sources());
    LvsNodeSpec after =
        new LvsNodeSpec(
            reference.vrrpInstances(),
            List.of(web, otherEdited, third),
            List.of("172.20.1.200"),
            reference.sources());

    agent.apply(before, 1);
    agent.apply(after, 2);
    agent.apply(after, 3);

    assertThat(programmed).as("only the first apply programs everything").hasSize(1);
    assertThat(gones).containsExactly(List.of(other), List.of());
    assertThat(cames).containsExactly(List.of(otherEdited, third), List.of());
    assertThat(loopbacks).as("the loopback VIPs did not change").hasSize(1);
    assertThat(agent.effectiveServices())
        .extracting(e -> e.service().port())
        .containsExactly(80, 8080, 9090);
    assertThat(agent.lastError()).isNull();
  }
}
