package io.lvsoperator.keepalived;

import io.lvsoperator.keepalived.conf.Diagnostic;
import io.lvsoperator.keepalived.conf.Severity;
import io.lvsoperator.keepalived.manifest.ManifestMapper;
import io.lvsoperator.keepalived.manifest.ManifestObject;
import io.lvsoperator.keepalived.manifest.YamlWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code import keepalived --config [NODE=]FILE ... --out DIR [--allow-partial] [options]}: reads
 * the directors' keepalived.conf files and writes one manifest per object into DIR.
 *
 * <p>Exit status: 0 written; 1 the input is wrong (keepalived would reject it, or the directors
 * disagree), nothing written; 2 bad command line; 3 parts of the configuration cannot be expressed,
 * nothing written (with {@code --allow-partial}: written, status 0). Findings go to stderr as
 * {@code error|unsupported|note: FILE:LINE: KEYWORD: why}.
 */
public final class ImportCommand {
  /** The command's part of the agent's usage text (a command line, then indented lines). */
  public static final String USAGE =
      """
      import keepalived --config [NODE=]FILE [--config [NODE=]FILE ...] --out DIR [options]
          Read the keepalived.conf of each director (with its include files) and write the
          VirtualServer, RealServer, VrrpInstance and Secret manifests that say the same for all
          of them into DIR (new or empty), one file per object, each field commented with the
          keepalived line it came from. NODE names the node that runs FILE (default: its
          router_id, else the file's name) and is the config id of its @NODE lines. What cannot
          be expressed is listed as FILE:LINE: KEYWORD: why. Exits 0 when written; 1 when the
          configuration is wrong (keepalived rejects it, or the directors disagree); 3 when not
          everything could be mapped; both write nothing.
          --allow-partial             write what could be mapped even so (exit 0)
          --namespace NS              metadata.namespace of the objects (default "default")
          --name KEY=NAME             name an object; KEY is VIP:PORT[/PROTOCOL], fwmark:N,
                                      group:NAME or a vrrp_instance name; repeatable
          --real-server-node IP=NODE  the node a real server runs on (RealServer.spec.node:
                                      that node's agent prepares it for DR); repeatable
          --fwmark-vip MARK=VIP       the VIP that carries a firewall mark's traffic; repeatable
      """;

  private static final Pattern NODE = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

  private ImportCommand() {}

  /** For running the module alone: {@code java -cp ... io.lvsoperator.keepalived.ImportCommand}. */
  public static void main(String[] args) {
    System.exit(run(List.of(args), System.out, System.err));
  }

  /** Runs the command; {@code args} are those after {@code import keepalived}. */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    try {
      return runChecked(args, out, err);
    } catch (UsageException e) {
      err.println("import keepalived: " + e.getMessage());
      err.println("usage: " + USAGE.strip().lines().findFirst().orElse(""));
      return 2;
    } catch (IOException e) {
      err.println("import keepalived: " + e.getMessage());
      return 1;
    }
  }

  private static final class UsageException extends Exception {
    UsageException(String message) {
      super(message);
    }
  }

  private static int runChecked(List<String> args, PrintStream out, PrintStream err)
      throws UsageException, IOException {
    List<KeepalivedImport.Config> configs = new ArrayList<>();
    Path outDir = null;
    boolean allowPartial = false;
    String namespace = "default";
    Map<String, String> names = new LinkedHashMap<>();
    Map<String, String> rsNodes = new LinkedHashMap<>();
    Map<Long, String> fwmarkVips = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--config" -> configs.add(config(value(args, ++i, a)));
        case "--out" -> outDir = Path.of(value(args, ++i, a));
        case "--allow-partial" -> allowPartial = true;
        case "--namespace" -> namespace = value(args, ++i, a);
        case "--name" -> pair(value(args, ++i, a), a, names);
        case "--real-server-node" -> pair(value(args, ++i, a), a, rsNodes);
        case "--fwmark-vip" -> {
          Map<String, String> m = new LinkedHashMap<>();
          pair(value(args, ++i, a), a, m);
          for (var e : m.entrySet()) {
            try {
              fwmarkVips.put(Long.parseLong(e.getKey()), e.getValue());
            } catch (NumberFormatException ex) {
              throw new UsageException("--fwmark-vip " + e.getKey() + ": not a firewall mark");
            }
          }
        }
        default -> throw new UsageException("unknown option " + a);
      }
    }
    if (configs.isEmpty()) {
      throw new UsageException("--config [NODE=]FILE is required");
    }
    if (outDir == null) {
      throw new UsageException("--out DIR is required");
    }
    if (Files.exists(outDir) && !isEmptyDirectory(outDir)) {
      throw new UsageException(
          "--out "
              + outDir
              + " is not an empty directory (the import writes into a new or empty one, so that"
              + " no stale manifest is applied with the new ones)");
    }
    KeepalivedImport.Outcome outcome =
        KeepalivedImport.run(
            configs, new ManifestMapper.Options(namespace, names, rsNodes, fwmarkVips));
    report(outcome.diagnostics(), err);
    long errors = outcome.count(Severity.ERROR);
    long unsupported = outcome.count(Severity.UNSUPPORTED);
    if (errors > 0) {
      err.printf("import keepalived: %d error(s): nothing written%n", errors);
      return 1;
    }
    if (unsupported > 0 && !allowPartial) {
      err.printf(
          "import keepalived: %d setting(s) cannot be expressed (listed above): nothing written;"
              + " --allow-partial writes the rest%n",
          unsupported);
      return 3;
    }
    Files.createDirectories(outDir);
    for (ManifestObject o : outcome.objects()) {
      Files.writeString(outDir.resolve(o.fileName()), YamlWriter.write(o));
    }
    out.printf(
        "import keepalived: %d object(s) written to %s%s%n",
        outcome.objects().size(),
        outDir,
        unsupported > 0 ? " (partial: " + unsupported + " setting(s) not imported)" : "");
    return 0;
  }

  private static void report(List<Diagnostic> diagnostics, PrintStream err) {
    diagnostics.forEach(d -> err.println(label(d.severity()) + ": " + d));
  }

  private static String label(Severity s) {
    return switch (s) {
      case ERROR -> "error";
      case UNSUPPORTED -> "unsupported";
      case NOTE -> "note";
    };
  }

  private static KeepalivedImport.Config config(String text) throws UsageException {
    int eq = text.indexOf('=');
    if (eq > 0 && text.indexOf('/') > eq || eq > 0 && text.indexOf('/') < 0) {
      String node = text.substring(0, eq);
      if (!NODE.matcher(node).matches()) {
        throw new UsageException("--config " + text + ": " + node + " is not a node name");
      }
      return new KeepalivedImport.Config(node, Path.of(text.substring(eq + 1)));
    }
    return new KeepalivedImport.Config(null, Path.of(text));
  }

  private static void pair(String text, String option, Map<String, String> into)
      throws UsageException {
    int eq = text.indexOf('=');
    if (eq <= 0 || eq == text.length() - 1) {
      throw new UsageException(option + " " + text + ": expected KEY=VALUE");
    }
    into.put(text.substring(0, eq), text.substring(eq + 1));
  }

  private static String value(List<String> args, int i, String option) throws UsageException {
    if (i >= args.size()) {
      throw new UsageException(option + " needs a value");
    }
    return args.get(i);
  }

  private static boolean isEmptyDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }
}
