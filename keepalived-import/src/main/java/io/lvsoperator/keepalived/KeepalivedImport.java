package io.lvsoperator.keepalived;

import io.lvsoperator.keepalived.conf.ConfigReader;
import io.lvsoperator.keepalived.conf.Diagnostic;
import io.lvsoperator.keepalived.conf.Severity;
import io.lvsoperator.keepalived.manifest.ManifestMapper;
import io.lvsoperator.keepalived.manifest.ManifestObject;
import io.lvsoperator.keepalived.model.ConfigInterpreter;
import io.lvsoperator.keepalived.model.DirectorConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The import as a function: the keepalived.conf files of a set of directors in, the objects that
 * say the same and every finding out. Nothing is written here ({@link ImportCommand} writes).
 */
public final class KeepalivedImport {
  private KeepalivedImport() {}

  /**
   * One director's configuration.
   *
   * @param node the node that runs it, or null to take its router_id (or else the file's name)
   */
  public record Config(String node, Path file) {}

  /** What was found, and the objects (empty when there are errors). */
  public record Outcome(List<ManifestObject> objects, List<Diagnostic> diagnostics) {
    public Outcome {
      objects = List.copyOf(objects);
      diagnostics = List.copyOf(diagnostics);
    }

    public boolean has(Severity severity) {
      return diagnostics.stream().anyMatch(d -> d.severity() == severity);
    }

    public long count(Severity severity) {
      return diagnostics.stream().filter(d -> d.severity() == severity).count();
    }
  }

  public static Outcome run(List<Config> configs, ManifestMapper.Options options) {
    List<Diagnostic> diagnostics = new ArrayList<>();
    List<DirectorConfig> directors = new ArrayList<>();
    Map<String, String> fileByNode = new HashMap<>();
    boolean unreadable = false;
    List<ManifestObject> objects = List.of();
    for (Config c : configs) {
      ConfigReader.Result read = ConfigReader.read(c.file(), c.node());
      diagnostics.addAll(read.diagnostics());
      unreadable |= read.diagnostics().stream().anyMatch(d -> d.severity() == Severity.ERROR);
      DirectorConfig provisional =
          ConfigInterpreter.interpret(
              c.node() == null ? "" : c.node(), c.file().toString(), read.statements());
      String node = c.node() != null ? c.node() : defaultNode(provisional, c.file());
      DirectorConfig director =
          new DirectorConfig(
              node,
              provisional.file(),
              provisional.globals(),
              provisional.instances(),
              provisional.syncGroups(),
              provisional.virtualServerGroups(),
              provisional.virtualServers(),
              provisional.diagnostics());
      diagnostics.addAll(director.diagnostics());
      String before = fileByNode.putIfAbsent(node, c.file().toString());
      if (before != null) {
        diagnostics.add(
            Diagnostic.error(
                null,
                "",
                c.file()
                    + " and "
                    + before
                    + " are both node "
                    + node
                    + ": name the nodes, --config NODE=FILE"));
      }
      directors.add(director);
    }
    // Mapped even after errors in values, so that one run reports every problem (nothing is kept
    // then); not after errors in the file structure, whose blocks cannot be trusted.
    if (!unreadable) {
      ManifestMapper.Result mapped = ManifestMapper.map(directors, options);
      diagnostics.addAll(mapped.diagnostics());
      objects = mapped.objects();
    }
    boolean errors = diagnostics.stream().anyMatch(d -> d.severity() == Severity.ERROR);
    return new Outcome(errors ? List.of() : objects, sorted(diagnostics));
  }

  /**
   * Errors first, then what is unsupported, then notes; within each by file and line; each finding
   * once (a global setting is reported once, not per instance that uses it).
   */
  private static List<Diagnostic> sorted(List<Diagnostic> diagnostics) {
    return new java.util.LinkedHashSet<>(diagnostics)
        .stream()
            .sorted(
                java.util.Comparator.comparing((Diagnostic d) -> -d.severity().ordinal())
                    .thenComparing(d -> d.at() == null ? "" : d.at().file())
                    .thenComparingInt(d -> d.at() == null ? 0 : d.at().line()))
            .toList();
  }

  /** The router_id as a node name, or else the file's name without its extension. */
  private static String defaultNode(DirectorConfig d, Path file) {
    if (d.globals().routerId() != null) {
      return nodeName(d.globals().routerId().value());
    }
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return nodeName(dot > 0 ? name.substring(0, dot) : name);
  }

  private static String nodeName(String text) {
    String s = text.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9.-]+", "-");
    s = s.replaceAll("^[-.]+", "").replaceAll("[-.]+$", "");
    return s.isEmpty() ? "director" : s;
  }
}
