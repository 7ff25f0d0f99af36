package io.lvsoperator.agent.process;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.lvsoperator.agent.host.vrrp.RealtimeVrrpThreads;
import io.lvsoperator.agent.node.NodeAgent;
import io.lvsoperator.api.client.ApiOutageLog;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.api.v1alpha1.LvsNodeStatus;
import io.lvsoperator.compiler.NodeInfo;
import io.lvsoperator.endpoints.EndpointSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
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
  private static final InetAddress ANY = InetAddress.ofLiteral("0.0.0.0");

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
    Options o = Options.parse(args, System.getenv(), err);
    if (o == null) {
      return 2;
    }
    AgentHttpServer http = bindHttp(o, err);
    if (o.http() != null && http == null) {
      return 1;
    }
    // The host side (netlink and raw sockets through FFM, the stale VIPs removed first) and the
    // manifests (YAML, the compiler) are the two large parts of a start and need nothing of each
    // other: they start side by side, and the first spec waits for the host side.
    AgentProcess.Starting starting =
        AgentProcess.startInBackground(
            o.stateDir, o.drInterfaces, o.handover, new RealtimeVrrpThreads(o.vrrpRtPriority));
    StandaloneMode mode =
        new StandaloneMode(
            Path.of(dir),
            new NodeInfo(node, o.labels, o.addresses.getOrDefault(node, List.of())),
            o.addresses,
            starting.runtime());
    var first = mode.reload();
    first.errors().forEach(e -> err.println("error: " + e));
    AgentProcess process = starting.await();
    if (http != null) {
      http.attach(process.agent(), () -> true);
    }
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
    Options o = Options.parse(args, System.getenv(), err);
    if (o == null) {
      return 2;
    }
    AgentHttpServer http = bindHttp(o, err);
    if (o.http() != null && http == null) {
      return 1;
    }
    String cacheDir = Main.option(args, "--cache-dir");
    AgentProcess process =
        new AgentProcess(
            o.stateDir, o.drInterfaces, o.handover, new RealtimeVrrpThreads(o.vrrpRtPriority));
    var client = ApiOutageLog.installOn(new KubernetesClientBuilder()).build();
    String operatorNamespace = Main.option(args, "--operator-namespace");
    if (operatorNamespace == null) {
      String env = System.getenv("OPERATOR_NAMESPACE");
      operatorNamespace = env == null || env.isEmpty() ? client.getNamespace() : env;
    }
    if (operatorNamespace == null) {
      operatorNamespace = "default"; // as kubectl, when neither a flag nor the config says one
    }
    log.info("event=operator_namespace namespace={}", operatorNamespace);
    NodeAgent agent = process.agent();
    KubernetesMode mode =
        new KubernetesMode(
            client,
            node,
            operatorNamespace,
            cacheDir == null ? o.stateDir : Path.of(cacheDir),
            process.runtime(),
            new KubernetesMode.NodeReports() {
              @Override
              public LvsNodeStatus status(Long observedGeneration, boolean withHealth) {
                return agent.status(observedGeneration, AgentProcess.VERSION, withHealth);
              }

              @Override
              public List<NodeAgent.DestinationHealth> destinationHealth(
                  LvsNodeSpec.IpvsService service) {
                return agent.destinationHealth(service);
              }
            },
            AgentProcess.VERSION,
            KubernetesMode.Timing.DEFAULT);
    if (http != null) {
      http.attach(agent, () -> mode.appliedGeneration() != null);
    }
    agent.vrrp().addListener(t -> mode.statusChanged());
    agent.addHealthListener(mode::healthChanged);
    agent.addChangeListener(mode::statusChanged);
    mode.start();
    int rc = runUntilTerminated(process, mode);
    client.close();
    return rc;
  }

  static int cleanup(List<String> args, PrintStream out, PrintStream err) throws Exception {
    Options o = Options.parse(args, System.getenv(), err);
    if (o == null) {
      return 2;
    }
    // No VRRP runs in a cleanup: its threads stay time-shared.
    try (AgentProcess process =
        new AgentProcess(o.stateDir, o.drInterfaces, o.handover, new RealtimeVrrpThreads(0))) {
      List<String> errors = process.cleanup();
      errors.forEach(e -> err.println("error: " + e));
      out.println(errors.isEmpty() ? "cleanup done" : "cleanup incomplete");
      return errors.isEmpty() ? 0 : 1;
    }
  }

  /**
   * The HTTP endpoints, bound before the agent changes anything on the host (the VIPs a killed run
   * left are removed as soon as the agent process exists): a port in use is an error and an exit,
   * with nothing changed. Null when none are asked for, or when the bind failed (said on {@code
   * err}).
   */
  private static AgentHttpServer bindHttp(Options o, PrintStream err) {
    if (o.http() == null) {
      return null;
    }
    try {
      return AgentHttpServer.bind(o.http());
    } catch (IOException e) {
      err.println("error: http: " + e.getMessage());
      return null;
    }
  }

  /**
   * Blocks until SIGTERM/SIGINT, then hands over gracefully. The signals get handlers of their own
   * that start the handover at once (priority 0 first, then the mode is closed): through the JVM's
   * shutdown sequence and hooks, with the mode closed first, the priority-0 advert came too late
   * for graceful_stop at 100 ms adverts (docs/lab.md, figures of 27 Nov 2026). A shutdown hook
   * still covers an exit by any other path.
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

  /**
   * Options shared by the long-running commands.
   *
   * @param vrrpRtPriority SCHED_RR priority of the VRRP threads, 0 for time-shared
   * @param http where the endpoints listen; null for none (neither --http-port nor AGENT_HTTP_PORT)
   */
  record Options(
      Map<String, String> labels,
      Map<String, List<String>> addresses,
      Path stateDir,
      List<String> drInterfaces,
      Duration handover,
      int vrrpRtPriority,
      EndpointSettings http) {

    /** The options in {@code args}, or null after saying on {@code err} what is wrong. */
    static Options parse(List<String> args, Map<String, String> env, PrintStream err) {
      try {
        return parse(args, env);
      } catch (IllegalArgumentException e) {
        err.println(e.getMessage());
        return null;
      }
    }

    private static Options parse(List<String> args, Map<String, String> env) {
      Map<String, String> labels = new HashMap<>();
      Map<String, List<String>> addresses = new HashMap<>();
      List<String> dr = new ArrayList<>();
      Path stateDir = Path.of("/var/lib/lvs-agent");
      Duration handover = Duration.ofSeconds(3);
      int rtPriority = RealtimeVrrpThreads.DEFAULT_PRIORITY;
      String envPort = env.get("AGENT_HTTP_PORT");
      Integer httpPort =
          envPort == null || envPort.isEmpty()
              ? null
              : EndpointSettings.port("AGENT_HTTP_PORT", envPort);
      String envAddress = env.get("AGENT_HTTP_ADDRESS");
      InetAddress httpAddress =
          envAddress == null || envAddress.isEmpty()
              ? ANY
              : EndpointSettings.address("AGENT_HTTP_ADDRESS", envAddress);
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        String v = i + 1 < args.size() ? args.get(i + 1) : null;
        switch (a) {
          case "--node-label" -> {
            if (v == null || !v.contains("=")) {
              throw new IllegalArgumentException("--node-label: " + v + " is not KEY=VALUE");
            }
            labels.put(v.substring(0, v.indexOf('=')), v.substring(v.indexOf('=') + 1));
            i++;
          }
          case "--node-address" -> {
            if (v == null || !v.contains("=")) {
              throw new IllegalArgumentException("--node-address: " + v + " is not NAME=IP");
            }
            addresses
                .computeIfAbsent(v.substring(0, v.indexOf('=')), k -> new ArrayList<>())
                .add(v.substring(v.indexOf('=') + 1));
            i++;
          }
          case "--state-dir" -> {
            stateDir = Path.of(value(a, v, "a directory"));
            i++;
          }
          case "--dr-interface" -> {
            dr.add(value(a, v, "an interface name"));
            i++;
          }
          case "--handover-timeout" -> {
            var ms = parseDuration(v);
            if (ms < 0) {
              throw new IllegalArgumentException(
                  "--handover-timeout: " + v + " is not a duration like 500ms or 3s");
            }
            handover = Duration.ofMillis(ms);
            i++;
          }
          case "--vrrp-rt-priority" -> {
            rtPriority = rtPriority(v);
            i++;
          }
          case "--http-port" -> {
            httpPort = EndpointSettings.port(a, v);
            i++;
          }
          case "--http-address" -> {
            httpAddress = EndpointSettings.address(a, v);
            i++;
          }
          case "--manifests", "--node-name", "--cache-dir", "--operator-namespace" -> {
            value(a, v, "a value");
            i++;
          }
          default -> throw new IllegalArgumentException("unknown option: " + a);
        }
      }
      return new Options(
          labels,
          addresses,
          stateDir,
          dr,
          handover,
          rtPriority,
          httpPort == null ? null : EndpointSettings.of(httpAddress, httpPort));
    }

    private static int rtPriority(String v) {
      try {
        int p = Integer.parseInt(v == null ? "" : v);
        if (p >= 0 && p <= 99) {
          return p;
        }
      } catch (NumberFormatException e) {
        // said below
      }
      throw new IllegalArgumentException(
          "--vrrp-rt-priority: " + v + " is not 0 (time-shared) to 99 (SCHED_RR priority)");
    }

    /** The value after option {@code name}; an option without one is an error, not a null. */
    private static String value(String name, String v, String what) {
      if (v == null || v.isEmpty() || v.startsWith("--")) {
        throw new IllegalArgumentException(name + ": needs " + what);
      }
      return v;
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
