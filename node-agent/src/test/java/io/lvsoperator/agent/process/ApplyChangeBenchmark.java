package io.lvsoperator.agent.process;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.lvsoperator.agent.health.HealthMonitor;
import io.lvsoperator.agent.host.ipvs.GenlIpvsClient;
import io.lvsoperator.agent.host.ipvs.KernelIpvsProgrammer;
import io.lvsoperator.agent.host.ipvs.TestingKernelIpvs;
import io.lvsoperator.agent.ipvs.InMemoryIpvsClient;
import io.lvsoperator.agent.ipvs.IpvsClient;
import io.lvsoperator.agent.ipvs.IpvsDestination;
import io.lvsoperator.agent.ipvs.IpvsProtocol;
import io.lvsoperator.agent.ipvs.IpvsServiceKey;
import io.lvsoperator.agent.node.LoopbackVips;
import io.lvsoperator.agent.node.NodeAgent;
import io.lvsoperator.agent.node.NodeRuntime;
import io.lvsoperator.agent.scheduling.ScheduledExecutorEventLoop;
import io.lvsoperator.agent.vrrp.InMemoryVrrpNetwork;
import io.lvsoperator.agent.vrrp.VrrpEffects;
import io.lvsoperator.agent.vrrp.VrrpEngine;
import io.lvsoperator.api.manifest.ManifestReader;
import io.lvsoperator.api.manifest.ManifestSet;
import io.lvsoperator.api.v1alpha1.LvsNode;
import io.lvsoperator.api.v1alpha1.LvsNodeSlice;
import io.lvsoperator.api.v1alpha1.LvsNodeSliceSpec;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.api.v1alpha1.LvsNodeStatus;
import io.lvsoperator.compiler.Compiler;
import io.lvsoperator.compiler.NodeInfo;
import io.lvsoperator.compiler.NodeSlices;
import io.lvsoperator.testing.TestingSpecs;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Prints what one changed VirtualServer (one real server's weight) costs until the kernel has it,
 * in standalone and in Kubernetes mode, the way the agent did it before (standalone: every manifest
 * file read again, the whole node compiled, IPVS synced in full with one destination dump per
 * service; Kubernetes: one LvsNode holding the whole spec, synced in full) and now (standalone: the
 * changed file read, the node compiled, only the changed service programmed; Kubernetes: the one
 * slice holding it rewritten, head and slices merged, only the changed service programmed). A
 * benchmark, not a test: run it as root on a kernel with IPVS, i.e. in the lab ({@code
 * bench/apply-change-lab}, figures in docs/benchmarks.md); {@code --in-memory} replaces the kernel
 * by an in-memory table, to try it on a host without IPVS.
 *
 * <pre>
 * ApplyChangeBenchmark SERVICES [DESTINATIONS] [ROUNDS] [--in-memory] [--kubernetes-only]
 * </pre>
 *
 * <p>Each VirtualServer is one file and one IPVS service (250 ports per VIP on 10.210.0.0/16, real
 * servers on 10.211.0.0/16, checks of type NONE so nothing is probed), directed by this one node.
 * Kubernetes mode runs against Fabric8's CRUD mock API server in the same JVM (in the guest, when
 * run in the lab). The services are removed at the end. Prints {@code bench=<figure> ...} lines.
 */
public final class ApplyChangeBenchmark {
  private ApplyChangeBenchmark() {}

  private static final String NODE = "bench";

  /** etcd's default request size limit (--max-request-bytes, 1.5 MiB). */
  private static final int ETCD_REQUEST_LIMIT = 1_572_864;

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int destinations = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    boolean inMemory = List.of(args).contains("--in-memory");
    Path base = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of("/tmp");
    Path dir = Files.createTempDirectory(base, "apply-bench-manifests");
    Path state = Files.createTempDirectory(base, "apply-bench-state");
    System.out.printf(
        "bench=apply_setup services=%d destinations_per_service=%d rounds=%d kernel=%s"
            + " manifests=%s%n",
        count, destinations, rounds, inMemory ? "in-memory" : "ipvs", dir);
    for (int i = 0; i < count; i++) {
      Files.writeString(dir.resolve(fileName(i)), virtualServer(i, destinations, 1));
    }
    IpvsClient kernel = inMemory ? new InMemoryIpvsClient() : GenlIpvsClient.open();
    try {
      run(
          dir,
          state,
          kernel,
          count,
          destinations,
          rounds,
          List.of(args).contains("--kubernetes-only"));
    } finally {
      for (Path p : List.of(dir, state)) {
        try (var files = Files.walk(p)) {
          files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
      }
    }
  }

