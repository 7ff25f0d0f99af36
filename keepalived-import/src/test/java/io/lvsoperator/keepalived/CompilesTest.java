package io.lvsoperator.keepalived;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvsoperator.api.manifest.ManifestReader;
import io.lvsoperator.api.manifest.ManifestSet;
import io.lvsoperator.api.v1alpha1.VirtualServerSpec;
import io.lvsoperator.compiler.CompileResult;
import io.lvsoperator.compiler.Compiler;
import io.lvsoperator.compiler.CompilerInput;
import io.lvsoperator.compiler.NodeInfo;
import io.lvsoperator.compiler.SecretKey;
import io.lvsoperator.keepalived.conf.Severity;
import io.lvsoperator.keepalived.manifest.ManifestObject;
import io.lvsoperator.keepalived.manifest.YamlWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the import writes is what the product runs: every corpus case that imports (partially or
 * not) is read back by the manifest reader and compiled by the compiler (the {@code compile
 * --manifests} path, VrrpInstances included) without a single problem, and every director gets the
 * VRRP instance it had in keepalived.conf.
 */
class CompilesTest {

  static Stream<CorpusTest.Case> importable() {
    return CorpusTest.cases().filter(c -> c.worst() != Severity.ERROR);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("importable")
  void compiles(CorpusTest.Case c) {
    KeepalivedImport.Outcome outcome =
        KeepalivedImport.run(Corpus.configs(c.configs().toArray(String[]::new)), c.options());
    StringBuilder yaml = new StringBuilder();
    for (ManifestObject o : outcome.objects()) {
      yaml.append("---\n").append(YamlWriter.write(o));
    }

    ManifestSet set = ManifestReader.readString(c.name(), yaml.toString());
    assertThat(set.problems()).isEmpty();
    CompileResult result = Compiler.compile(input(set));

    List<String> problems = new ArrayList<>();
    result
        .virtualServers()
        .values()
        .forEach(
            r -> {
              r.errors().forEach(e -> problems.add("VirtualServer " + r.key() + ": " + e));
              r.conflicts().forEach(e -> problems.add("VirtualServer " + r.key() + ": " + e));
              if (!r.missingDirectors().isEmpty()) {
                problems.add(
                    "VirtualServer " + r.key() + ": missing directors " + r.missingDirectors());
              }
            });
    result
        .realServers()
        .values()
        .forEach(r -> r.errors().forEach(e -> problems.add("RealServer " + r.key() + ": " + e)));
    result
        .vrrpInstances()
        .values()
        .forEach(
            r -> {
              r.errors().forEach(e -> problems.add("VrrpInstance " + r.key() + ": " + e));
              r.conflicts().forEach(e -> problems.add("VrrpInstance " + r.key() + ": " + e));
            });
    assertThat(problems).isEmpty();
    for (String node : directors(set)) {
      assertThat(result.nodes()).containsKey(node);
      assertThat(result.nodes().get(node).vrrpInstances()).as(node).isNotEmpty();
    }
  }

  /** Like standalone mode: the nodes are those the manifests name. */
  private static CompilerInput input(ManifestSet set) {
    Map<String, NodeInfo> nodes = new TreeMap<>();
    for (String d : directors(set)) {
      nodes.put(d, NodeInfo.named(d));
    }
    set.realServers().stream()
        .map(r -> r.getSpec().node())
        .filter(n -> n != null)
        .forEach(n -> nodes.putIfAbsent(n, NodeInfo.named(n)));
    return new CompilerInput(
            set.virtualServers(),
            set.realServers(),
            List.copyOf(nodes.values()),
            SecretKey.valuesOf(set.secrets()),
            Map.of(),
            Map.of())
        .withVrrpInstances(set.vrrpInstances(), Map.of());
  }

  private static List<String> directors(ManifestSet set) {
    List<VirtualServerSpec.Directors> all = new ArrayList<>();
    set.virtualServers().forEach(v -> all.add(v.getSpec().directors()));
    set.vrrpInstances().forEach(v -> all.add(v.getSpec().directors()));
    return all.stream()
        .filter(d -> d != null && d.nodes() != null)
        .flatMap(d -> d.nodes().stream())
        .map(VirtualServerSpec.DirectorNode::name)
        .distinct()
        .sorted()
        .toList();
  }
}
