package io.lvsoperator.agent.process;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.lvsoperator.compiler.NodeInfo;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The long-running commands: standalone, kubernetes, cleanup. */
final class AgentCommands {
  private static final Logger log = LoggerFactory.getLogger(AgentCommands.class);

  private AgentCommands() {}

  static int standalone(List<String> args, PrintStream err) throws Exception {
    String dir = Main.option(args, "--manifests");
    String node = Main.option(args, "--node-name");
    if (dir == null || node == null) {
      err.println("standalone: --manifests DIR and --node-name NAME are required");
      return 2;
    }
    if (!Files.isDirectory(Path.of(dir))) {
      err.println("standalone: --manifests " + dir + " is not a directory");
      return 2;
    }
    Options o = Options.parse(args, err);
    if (o == null) {
      return 2;
    }
    AgentProcess process = new AgentProcess(o.stateDir, o.drInterfaces, o.handover);
    StandaloneMode mode =
        new StandaloneMode(
            Path.of(dir),
            new NodeInfo(node, o.labels, o.addresses.getOrDefault(node, List.of())),
            o.addresses,
            process.runtime());
    var first = mode.reload();
    first.errors().forEach(e -> err.println("error: " + e));
    startHttp(o, process, () -> true);
    mode.watch(300);
    installSighup(mode::reloadLogged);
    return runUntilTerminated(process, mode);
  }

  static int kubernetes(List<String> args, PrintStream err) throws Exception {
    String node = Main.option(args, "--node-name");
    if (node == null) {
      err.println("kubernetes: --node-name NAME is required");
      return 2;
    }
    Options o = Options.parse(args, err);
    if (o == null) {
      return 2;
    }
    String cacheDir = Main.option(args, "--cache-dir");
    AgentProcess process = new AgentProcess(o.stateDir, o.drInterfaces, o.handover);
    var client = new KubernetesClientBuilder().build();
    KubernetesMode[] holder = new KubernetesMode[1];
    KubernetesMode mode =
        new KubernetesMode(
            client,
            node,
            cacheDir == null ? o.stateDir : Path.of(cacheDir),
            process.runtime(),
            generation -> process.agent().status(generation, AgentProcess.VERSION),
            Duration.ofSeconds(1),
            Duration.ofSeconds(30));
    holder[0] = mode;
    startHttp(o, process, () -> mode.appliedGeneration() != null);
    process.agent().vrrp().addListener(t -> holder[0].statusChanged());
    process.agent().addChangeListener(() -> holder[0].statusChanged());
    mode.start();
    int rc = runUntilTerminated(process, mode);
    client.close();
    return rc;
  }

  static int cleanup(List<String> args, PrintStream out, PrintStream err) throws Exception {
    Options o = Options.parse(args, err);
    if (o == null) {
      return 2;
    }
    try (AgentProcess process = new AgentProcess(o.stateDir, o.drInterfaces, o.handover)) {
      List<String> errors = process.cleanup();
      errors.forEach(e -> err.println("error: " + e));
      out.println(errors.isEmpty() ? "cleanup done" : "cleanup incomplete");
      return errors.isEmpty() ? 0 : 1;
    }
  }

  /** The HTTP endpoints, on --http-port or $AGENT_HTTP_PORT (none when neither is set). */
  private static void startHttp(
      Options o, AgentProcess process, java.util.function.BooleanSupplier applied)
      throws java.io.IOException {
    if (o.httpPort() > 0) {
      var http = new AgentHttpServer(o.httpPort(), process.agent(), applied);
      log.info("event=http_listening port={}", http.port());
    }
  }

