package io.lvsoperator.operator;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The operator at scale against Fabric8's CRUD mock API server: N VirtualServers with 20 real
 * servers each on 4 directors. The operator runs as its own process (the packaged jar), so its heap
 * is its own; this process serves the API and times every write the operator sends. Prints {@code
 * scale <figure> <value>} lines. Not a test: {@code bench/operator-scale [VIRTUAL_SERVERS]}.
 */
public final class OperatorScaleBench {
  private static final int DIRECTORS = 4;
  private static final int REAL_SERVERS = 20;
  private static final int PER_VIP = 100; // VirtualServers sharing one VIP (one VRRP instance)
  private static final int WARM_UP_CHANGES = 3;
  private static final Path OPERATOR_JAR = Path.of("target", "lvs-operator.jar");

  /** One write request the operator sent. */
  record Write(long nanos, String method, String path, int bytes, String body) {}

  private final List<Write> writes = new ArrayList<>();
  private final Set<String> statusWritten = ConcurrentHashMap.newKeySet();
  private final AtomicLong lastWrite = new AtomicLong(System.nanoTime());

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int changes = args.length > 1 ? Integer.parseInt(args[1]) : (count > 2000 ? 20 : 50);
    new OperatorScaleBench().run(count, changes);
  }

  private synchronized void record(RecordedRequest r) {
    String method = r.getMethod();
    if (method.equals("GET") || r.getPath().contains("selfsubjectrulesreviews")) {
      return;
    }
    String path = r.getPath();
    byte[] body = r.getBody() == null ? new byte[0] : r.getBody().getBytes();
    long now = System.nanoTime();
    lastWrite.set(now);
    // Keep node-config bodies (LvsNodes, slices) only while a change is being timed.
    boolean keep = path.contains("/lvsnode") && expecting != null;
    writes.add(
        new Write(
            now,
            method,
            path,
            body.length,
            keep ? new String(body, java.nio.charset.StandardCharsets.UTF_8) : null));
    if (path.contains("/virtualservers/") && path.endsWith("/status")) {
      statusWritten.add(path);
    }
  }

  private volatile String expecting;

  private void run(int count, int changes) throws Exception {
    java.util.logging.Logger.getLogger("io.fabric8.mockwebserver")
        .setLevel(java.util.logging.Level.WARNING);
    TestingCluster cluster =
        new TestingCluster(java.net.InetAddress.getLoopbackAddress(), this::record);
    cluster.keepNoBodies(); // this class keeps what it needs
    KubernetesClient client = cluster.client;
    for (int d = 1; d <= DIRECTORS; d++) {
      client
          .nodes()
          .resource(
              new NodeBuilder()
                  .withNewMetadata()
                  .withName("lvs" + d)
                  .endMetadata()
                  .withNewStatus()
                  .addNewAddress()
                  .withType("InternalIP")
                  .withAddress("10.0.0." + d)
                  .endAddress()
                  .addNewCondition()
                  .withType("Ready")
                  .withStatus("True")
                  .endCondition()
                  .endStatus()
                  .build())
          .create();
    }
    long createStart = System.nanoTime();
    for (int i = 0; i < count; i++) {
      client.resource(virtualServer(client, i)).create();
    }
    System.err.printf(
        "created %d VirtualServers in %d ms%n",
        count, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - createStart));
    synchronized (this) {
      writes.clear();
    }

    Path kubeconfig = Files.createTempFile("operator-scale", ".kubeconfig");
    Files.writeString(kubeconfig, cluster.kubeconfig("127.0.0.1", TestingCluster.OPERATOR_TOKEN));
    ProcessBuilder pb =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-XX:+UseG1GC",
                "-Xmx2g",
                "-jar",
                OPERATOR_JAR.toString())
            .redirectErrorStream(true)
            .redirectOutput(Files.createTempFile("operator-scale", ".log").toFile());
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    pb.environment().put("LEADER_ELECTION", "false");
    pb.environment().put("SERVER_SIDE_APPLY", "false");
    int httpPort;
    try (var socket = new java.net.ServerSocket(0)) {
      httpPort = socket.getLocalPort();
    }
    pb.environment().put("HTTP_PORT", Integer.toString(httpPort));
    pb.environment().put("RESYNC_SECONDS", "600");
    long start = System.nanoTime();
    Process operator = pb.start();
    try {
      // Full resync: from start to every VirtualServer's status and every director's config (its
      // head and slices).
      while (statusWritten.size() < count || quietFor() < 2_000) {
        if (!operator.isAlive()) {
          throw new IllegalStateException("the operator exited: " + operator.exitValue());
        }
        Thread.sleep(100);
      }
      long resyncMs = TimeUnit.NANOSECONDS.toMillis(lastWrite.get() - start);
      long heap = heapAfterGc(operator.pid());
      long largest;
      synchronized (this) {
        largest = writes.stream().mapToLong(Write::bytes).max().orElse(0);
      }
      // Warm-up: a long-running operator has compiled its hot paths; these are not timed.
      for (int c = 0; c < WARM_UP_CHANGES; c++) {
        change(client, Math.floorMod(count - 1 - c, count));
      }
      List<Long> latencies = new ArrayList<>();
      List<Long> bytes = new ArrayList<>();
      for (int c = 0; c < changes; c++) {
        int i = (int) ((c * 7919L) % count);
        long[] result = change(client, i);
        latencies.add(result[0]);
        bytes.add(result[1]);
      }
      synchronized (this) {
        largest = Math.max(largest, writes.stream().mapToLong(Write::bytes).max().orElse(0));
      }
      latencies.sort(null);
      System.out.printf("scale virtual_servers %d%n", count);
      System.out.printf("scale real_servers_per_virtual_server %d%n", REAL_SERVERS);
      System.out.printf("scale directors %d%n", DIRECTORS);
      System.out.printf("scale largest_object_written_bytes %d%n", largest);
      System.out.printf(
          "scale bytes_written_per_changed_virtual_server %d%n",
          (long) bytes.stream().mapToLong(Long::longValue).average().orElse(0));
      System.out.printf("scale apply_to_all_directors_p50_ms %d%n", percentile(latencies, 50));
      System.out.printf("scale apply_to_all_directors_p99_ms %d%n", percentile(latencies, 99));
      System.out.printf("scale changes_timed %d%n", latencies.size());
      System.out.printf("scale operator_heap_after_full_resync_bytes %d%n", heap);
      System.out.printf("scale full_resync_ms %d%n", resyncMs);
      // The operator's own share, from its /metrics: one compile, one Node (config) reconcile.
      String metrics = scrape(httpPort);
      System.out.printf(
          "scale operator_compile_mean_ms %d%n",
          meanMs(metrics, "lvs_operator_compile_duration", ""));
      System.out.printf(
          "scale operator_node_reconcile_mean_ms %d%n",
          meanMs(metrics, "lvs_operator_reconcile_duration", "controller=\"Node\",outcome=\"ok\""));
      System.out.printf(
          "scale operator_node_plan_mean_ms %d%n",
          meanMs(metrics, "lvs_operator_node_plan_duration", ""));
      System.out.printf(
          "scale slices_per_director %d%n",
          client.resources(io.lvsoperator.api.v1alpha1.LvsNodeSlice.class).list().getItems().size()
              / DIRECTORS);
    } finally {
      operator.destroy();
      operator.waitFor(15, TimeUnit.SECONDS);
      cluster.close();
    }
  }

  /** Changes VirtualServer i; returns [ms until every director's config carries it, bytes]. */
  private long[] change(KubernetesClient client, int i) throws Exception {
    String name = "vs-" + i;
    VirtualServer current =
        client.resources(VirtualServer.class).inNamespace("default").withName(name).get();
    long generation = current.getMetadata().getGeneration() + 1;
    int weight = 1 + (int) (generation % 50);
    int before;
    synchronized (this) {
      before = writes.size();
      expecting = "\"name\":\"" + name + "\",\"generation\":" + generation;
    }
    long t0 = System.nanoTime();
    client
        .resources(VirtualServer.class)
        .inNamespace("default")
        .withName(name)
        .patch(
            PatchContext.of(PatchType.JSON),
            "[{\"op\":\"add\",\"path\":\"/spec/realServers/0/weight\",\"value\":" + weight + "}]");
    long done = -1;
    long deadline = t0 + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      Set<String> carried = new java.util.HashSet<>();
      long latest = 0;
      synchronized (this) {
        for (Write w : writes.subList(before, writes.size())) {
          if (w.body() != null && w.body().contains(expecting)) {
            carried.add(nodeOf(w));
            latest = Math.max(latest, w.nanos());
          }
        }
      }
      if (carried.size() >= DIRECTORS) {
        done = latest;
        break;
      }
      Thread.sleep(5);
    }
    if (done < 0) {
      throw new IllegalStateException("no director carried " + expecting + " within 120 s");
    }
    while (quietFor() < 500) {
      Thread.sleep(20);
    }
    long total;
    synchronized (this) {
      if (System.getenv("BENCH_TRACE") != null) {
        for (Write w : writes.subList(before, writes.size())) {
          System.err.printf(
              "trace %s %s %d bytes +%d ms%n",
              w.method(), w.path(), w.bytes(), TimeUnit.NANOSECONDS.toMillis(w.nanos() - t0));
        }
      }
      expecting = null;
      total = writes.subList(before, writes.size()).stream().mapToLong(Write::bytes).sum();
      writes
          .subList(before, writes.size())
          .replaceAll(w -> new Write(w.nanos(), w.method(), w.path(), w.bytes(), null));
    }
    return new long[] {TimeUnit.NANOSECONDS.toMillis(done - t0), total};
  }

  private static final java.util.regex.Pattern NODE =
      java.util.regex.Pattern.compile("\"node\":\"([^\"]+)\"");

  /** The node a config write is for: a slice's spec names it, an LvsNode is named after it. */
  private static String nodeOf(Write w) {
    var m = NODE.matcher(w.body());
    return m.find() ? m.group(1) : w.path();
  }

  private static String scrape(int port) throws Exception {
    var client = java.net.http.HttpClient.newHttpClient();
    return client
        .send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/metrics"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** Mean of a Prometheus timer in milliseconds, from its _sum and _count with these labels. */
  private static long meanMs(String metrics, String timer, String labels) {
    double sum = 0;
    double count = 0;
    for (String line : metrics.lines().toList()) {
      if (!line.contains(labels)) {
        continue;
      }
      if (line.startsWith(timer + "_seconds_sum")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      } else if (line.startsWith(timer + "_seconds_count")) {
        count += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return count == 0 ? -1 : Math.round(sum / count * 1000);
  }

  private long quietFor() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastWrite.get());
  }

  private static long percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  /** Used heap of the operator process after a full GC, from {@code jcmd}. */
  private static long heapAfterGc(long pid) throws Exception {
    String jcmd =
        Path.of(ProcessHandle.current().info().command().orElse("java"))
            .resolveSibling("jcmd")
            .toString();
    new ProcessBuilder(jcmd, Long.toString(pid), "GC.run")
        .redirectErrorStream(true)
        .start()
        .waitFor();
    Process p =
        new ProcessBuilder(jcmd, Long.toString(pid), "GC.heap_info")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    var m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("cannot read the heap from jcmd: " + out);
    }
    return Long.parseLong(m.group(1)) * 1024;
  }

  private static VirtualServer virtualServer(KubernetesClient client, int i) {
    int vip = i / PER_VIP;
    StringBuilder realServers = new StringBuilder();
    for (int r = 0; r < REAL_SERVERS; r++) {
      realServers
          .append("      - address: 10.")
          .append(100 + vip / 250)
          .append('.')
          .append(vip % 250)
          .append('.')
          .append(r + 1)
          .append('\n');
    }
    String yaml =
        """
        apiVersion: lvsoperator.io/v1alpha1
        kind: VirtualServer
        metadata:
          name: vs-%d
          namespace: default
        spec:
          vip: 172.%d.%d.1
          port: %d
          scheduler: wrr
          forwarding: NAT
          realServers:
        %s  vrrp:
            interface: eth0
          directors:
            nodes:
              - name: lvs1
              - name: lvs2
              - name: lvs3
              - name: lvs4
        """
            .formatted(
                i, 16 + vip / 250, vip % 250, 1000 + i % PER_VIP, realServers.toString().indent(0));
    return client.getKubernetesSerialization().unmarshal(yaml, VirtualServer.class);
  }
}