  private static void run(
      Path dir,
      Path state,
      IpvsClient kernel,
      int count,
      int destinations,
      int rounds,
      boolean kubernetesOnly)
      throws Exception {
    try (KernelIpvsProgrammer ipvs = TestingKernelIpvs.over(state, kernel);
        ScheduledExecutorEventLoop loop = new ScheduledExecutorEventLoop("bench-vrrp")) {
      NodeAgent agent =
          new NodeAgent(
              new VrrpEngine(
                  loop, new InMemoryVrrpNetwork().attach("10.209.0.1"), VrrpEffects.NONE),
              HealthMonitor::withNetty,
              ipvs,
              LoopbackVips.NONE);
      try {
        LvsNodeSpec spec = compile(ManifestReader.readDirectory(dir));
        long t0 = System.nanoTime();
        check(ipvs.program(0, spec.ipvsServices()));
        report("apply_program_from_empty", t0, "services=" + spec.ipvsServices().size());

        int round = 0;
        if (!kubernetesOnly) {
          round = standaloneBefore(dir, ipvs, kernel, count, destinations, rounds, round);
          round = standaloneAfter(dir, agent, kernel, count, destinations, rounds, round);
        }
        kubernetesBefore(spec, ipvs, kernel, count, rounds, round, state);
        round += rounds;
        kubernetesAfter(spec, agent, kernel, count, rounds, round, state);
      } finally {
        agent.close();
        ipvs.cleanup();
      }
    }
  }

  /** Before: every file read, the node compiled, IPVS synced in full (dump and diff). */
  private static int standaloneBefore(
      Path dir,
      KernelIpvsProgrammer ipvs,
      IpvsClient kernel,
      int count,
      int destinations,
      int rounds,
      int round)
      throws Exception {
    for (int r = 0; r < rounds; r++, round++) {
      int index = changed(count, round);
      int weight = 2 + round;
      Files.writeString(dir.resolve(fileName(index)), virtualServer(index, destinations, weight));
      long t0 = System.nanoTime();
      ManifestSet set = ManifestReader.readDirectory(dir);
      long t1 = System.nanoTime();
      LvsNodeSpec spec = compile(set);
      long t2 = System.nanoTime();
      check(ipvs.program(round, spec.ipvsServices()));
      long t3 = System.nanoTime();
      verify(kernel, index, weight);
      System.out.printf(
          "bench=standalone_before services=%d total_ms=%d read_ms=%d compile_ms=%d ipvs_ms=%d%n",
          count, ms(t0, t3), ms(t0, t1), ms(t1, t2), ms(t2, t3));
    }
    return round;
  }

  /** After: {@link StandaloneMode} as the agent runs it, told which file changed. */
  private static int standaloneAfter(
      Path dir,
      NodeAgent agent,
      IpvsClient kernel,
      int count,
      int destinations,
      int rounds,
      int round)
      throws Exception {
    StandaloneMode mode = new StandaloneMode(dir, NodeInfo.named(NODE), Map.of(), agent);
    long first = System.nanoTime();
    mode.reload(); // reads every file, programs in full (the first apply of a process)
    report("standalone_first_reload", first, "services=" + count);
    for (int r = 0; r < rounds; r++, round++) {
      int index = changed(count, round);
      int weight = 2 + round;
      Path file = dir.resolve(fileName(index));
      Files.writeString(file, virtualServer(index, destinations, weight));
      long t0 = System.nanoTime();
      var reload = mode.reload(List.of(file.getFileName()));
      long t1 = System.nanoTime();
      if (!reload.changed()) {
        throw new IllegalStateException("the reload applied nothing: " + reload.errors());
      }
      verify(kernel, index, weight);
      System.out.printf("bench=standalone_after services=%d total_ms=%d%n", count, ms(t0, t1));
    }
    return round;
  }

