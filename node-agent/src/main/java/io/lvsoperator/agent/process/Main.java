package io.lvsoperator.agent.process;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.lvsoperator.api.manifest.ManifestReader;
import io.lvsoperator.api.manifest.ManifestSet;
import io.lvsoperator.compiler.CompileResult;
import io.lvsoperator.compiler.Compiler;
import io.lvsoperator.compiler.ObjectKey;
import io.lvsoperator.keepalived.ImportCommand;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The node agent's command line. */
public final class Main {
  private Main() {}

  private static final String COMMANDS =
      """

      Commands:
        compile --manifests DIR [--node-name NAME]
            Read VrrpInstance/VirtualServer/RealServer/Secret/Node YAML from DIR, check it, and
            print what each node (or only NAME) would run. Exits 1 when a manifest or an object is invalid, like
            `keepalived -t`, with one line per problem: FILE document N: Kind ns/name: field:
            value why. A manifest that cannot be read stops there; nothing is compiled.
        standalone --manifests DIR --node-name NAME [options]
            Run this node from a directory of manifests (no Kubernetes): VRRP, VIPs, IPVS, health
            checks and DR preparation as the manifests say. Re-reads DIR when it changes and on
            SIGHUP; applies only the difference; a bad manifest is reported and changes nothing.
            SIGTERM hands over gracefully (a master sends priority 0 and keeps its VIPs until the
            new master is heard, or --handover-timeout passes).
        kubernetes --node-name NAME [--cache-dir DIR] [--operator-namespace NS] [options]
            Run this node from its LvsNode (the head) and its LvsNodeSlices, with the VRRP
            passwords from Secret lvs-vrrp-auth in namespace NS (default $OPERATOR_NAMESPACE,
            else the client's namespace, else default); in-cluster config or KUBECONFIG. Reports status; keeps
            the last config in DIR/lvsnode-NAME (0700) for restarts without the API server.
        cleanup [--state-dir DIR] [--dr-interface NAME]
            Remove the IPVS services this agent created and undo DR preparation (uninstall).
      """;

  private static final String HELP =
      """
        help, --help, COMMAND --help
            This text.
      """;

  private static final String OPTIONS =
      """

      Options of standalone, kubernetes and cleanup:
        --node-label KEY=VALUE      a label of this node (for directors.nodeSelector); repeatable
        --node-address NAME=IP      a node's address (for unicastPeersFromDirectors); repeatable
        --state-dir DIR             where the agent keeps what it owns (default /var/lib/lvs-agent)
        --dr-interface NAME         interface for DR arp_ignore/arp_announce; repeatable
                                    (default: every interface but lo)
        --handover-timeout DURATION how long a stopping master waits for the new one (default 3s)
        --vrrp-rt-priority N        SCHED_RR priority of the VRRP threads, as keepalived's
                                    vrrp_rt_priority (default 10; 0: time-shared); needs
                                    CAP_SYS_NICE, else said once and VRRP runs time-shared
        --http-port PORT            serve /healthz, /readyz and /metrics (default $AGENT_HTTP_PORT,
                                    else none); checked and bound before anything is changed
        --http-address IP           the address they listen on (default $AGENT_HTTP_ADDRESS,
                                    else 0.0.0.0: every address)
      """;

  static final String USAGE =
      """
      Usage: java -jar lvs-node-agent.jar COMMAND [OPTIONS]
      """
          + COMMANDS
          + ImportCommand.USAGE.indent(2)
          + HELP
          + OPTIONS;

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
      out.print(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      out.print(USAGE); // `standalone --help` and the like
      return 0;
    }
    List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
    return switch (args[0]) {
      case "compile" -> compile(rest, out, err);
      case "standalone" -> AgentCommands.standalone(rest, err);
      case "kubernetes" -> AgentCommands.kubernetes(rest, err);
      case "cleanup" -> AgentCommands.cleanup(rest, out, err);
      case "import" -> importCommand(rest, out, err);
      default -> {
        err.println("unknown command: " + args[0]);
        err.print(USAGE);
        yield 2;
      }
    };
  }

  /** {@code import keepalived ...}: keepalived is the one format there is to import from. */
  private static int importCommand(List<String> args, PrintStream out, PrintStream err) {
    if (args.isEmpty() || !args.getFirst().equals("keepalived")) {
      err.println("import: say what to import from: import keepalived --config FILE --out DIR");
      return 2;
    }
    return ImportCommand.run(args.subList(1, args.size()), out, err);
  }

  private static int compile(List<String> args, PrintStream out, PrintStream err) throws Exception {
    String dir = option(args, "--manifests");
    String node = option(args, "--node-name");
    if (dir == null) {
      err.println("compile: --manifests DIR is required");
      return 2;
    }
    if (!Files.isDirectory(Path.of(dir))) {
      err.println("compile: --manifests " + dir + " is not a directory");
      return 2;
    }
    ManifestSet set = ManifestReader.readDirectory(Path.of(dir));
    if (!set.problems().isEmpty()) {
      // As standalone mode refuses the whole reload: compiling what is left would add errors
      // that only follow from a refused document (a RealServer naming a refused VirtualServer).
      set.problems().forEach(err::println);
      return 1;
    }
    CompileResult result = Compiler.compile(StandaloneInputs.from(set, null, Map.of(), Map.of()));
    List<String> errors = StandaloneMode.errors(set, result);
    errors.forEach(err::println);
    boolean ok = errors.isEmpty();
    result
        .vrrpInstances()
        .values()
        .forEach(r -> warnMissing(set, "VrrpInstance", r.key(), r.missingDirectors(), err));
    result
        .virtualServers()
        .values()
        .forEach(r -> warnMissing(set, "VirtualServer", r.key(), r.missingDirectors(), err));
    ObjectMapper yaml =
        new ObjectMapper(
            new YAMLFactory()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    var nodes =
        node == null
            ? result.nodes()
            : result.nodes().entrySet().stream()
                .filter(e -> e.getKey().equals(node))
                .collect(
                    java.util.stream.Collectors.toMap(
                        Map.Entry::getKey,
                        Map.Entry::getValue,
                        (a, b) -> a,
                        java.util.TreeMap::new));
    for (var e : nodes.entrySet()) {
      out.println("# node " + e.getKey());
      out.print(yaml.writeValueAsString(e.getValue()));
      out.println("---");
    }
    return ok ? 0 : 1;
  }

  private static void warnMissing(
      ManifestSet set, String kind, ObjectKey key, List<String> missing, PrintStream err) {
    if (!missing.isEmpty()) {
      err.println(
          set.originPrefix(kind, key.namespace(), key.name())
              + kind
              + " "
              + key
              + ": director nodes not found: "
              + missing);
    }
  }

  static String option(List<String> args, String name) {
    int i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : null;
  }
}
