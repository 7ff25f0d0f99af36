package io.lvsoperator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.fabric8.kubernetes.client.CustomResource;
import io.lvsoperator.api.v1alpha1.RealServer;
import io.lvsoperator.api.v1alpha1.TenantPolicy;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import io.lvsoperator.api.v1alpha1.VrrpInstance;
import io.lvsoperator.testing.manifests.BrokenManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed CRDs' OpenAPI schemas and CEL rules, applied for real (a JSON-Schema validator and
 * a CEL evaluator) to the examples and to broken manifests: what the API server will accept.
 */
class CrdValidationTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void examplesPassSchemaAndCelRules() throws Exception {
    int checked = 0;
    try (Stream<Path> files = Files.walk(Path.of("..", "examples"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        for (JsonNode doc :
            YAML.readerFor(JsonNode.class).<JsonNode>readValues(Files.readString(f)).readAll()) {
          var type = typeOf(doc);
          if (type == null) {
            continue;
          }
          assertThat(problems(type, doc)).as(f + " " + doc.path("metadata").path("name")).isEmpty();
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(3);
  }

  static List<BrokenManifest> brokenManifests() {
    return BrokenManifest.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenManifests")
  void brokenManifestsAreRejected(BrokenManifest broken) throws Exception {
    JsonNode doc = YAML.readTree(broken.manifest("x"));
    assertThat(problems(typeOf(doc), doc)).anyMatch(p -> p.contains(broken.expected()));
  }

  @Test
  void aMemberOfAVrrpInstanceNeedsNoDirectors() throws Exception {
    JsonNode doc =
        YAML.readTree(
            new BrokenManifest("VirtualServer", "{vip: 10.0.0.1, port: 80, vrrpInstance: vi}", "")
                .manifest("x"));
    assertThat(problems(VirtualServer.class, doc)).isEmpty();
  }

  @Test
  void aFirewallMarkServiceNeedsNoPort() throws Exception {
    JsonNode doc =
        YAML.readTree(
            new BrokenManifest(
                    "VirtualServer",
                    "{vip: 10.0.0.1, firewallMark: 4294967295, directors: {nodes: [{name: n1}]},"
                        + " realServers: [{address: 10.0.1.1, port: 80}]}",
                    "")
                .manifest("x"));
    assertThat(problems(VirtualServer.class, doc)).isEmpty();
  }

  private static List<String> problems(Class<? extends CustomResource<?, ?>> type, JsonNode doc)
      throws Exception {
    JsonNode schemaNode = CrdFiles.committedSchema(type);
    JsonSchema schema =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schemaNode);
    List<String> out = new ArrayList<>();
    Set<ValidationMessage> messages = schema.validate(doc);
    messages.forEach(m -> out.add(m.getMessage()));
    out.addAll(CelRules.violations(schemaNode, doc));
    return out;
  }

  private static Class<? extends CustomResource<?, ?>> typeOf(JsonNode doc) {
    return switch (doc.path("kind").asText()) {
      case "VirtualServer" -> VirtualServer.class;
      case "RealServer" -> RealServer.class;
      case "VrrpInstance" -> VrrpInstance.class;
      case "TenantPolicy" -> TenantPolicy.class;
      default -> null;
    };
  }
}