  /**
   * Before: one LvsNode holding the whole spec, edited, seen by an informer, synced in full (the
   * old agent's apply).
   */
  private static void kubernetesBefore(
      LvsNodeSpec spec,
      KernelIpvsProgrammer ipvs,
      IpvsClient kernel,
      int count,
      int rounds,
      int round,
      Path state)
      throws Exception {
    int bytes = new KubernetesSerialization().asJson(spec).length();
    if (bytes > ETCD_REQUEST_LIMIT) {
      // A real API server refuses such an object; the mock takes minutes per write under emulation.
      System.out.printf(
          "bench=kubernetes_before services=%d skipped lvsnode_bytes=%d (over etcd's %d-byte"
              + " request limit: a real API server refuses it)%n",
          count, bytes, ETCD_REQUEST_LIMIT);
      return;
    }
    KubernetesMockServer server = crudServer();
    try (KubernetesClient client = client(server)) {
      LvsNode node = new LvsNode();
      node.setMetadata(new ObjectMetaBuilder().withName(NODE).build());
      node.setSpec(spec);
      client.resource(node).create();
      LinkedBlockingQueue<Long> done = new LinkedBlockingQueue<>();
      NodeRuntime fullSync =
          (s, generation) -> {
            check(ipvs.program(generation, s.ipvsServices()));
            done.add(System.nanoTime());
          };
      try (KubernetesMode mode = mode(client, fullSync, state.resolve("k8s-before-cache"))) {
        mode.start();
        done.poll(10, TimeUnit.MINUTES);
        LvsNodeSpec current = spec;
        for (int r = 0; r < rounds; r++, round++) {
          int index = changed(count, round);
          int weight = 2 + round;
          LvsNodeSpec next = reweigh(current, index, weight);
          String body = specPatch(client, next);
          long t0 = System.nanoTime();
          client
              .resources(LvsNode.class)
              .withName(NODE)
              .patch(PatchContext.of(PatchType.JSON), body);
          long t1 = System.nanoTime();
          long applied = done.poll(10, TimeUnit.MINUTES);
          verify(kernel, index, weight);
          current = next;
          System.out.printf(
              "bench=kubernetes_before services=%d total_ms=%d api_write_ms=%d lvsnode_bytes=%d%n",
              count, ms(t0, applied), ms(t0, t1), body.length());
        }
      }
    } finally {
      server.destroy();
    }
  }

  /** After: the head and slices as the operator writes them; one slice rewritten per change. */
  private static void kubernetesAfter(
      LvsNodeSpec spec,
      NodeAgent agent,
      IpvsClient kernel,
      int count,
      int rounds,
      int round,
      Path state)
      throws Exception {
    KubernetesMockServer server = crudServer();
    try (KubernetesClient client = client(server)) {
      NodeSlices.Plan plan = NodeSlices.split(NODE, spec, Map.of(), NodeSlices.TARGET_BYTES);
      LvsNode head = new LvsNode();
      head.setMetadata(new ObjectMetaBuilder().withName(NODE).build());
      head.setSpec(
          new LvsNodeSpec(
              plan.head().vrrpInstances(),
              List.of(),
              List.of(),
              List.of(),
              plan.head().syncGroups()));
      client.resource(head).create();
      plan.slices()
          .forEach(
              (name, s) -> {
                LvsNodeSlice slice = new LvsNodeSlice();
                slice.setMetadata(
                    new ObjectMetaBuilder()
                        .withName(name)
                        .withLabels(Map.of(LvsNodeSlice.NODE_LABEL, NODE))
                        .build());
                slice.setSpec(s);
                client.resource(slice).create();
              });
      LinkedBlockingQueue<Long> done = new LinkedBlockingQueue<>();
      NodeRuntime runtime =
          (s, generation) -> {
            agent.apply(s, generation);
            done.add(System.nanoTime());
          };
      try (KubernetesMode mode = mode(client, runtime, state.resolve("k8s-cache"))) {
        long start = System.nanoTime();
        mode.start();
        done.poll(10, TimeUnit.MINUTES);
        report("kubernetes_first_apply", start, "slices=" + plan.slices().size());
        for (int r = 0; r < rounds; r++, round++) {
          int index = changed(count, round);
          int weight = 2 + round;
          String sliceName = sliceHolding(plan, index);
          LvsNodeSliceSpec next =
              reweigh(
                  client.resources(LvsNodeSlice.class).withName(sliceName).get().getSpec(),
                  index,
                  weight);
          String body = specPatch(client, next);
          long t0 = System.nanoTime();
          client
              .resources(LvsNodeSlice.class)
              .withName(sliceName)
              .patch(PatchContext.of(PatchType.JSON), body);
          long t1 = System.nanoTime();
          long applied = done.poll(10, TimeUnit.MINUTES);
          verify(kernel, index, weight);
          System.out.printf(
              "bench=kubernetes_after services=%d total_ms=%d api_write_ms=%d slice_bytes=%d"
                  + " slices=%d%n",
              count, ms(t0, applied), ms(t0, t1), body.length(), plan.slices().size());
        }
      }
    } finally {
      server.destroy();
    }
  }

