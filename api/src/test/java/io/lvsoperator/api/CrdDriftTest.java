package io.lvsoperator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.CustomResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The build fails when the committed CRDs under crds/ differ from what the classes generate. {@code
 * -Dlvs.regenerate=true} rewrites them instead.
 */
class CrdDriftTest {

  @Test
  void committedCrdsMatchTheClasses() throws Exception {
    boolean regenerate = Boolean.getBoolean("lvs.regenerate");
    List<String> drifted = new ArrayList<>();
    for (var type : CrdFiles.RESOURCES) {
      String expected = CrdFiles.expected(type);
      for (Path dir : List.of(CrdFiles.COMMITTED, CrdFiles.CHART_COMMITTED)) {
        Path committed = dir.resolve(CrdFiles.fileName(type));
        if (regenerate) {
          Files.createDirectories(committed.getParent());
          Files.writeString(committed, expected);
        } else if (!Files.exists(committed) || !Files.readString(committed).equals(expected)) {
          drifted.add(committed.normalize().toString());
        }
      }
    }
    assertThat(drifted)
        .as(
            "CRDs (crds/ and helm/lvs-operator/crds/) out of date with the classes in api/; run"
                + " ./mvnw -pl api verify -Dlvs.regenerate=true and commit the result")
        .isEmpty();
  }

  @Test
  void everyResourceHasAStatusSubresourceAndItsPrinterColumns() throws Exception {
    for (var type : CrdFiles.RESOURCES) {
      JsonNode version =
          CrdFiles.YAML
              .readTree(Files.readString(CrdFiles.COMMITTED.resolve(CrdFiles.fileName(type))))
              .path("spec")
              .path("versions")
              .get(0);
      // A TenantPolicy has no status: only cluster operators write it, and what it refuses is
      // reported on the objects it refuses.
      assertThat(version.path("subresources").has("status"))
          .as(type.getSimpleName())
          .isEqualTo(type != io.lvsoperator.api.v1alpha1.TenantPolicy.class);
      assertThat(version.path("served").asBoolean()).isTrue();
      assertThat(version.path("storage").asBoolean()).isTrue();
    }
    assertThat(columns(io.lvsoperator.api.v1alpha1.VirtualServer.class))
        .containsExactly("VIP", "PORT", "PROTO", "SCHED", "MASTER", "HEALTHY", "READY", "AGE");
  }

  @Test
  void everySpecFieldHasADescription() throws Exception {
    List<String> undocumented = new ArrayList<>();
    for (var type : CrdFiles.RESOURCES) {
      JsonNode schema = CrdFiles.committedSchema(type);
      walk(type.getSimpleName(), schema.path("properties").path("spec"), undocumented);
      walk(
          type.getSimpleName() + ".status", schema.path("properties").path("status"), undocumented);
    }
    assertThat(undocumented).isEmpty();
  }

  private static void walk(String path, JsonNode schema, List<String> undocumented) {
    schema
        .path("properties")
        .properties()
        .forEach(
            e -> {
              String p = path + "." + e.getKey();
              JsonNode field = e.getValue();
              // fields of Kubernetes' own types (LabelSelector, Condition) come documented or not
              // by them
              if (!field.has("description")
                  && !p.contains("realServerSelector")
                  && !p.contains("conditions")) {
                undocumented.add(p);
              }
              walk(p, field, undocumented);
              walk(p + "[]", field.path("items"), undocumented);
            });
  }

  private static List<String> columns(Class<? extends CustomResource<?, ?>> type) throws Exception {
    JsonNode crd =
        CrdFiles.YAML.readTree(
            Files.readString(CrdFiles.COMMITTED.resolve(CrdFiles.fileName(type))));
    List<String> names = new ArrayList<>();
    crd.path("spec")
        .path("versions")
        .get(0)
        .path("additionalPrinterColumns")
        .forEach(c -> names.add(c.path("name").asText()));
    return names;
  }
}