  /**
   * Blocks until SIGTERM/SIGINT, then hands over gracefully. The signals get handlers of their own
   * that start the handover at once (priority 0 first, then the mode is closed). Through the JVM's
   * shutdown sequence and hooks, with the mode closed first, ~0.45 s passed between SIGTERM and the
   * priority-0 advert in the emulated lab. A shutdown hook still covers an exit by any other path.
   */
  private static int runUntilTerminated(AgentProcess process, AutoCloseable mode)
      throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean stopping = new AtomicBoolean();
    Runnable stop =
        () -> {
          if (!stopping.compareAndSet(false, true)) {
            awaitQuietly(stopped);
            return;
          }
          process.stopGracefully();
          try {
            mode.close();
          } catch (Exception e) {
            log.warn("event=mode_close_failed error=\"{}\"", e.getMessage());
          }
          stopped.countDown();
        };
    for (String signal : List.of("TERM", "INT")) {
      try {
        sun.misc.Signal.handle(
            new sun.misc.Signal(signal),
            s -> {
              log.info("event=signal name=SIG{}", signal);
              stop.run();
            });
      } catch (IllegalArgumentException e) {
        log.warn("event=signal_unavailable name=SIG{} error=\"{}\"", signal, e.getMessage());
      }
    }
    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("shutdown").unstarted(stop));
    log.info("event=agent_started version={}", AgentProcess.VERSION);
    stopped.await();
    return 0;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @SuppressWarnings("removal")
  private static void installSighup(Runnable action) {
    try {
      sun.misc.Signal.handle(
          new sun.misc.Signal("HUP"),
          s -> {
            log.info("event=sighup");
            Thread.ofPlatform().daemon().start(action);
          });
    } catch (IllegalArgumentException e) {
      log.warn("event=sighup_unavailable error=\"{}\"", e.getMessage());
    }
  }

  /** Options shared by the long-running commands. */
  record Options(
      Map<String, String> labels,
      Map<String, List<String>> addresses,
      Path stateDir,
      List<String> drInterfaces,
      Duration handover,
      int httpPort) {

    static Options parse(List<String> args, PrintStream err) {
      Map<String, String> labels = new HashMap<>();
      Map<String, List<String>> addresses = new HashMap<>();
      List<String> dr = new ArrayList<>();
      Path stateDir = Path.of("/var/lib/lvs-agent");
      Duration handover = Duration.ofSeconds(3);
      String envPort = System.getenv("AGENT_HTTP_PORT");
      int httpPort =
          envPort == null || !envPort.matches("[0-9]{1,5}") ? 0 : Integer.parseInt(envPort);
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        String v = i + 1 < args.size() ? args.get(i + 1) : null;
        switch (a) {
          case "--node-label" -> {
            if (v == null || !v.contains("=")) {
              err.println("--node-label: " + v + " is not KEY=VALUE");
              return null;
            }
            labels.put(v.substring(0, v.indexOf('=')), v.substring(v.indexOf('=') + 1));
            i++;
          }
          case "--node-address" -> {
            if (v == null || !v.contains("=")) {
              err.println("--node-address: " + v + " is not NAME=IP");
              return null;
            }
            addresses
                .computeIfAbsent(v.substring(0, v.indexOf('=')), k -> new ArrayList<>())
                .add(v.substring(v.indexOf('=') + 1));
            i++;
          }
          case "--state-dir" -> {
            stateDir = Path.of(v);
            i++;
          }
          case "--dr-interface" -> {
            dr.add(v);
            i++;
          }
          case "--handover-timeout" -> {
            var ms = parseDuration(v);
            if (ms < 0) {
              err.println("--handover-timeout: " + v + " is not a duration like 500ms or 3s");
              return null;
            }
            handover = Duration.ofMillis(ms);
            i++;
          }
          case "--http-port" -> {
            if (v == null || !v.matches("[0-9]{1,5}") || Integer.parseInt(v) > 65535) {
              err.println("--http-port: " + v + " is not a port");
              return null;
            }
            httpPort = Integer.parseInt(v);
            i++;
          }
          case "--manifests", "--node-name", "--cache-dir" -> i++;
          default -> {
            err.println("unknown option: " + a);
            return null;
          }
        }
      }
      return new Options(labels, addresses, stateDir, dr, handover, httpPort);
    }

    static long parseDuration(String v) {
      if (v == null || !v.matches("^[0-9]{1,9}(ms|s)$")) {
        return -1;
      }
      return v.endsWith("ms")
          ? Long.parseLong(v.substring(0, v.length() - 2))
          : Long.parseLong(v.substring(0, v.length() - 1)) * 1000;
    }
  }
}
