package io.lvsoperator.compiler;

import static io.lvsoperator.compiler.TestingManifests.input;
import static io.lvsoperator.compiler.TestingManifests.reference;
import static io.lvsoperator.compiler.TestingManifests.referenceNodes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * examples/reference compiles to the same per-node specs as before the compiler learnt VRRP
 * instances with many addresses: the golden file is the output of the compiler at commit 7b8a2c9.
 * The only bytes added since are the slicing keys of design §3 ({@code source} on each VIP and IPVS
 * service, {@code realServerVips} on each source), and they name the one VirtualServer.
 */
class ReferenceOutputTest {
  static final Path GOLDEN = Path.of("src", "test", "resources", "golden", "reference-nodes.json");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void referenceCompilesToThePreviousOutputPlusTheSlicingSources() throws Exception {
    String compiled =
        TestingManifests.json(Compiler.compile(input(reference(), referenceNodes())).nodes());
    JsonNode tree = JSON.readTree(compiled);
    List<String> added = new ArrayList<>();
    strip(tree, "", added);

    assertThat(TestingManifests.json(tree)).isEqualTo(Files.readString(GOLDEN));
    assertThat(added)
        .containsExactlyInAnyOrder(
            "lvs1.vrrpInstances[0].vips[0].source=\"default/web\"",
            "lvs1.ipvsServices[0].source=\"default/web\"",
            "lvs2.vrrpInstances[0].vips[0].source=\"default/web\"",
            "lvs2.ipvsServices[0].source=\"default/web\"",
            "rs1.sources[0].realServerVips=[\"172.20.1.100\"]",
            "rs2.sources[0].realServerVips=[\"172.20.1.100\"]");
  }

  /** Removes the keys added for slicing, noting each as path=value. */
  private static void strip(JsonNode node, String path, List<String> added) {
    if (node instanceof ObjectNode o) {
      for (String key : List.of("source", "realServerVips")) {
        if (o.has(key) && !(key.equals("realServerVips") && !path.contains("sources["))) {
          added.add(path + "." + key + "=" + o.get(key));
          o.remove(key);
        }
      }
      o.properties()
          .forEach(
              e ->
                  strip(
                      e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), added));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        strip(node.get(i), path + "[" + i + "]", added);
      }
    }
  }
}