  /**
   * A client of the mock with a 5-minute request timeout: under emulation in the lab, the old
   * agent's 2 MB LvsNode took longer to POST than the default 10 s.
   */
  private static KubernetesClient client(KubernetesMockServer server) {
    try (KubernetesClient defaults = server.createClient()) {
      return new KubernetesClientBuilder()
          .withConfig(
              new ConfigBuilder(defaults.getConfiguration()).withRequestTimeout(300_000).build())
          .build();
    }
  }

  private static KubernetesMode mode(KubernetesClient client, NodeRuntime runtime, Path cache) {
    return new KubernetesMode(
        client,
        NODE,
        "lvs-system",
        cache,
        runtime,
        new KubernetesMode.NodeReports() {
          @Override
          public LvsNodeStatus status(Long observedGeneration, boolean withHealth) {
            return new LvsNodeStatus(
                observedGeneration, null, Instant.now().toString(), null, List.of(), null, null);
          }

          @Override
          public List<NodeAgent.DestinationHealth> destinationHealth(
              LvsNodeSpec.IpvsService service) {
            return List.of();
          }
        },
        "bench",
        KubernetesMode.Timing.DEFAULT);
  }

  private static LvsNodeSpec compile(ManifestSet set) {
    if (!set.problems().isEmpty()) {
      throw new IllegalStateException("manifests: " + set.problems());
    }
    return Compiler.compile(StandaloneInputs.from(set, NodeInfo.named(NODE), Map.of(), Map.of()))
        .nodes()
        .get(NODE);
  }

  /** The VirtualServer changed in round {@code round}: spread over the table. */
  private static int changed(int count, int round) {
    return (count / 2 + round * 7919) % count;
  }

  private static String fileName(int i) {
    return String.format("vs-%05d.yaml", i);
  }

  private static String vip(int i) {
    int v = i / 250;
    return "10.210." + (v / 250) + "." + (v % 250 + 1);
  }

  private static int port(int i) {
    return 1000 + i % 250;
  }

  private static String virtualServer(int i, int destinations, int firstWeight) {
    StringBuilder rs = new StringBuilder();
    for (int k = 0; k < destinations; k++) {
      rs.append("    - {address: 10.211.")
          .append(k / 250)
          .append('.')
          .append(k % 250 + 1)
          .append(", port: ")
          .append(port(i))
          .append(", weight: ")
          .append(k == 0 ? firstWeight : 1)
          .append("}\n");
    }
    return """
        apiVersion: lvsoperator.io/v1alpha1
        kind: VirtualServer
        metadata: {name: %s, namespace: default}
        spec:
          vip: %s
          port: %d
          scheduler: wrr
          forwarding: DR
          healthCheck: {type: NONE}
          vrrp: {interface: bench0, advertIntervalMs: 1000}
          directors: {nodes: [{name: %s}]}
          realServers:
        %s"""
        .formatted(
            String.format("vs-%05d", i), vip(i), port(i), NODE, rs.toString().stripTrailing());
  }

