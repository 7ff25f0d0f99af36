package io.lvsoperator.api.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The corpus of hostile manifests under {@code src/test/resources/hostile-manifests}: each file
 * holds its exact expected problems as {@code # expect:} lines ({@code FILE} stands for the file's
 * path), and the reader must report exactly those, in that order, and read no object from a refused
 * document.
 */
class HostileManifestsTest {
  static final Path CORPUS = Path.of("src", "test", "resources", "hostile-manifests");

  static Stream<Path> corpus() throws IOException {
    try (Stream<Path> files = Files.list(CORPUS)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  /** The {@code # expect:} lines of a corpus file, with FILE replaced by its path. */
  static List<String> expected(Path file) throws IOException {
    return Files.readAllLines(file).stream()
        .filter(l -> l.startsWith("# expect: "))
        .map(l -> l.substring("# expect: ".length()).replace("FILE", file.toString()))
        .toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void eachCaseGivesExactlyItsProblems(Path file) throws IOException {
    List<String> expected = expected(file);
    assertThat(expected).as("a corpus file says what it expects").isNotEmpty();

    long start = System.nanoTime();
    ManifestSet set = ManifestReader.readFiles(List.of(file));
    long micros = (System.nanoTime() - start) / 1000;
    System.out.printf(
        "hostile-manifests %s: %d problem(s) in %d us%n", file, set.problems().size(), micros);

    assertThat(set.problems()).containsExactlyElementsOf(expected);
  }
}
