package io.lvsoperator.agent.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.compiler.NodeInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile manifest corpus (the reader's in {@code api}, the compiler's in {@code compiler}) end
 * to end: {@code compile} prints exactly the expected lines and exits 1, never a stack trace; and
 * dropped beside the reference scenario into a running standalone directory, each case changes
 * nothing that runs.
 */
class HostileManifestsCommandTest {
  private static final List<Path> CORPORA =
      List.of(
          Path.of("..", "api", "src", "test", "resources", "hostile-manifests"),
          Path.of("..", "compiler", "src", "test", "resources", "hostile-manifests"));

  @TempDir Path dir;

  static Stream<Path> corpus() throws IOException {
    List<Path> all = new java.util.ArrayList<>();
    for (Path c : CORPORA) {
      try (Stream<Path> files = Files.list(c)) {
        all.addAll(files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList());
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void compilePrintsExactlyTheExpectedLinesAndExitsOne(Path hostile) throws Exception {
    Path copy = Files.copy(hostile, dir.resolve(hostile.getFileName()));
    List<String> expected =
        Files.readAllLines(hostile).stream()
            .filter(l -> l.startsWith("# expect: "))
            .map(l -> l.substring("# expect: ".length()).replace("FILE", copy.toString()))
            .toList();

    long start = System.nanoTime();
    Result r = compile(dir);
    System.out.printf(
        "compile %s: exit %d in %.1f ms%n",
        hostile.getFileName(), r.exit, (System.nanoTime() - start) / 1e6);

    assertThat(r.exit).isEqualTo(1);
    assertThat(r.err.lines().toList()).containsExactlyElementsOf(expected);
    assertThat(r.out).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void aRunningStandaloneNodeIsNotDisturbedByAnyCase(Path hostile) throws Exception {
    for (String f : List.of("virtualserver.yaml", "realservers.yaml")) {
      Files.copy(Path.of("..", "examples", "reference", f), dir.resolve(f));
    }
    List<LvsNodeSpec> applied = new CopyOnWriteArrayList<>();
    var mode =
        new StandaloneMode(
            dir, NodeInfo.named("lvs1"), Map.of(), (spec, generation) -> applied.add(spec));
    assertThat(mode.reload().changed()).isTrue();
    LvsNodeSpec running = applied.getFirst();

    // Its own namespace, so that each case is refused for what it is, not as a duplicate.
    Files.writeString(
        dir.resolve("zz-" + hostile.getFileName()),
        Files.readString(hostile).replace("namespace: default", "namespace: hostile"));
    var reload = mode.reload();

    assertThat(reload.errors()).isNotEmpty();
    assertThat(reload.changed()).isFalse();
    assertThat(reload.spec()).isEqualTo(running);
    assertThat(applied).containsExactly(running);
  }

  @Test
  void hugeFilesAreRefusedBeforeParsing() throws Exception {
    for (int megabytes : new int[] {4, 16}) {
      Path f = dir.resolve("huge.yaml");
      try (var out = Files.newBufferedWriter(f)) {
        out.write("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {a: \"");
        String chunk = "a".repeat(1 << 16);
        for (int i = 0; i < megabytes * 16; i++) {
          out.write(chunk);
        }
        out.write("\"}\n");
      }

      long start = System.nanoTime();
      Result r = compile(dir);
      System.out.printf(
          "compile huge.yaml of %d MB: exit %d in %.1f ms%n",
          megabytes, r.exit, (System.nanoTime() - start) / 1e6);

      assertThat(r.exit).isEqualTo(1);
      assertThat(r.err)
          .isEqualTo(
              f
                  + ": "
                  + Files.size(f)
                  + " bytes is more than the 1048576 a manifest file may hold; split it into"
                  + " several files\n");
    }
  }

  private record Result(int exit, String out, String err) {}

  private static Result compile(Path dir) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        Main.run(
            new String[] {"compile", "--manifests", dir.toString()},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