  /** {@code spec} with the first destination of VirtualServer {@code i}'s service at {@code w}. */
  private static LvsNodeSpec reweigh(LvsNodeSpec spec, int i, int w) {
    List<LvsNodeSpec.IpvsService> services = new ArrayList<>(spec.ipvsServices());
    services.replaceAll(s -> isService(s, i) ? firstAt(s, w) : s);
    return new LvsNodeSpec(
        spec.vrrpInstances(), services, spec.realServerVips(), spec.sources(), spec.syncGroups());
  }

  private static LvsNodeSliceSpec reweigh(LvsNodeSliceSpec slice, int i, int w) {
    List<LvsNodeSliceSpec.Entry> entries = new ArrayList<>();
    for (LvsNodeSliceSpec.Entry e : slice.entries()) {
      List<LvsNodeSpec.IpvsService> services = new ArrayList<>(e.ipvsServices());
      services.replaceAll(s -> isService(s, i) ? firstAt(s, w) : s);
      entries.add(new LvsNodeSliceSpec.Entry(e.source(), e.vips(), services, e.realServerVips()));
    }
    return new LvsNodeSliceSpec(slice.node(), entries);
  }

  private static boolean isService(LvsNodeSpec.IpvsService s, int i) {
    return s.address().equals(vip(i)) && s.port() == port(i);
  }

  private static LvsNodeSpec.IpvsService firstAt(LvsNodeSpec.IpvsService s, int w) {
    List<LvsNodeSpec.Destination> ds = new ArrayList<>(s.destinations());
    ds.sort(Comparator.comparing(LvsNodeSpec.Destination::address));
    LvsNodeSpec.Destination d = ds.getFirst();
    List<LvsNodeSpec.Destination> out = new ArrayList<>(s.destinations());
    out.replaceAll(
        x ->
            x == d
                ? new LvsNodeSpec.Destination(d.address(), d.port(), w, d.forwarding(), d.drain())
                : x);
    return TestingSpecs.ServiceBuilder.from(s).destinations(out).build();
  }

  private static String sliceHolding(NodeSlices.Plan plan, int i) {
    String name = String.format("vs-%05d", i);
    return plan.slices().entrySet().stream()
        .filter(e -> e.getValue().entries().stream().anyMatch(x -> x.source().name().equals(name)))
        .findFirst()
        .orElseThrow()
        .getKey();
  }

  /** The kernel (or the in-memory table) holds the new weight of VirtualServer {@code i}. */
  private static void verify(IpvsClient kernel, int i, int weight) throws Exception {
    IpvsServiceKey key =
        IpvsServiceKey.of(IpvsProtocol.TCP, InetAddress.ofLiteral(vip(i)), port(i));
    List<IpvsDestination> ds = kernel.destinations(key);
    boolean found =
        ds.stream()
            .anyMatch(
                d -> d.address().getHostAddress().equals("10.211.0.1") && d.weight() == weight);
    if (!found) {
      throw new IllegalStateException("the kernel does not hold weight " + weight + ": " + ds);
    }
  }

  private static void check(io.lvsoperator.agent.node.IpvsProgrammer.Outcome outcome) {
    if (!outcome.complete()) {
      throw new IllegalStateException("ipvs: " + outcome.errors());
    }
  }

  private static long ms(long from, long to) {
    return TimeUnit.NANOSECONDS.toMillis(to - from);
  }

  private static void report(String what, long since, String detail) {
    System.out.printf(
        "bench=%s ms=%d %s%n",
        what, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since), detail);
  }

  /** A JSON patch that replaces the whole spec, as the operator writes one. */
  private static String specPatch(KubernetesClient client, Object spec) {
    return client
        .getKubernetesSerialization()
        .asJson(List.of(Map.of("op", "replace", "path", "/spec", "value", spec)));
  }

  /** Fabric8's CRUD mock API server on a random port of the loopback. */
  private static KubernetesMockServer crudServer() {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            responses,
            new KubernetesMixedDispatcher(responses),
            false);
    server.init();
    return server;
  }
}
