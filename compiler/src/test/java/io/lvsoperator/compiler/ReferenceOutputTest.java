package io.lvsoperator.compiler;

import static io.lvsoperator.compiler.TestingManifests.input;
import static io.lvsoperator.compiler.TestingManifests.reference;
import static io.lvsoperator.compiler.TestingManifests.referenceNodes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * examples/reference compiles to the same per-node specs, byte for byte, as before the compiler
 * learnt VRRP instances with many addresses: the golden file is the output of the compiler at
 * commit 7b8a2c9.
 */
class ReferenceOutputTest {
  static final Path GOLDEN = Path.of("src", "test", "resources", "golden", "reference-nodes.json");

  @Test
  void referenceCompilesToThePreviousOutput() throws Exception {
    String compiled =
        TestingManifests.json(Compiler.compile(input(reference(), referenceNodes())).nodes());
    assertThat(compiled).isEqualTo(Files.readString(GOLDEN));
  }
}
