package io.lvsoperator.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.lvsoperator.api.manifest.ManifestReader;
import io.lvsoperator.api.manifest.ManifestSet;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import io.lvsoperator.api.v1alpha1.VrrpInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The compiler's part of the hostile corpus: manifests the reader accepts but the compiler must
 * refuse (selectors, PEM bundles, header values, PASS passwords), each file with its exact errors
 * as {@code # expect:} lines, worded as {@code compile} prints them; and nulls in every place of a
 * VirtualServer, as a lenient API server could hand them to the operator.
 */
class HostileManifestsCompileTest {
  private static final Path CORPUS = Path.of("src", "test", "resources", "hostile-manifests");
  private static final Path ACCEPTED =
      Path.of("src", "test", "resources", "hostile-manifests-accepted");
  private static final List<NodeInfo> NODES = List.of(TestingManifests.node("lvs1", "10.0.0.1"));

  static Stream<Path> corpus() throws IOException {
    try (Stream<Path> files = Files.list(CORPUS)) {
      return files.sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void eachCaseGivesExactlyItsErrors(Path file) throws IOException {
    List<String> expected =
        Files.readAllLines(file).stream()
            .filter(l -> l.startsWith("# expect: "))
            .map(l -> l.substring("# expect: ".length()).replace("FILE", file.toString()))
            .toList();
    assertThat(expected).as("a corpus file says what it expects").isNotEmpty();

    assertThat(errorsOf(file)).containsExactlyElementsOf(expected);
  }

  @Test
  void theLimitsOfEachRuleAreAccepted() throws IOException {
    try (Stream<Path> files = Files.list(ACCEPTED)) {
      for (Path f : files.toList()) {
        assertThat(errorsOf(f)).as(f.toString()).isEmpty();
      }
    }
  }

  /** The reader's problems, then each object's errors, worded as {@code compile} prints them. */
  private static List<String> errorsOf(Path file) throws IOException {
    ManifestSet set = ManifestReader.readFiles(List.of(file));
    List<String> out = new ArrayList<>(set.problems());
    CompileResult result =
        Compiler.compile(
            new CompilerInput(
                set.virtualServers(),
                set.realServers(),
                NODES,
                SecretKey.valuesOf(set.secrets()),
                Map.of()));
    result
        .virtualServers()
        .values()
        .forEach(
            r ->
                r.errors()
                    .forEach(
                        e ->
                            out.add(
                                set.originPrefix(
                                        "VirtualServer", r.key().namespace(), r.key().name())
                                    + "VirtualServer "
                                    + r.key()
                                    + ": "
                                    + e)));
    return out;
  }

  /**
   * Every field, list item and map value of a rich VirtualServer replaced by null in turn, read as
   * the Kubernetes client reads (no null checks): the compiler reports or accepts each, never
   * throws, and another VirtualServer beside it still compiles. In the operator one such object
   * must not stop the compile of all the others.
   */
  @Test
  void aNullAnywhereInAVirtualServerIsAnErrorOnItAloneNeverAnException() throws IOException {
    ObjectMapper lenient =
        new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    String text = Files.readString(ACCEPTED.resolve("every-field.yaml"));
    List<JsonNode> docs = lenient.readerFor(JsonNode.class).<JsonNode>readValues(text).readAll();
    JsonNode vs = docs.get(0);
    var secrets =
        SecretKey.valuesOf(
            List.of(
                lenient.treeToValue(docs.get(1), io.fabric8.kubernetes.api.model.Secret.class)));
    VirtualServer other =
        TestingManifests.yaml(
                TestingManifests.vs(
                    "other", "vip: 10.0.0.200\nport: 80\ndirectors: {nodes: [{name: lvs1}]}"))
            .virtualServers()
            .getFirst();

    List<String> paths = new ArrayList<>();
    collect(vs.path("spec"), "spec", paths);
    int refused = 0;
    for (String path : paths) {
      JsonNode copy = vs.deepCopy();
      setNull(copy, path);
      VirtualServer bad = lenient.treeToValue(copy, VirtualServer.class);

      CompileResult result =
          Compiler.compile(
              new CompilerInput(List.of(bad, other), List.of(), NODES, secrets, Map.of()));

      assertThat(result.virtualServers().get(new ObjectKey("default", "other")).ok())
          .as("beside a null at %s", path)
          .isTrue();
      if (!result.virtualServers().get(new ObjectKey("default", "web")).ok()) {
        refused++;
      }
    }
    System.out.printf(
        "null at %d places of a VirtualServer: %d refused, none threw%n", paths.size(), refused);
    assertThat(paths).hasSizeGreaterThan(70);
    assertThat(refused).isPositive();
  }

  /** As above for a VrrpInstance: a null in any of its places is an error on it alone. */
  @Test
  void aNullAnywhereInAVrrpInstanceIsAnErrorOnItAloneNeverAnException() throws IOException {
    ObjectMapper lenient =
        new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    String text = Files.readString(ACCEPTED.resolve("every-field-instance.yaml"));
    List<JsonNode> docs = lenient.readerFor(JsonNode.class).<JsonNode>readValues(text).readAll();
    JsonNode instance = docs.get(0);
    var secrets =
        SecretKey.valuesOf(
            List.of(
                lenient.treeToValue(docs.get(1), io.fabric8.kubernetes.api.model.Secret.class)));
    VirtualServer other =
        TestingManifests.yaml(
                TestingManifests.vs(
                    "other", "vip: 10.0.0.200\nport: 80\ndirectors: {nodes: [{name: lvs1}]}"))
            .virtualServers()
            .getFirst();
    CompileResult clean =
        Compiler.compile(
            new CompilerInput(List.of(other), List.of(), NODES, secrets, Map.of())
                .withVrrpInstances(
                    List.of(lenient.treeToValue(instance, VrrpInstance.class)), Map.of()));
    assertThat(clean.vrrpInstances().get(new ObjectKey("default", "vi-1")).errors()).isEmpty();

    List<String> paths = new ArrayList<>();
    collect(instance.path("spec"), "spec", paths);
    int refused = 0;
    for (String path : paths) {
      JsonNode copy = instance.deepCopy();
      setNull(copy, path);
      VrrpInstance bad = lenient.treeToValue(copy, VrrpInstance.class);

      CompileResult result =
          Compiler.compile(
              new CompilerInput(List.of(other), List.of(), NODES, secrets, Map.of())
                  .withVrrpInstances(List.of(bad), Map.of()));

      assertThat(result.virtualServers().get(new ObjectKey("default", "other")).ok())
          .as("beside a null at %s", path)
          .isTrue();
      if (!result.vrrpInstances().get(new ObjectKey("default", "vi-1")).errors().isEmpty()) {
        refused++;
      }
    }
    System.out.printf(
        "null at %d places of a VrrpInstance: %d refused, none threw%n", paths.size(), refused);
    assertThat(paths).hasSizeGreaterThan(30);
    assertThat(refused).isPositive();
  }

  /** The paths of every node below {@code n}: "spec.a", "spec.b[0]", "spec.c.key". */
  private static void collect(JsonNode n, String path, List<String> out) {
    if (n instanceof ObjectNode o) {
      o.properties()
          .forEach(
              e -> {
                out.add(path + "." + e.getKey());
                collect(e.getValue(), path + "." + e.getKey(), out);
              });
    } else if (n instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        out.add(path + "[" + i + "]");
        collect(a.get(i), path + "[" + i + "]", out);
      }
    }
  }

  private static void setNull(JsonNode root, String path) {
    int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    JsonNode parent = root;
    for (String step : path.substring(0, cut).split("\\.|(?=\\[)")) {
      parent =
          step.startsWith("[")
              ? parent.get(Integer.parseInt(step.substring(1, step.length() - 1)))
              : parent.get(step);
    }
    String last = path.substring(cut);
    if (last.startsWith("[")) {
      ((ArrayNode) parent).setNull(Integer.parseInt(last.substring(1, last.length() - 1)));
    } else {
      ((ObjectNode) parent).putNull(last.substring(1));
    }
  }
}
