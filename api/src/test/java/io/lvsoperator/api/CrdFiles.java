package io.lvsoperator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.lvsoperator.api.v1alpha1.LvsNode;
import io.lvsoperator.api.v1alpha1.LvsNodeSlice;
import io.lvsoperator.api.v1alpha1.RealServer;
import io.lvsoperator.api.v1alpha1.TenantPolicy;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import io.lvsoperator.api.v1alpha1.VrrpInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The committed CRD files: what the Fabric8 generator produced at build time (under
 * target/classes/META-INF/fabric8), with the printer columns put back in the order the classes
 * declare them (the generator sorts them by JSONPath, which would put AGE first).
 */
final class CrdFiles {
  static final ObjectMapper YAML =
      new ObjectMapper(
          new YAMLFactory()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR));

  static final List<Class<? extends CustomResource<?, ?>>> RESOURCES =
      List.of(
          VirtualServer.class,
          RealServer.class,
          VrrpInstance.class,
          LvsNode.class,
          LvsNodeSlice.class,
          TenantPolicy.class);

  static final Path COMMITTED = Path.of("..", "crds");

  /** The Helm chart ships the same files, byte for byte, in its crds/ directory. */
  static final Path CHART_COMMITTED = Path.of("..", "helm", "lvs-operator", "crds");

  static final Path GENERATED = Path.of("target", "classes", "META-INF", "fabric8");

  static final String HEADER =
      "# Generated from the classes in api/ by the build; do not edit by hand.\n"
          + "# Regenerate: ./mvnw -pl api verify -Dlvs.regenerate=true\n";

  private CrdFiles() {}

  static String fileName(Class<? extends CustomResource<?, ?>> type) {
    return CustomResource.getCRDName(type) + ".yaml";
  }

  /** The CRD text we commit for {@code type}, derived from the generator's output. */
  static String expected(Class<? extends CustomResource<?, ?>> type) throws IOException {
    Path generated = GENERATED.resolve(CustomResource.getCRDName(type) + "-v1.yml");
    ObjectNode crd = (ObjectNode) YAML.readTree(Files.readString(generated));
    for (JsonNode version : crd.path("spec").path("versions")) {
      if (version.has("additionalPrinterColumns")) {
        ((ObjectNode) version)
            .set(
                "additionalPrinterColumns",
                reorder(type, (ArrayNode) version.get("additionalPrinterColumns")));
      }
    }
    return HEADER + YAML.writeValueAsString(crd);
  }

  private static ArrayNode reorder(Class<?> type, ArrayNode columns) {
    List<JsonNode> ordered = new ArrayList<>();
    for (AdditionalPrinterColumn a : type.getAnnotationsByType(AdditionalPrinterColumn.class)) {
      for (JsonNode c : columns) {
        if (c.path("name").asText().equals(a.name())) {
          ordered.add(c);
        }
      }
    }
    if (ordered.size() != columns.size()) {
      throw new IllegalStateException(
          "printer columns of " + type + " do not match its annotations");
    }
    ArrayNode out = YAML.createArrayNode();
    ordered.forEach(out::add);
    return out;
  }

  static JsonNode committedSchema(Class<? extends CustomResource<?, ?>> type) throws IOException {
    JsonNode crd = YAML.readTree(Files.readString(COMMITTED.resolve(fileName(type))));
    return crd.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema");
  }
}
