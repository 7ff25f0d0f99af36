package io.lvsoperator.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.lvsoperator.api.manifest.ManifestReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lab's variants of examples/reference, edited as YAML and still valid manifests. */
class ScenarioManifestsTest {
  private static final Path REFERENCE = Path.of("..", "examples", "reference");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @TempDir Path dir;

  @Test
  void defaultsDropKeepalivedsTimingsAndKeepEverythingElse() throws Exception {
    ScenarioManifests.main(new String[] {"defaults", REFERENCE.toString(), dir.toString()});
    JsonNode spec = virtualServerSpec(dir);
    assertThat(spec.path("vrrp").has("version")).isFalse();
    assertThat(spec.path("vrrp").has("advertIntervalMs")).isFalse();
    assertThat(spec.path("vrrp").has("authPassSecretRef")).isFalse();
    assertThat(spec.path("healthCheck").has("delayLoop")).isFalse();
    assertThat(spec.path("healthCheck").has("connectTimeout")).isFalse();
    assertThat(spec.path("healthCheck").has("retry")).isFalse();
    assertThat(spec.path("healthCheck").has("delayBeforeRetry")).isFalse();
    assertThat(spec.path("vip").asText()).isEqualTo("172.20.1.100");
    assertThat(spec.path("healthCheck").path("path").asText()).isEqualTo("/");
    assertThat(spec.path("vrrp").path("vipLabel").asText()).isEqualTo("eth0:1");
    assertThat(spec.path("directors").path("nodes").findValuesAsText("priority"))
        .containsExactly("100", "50");
    var edited = ManifestReader.readDirectory(dir);
    var reference = ManifestReader.readDirectory(REFERENCE);
    assertThat(edited.problems()).isEmpty();
    assertThat(edited.virtualServers()).hasSize(1);
    assertThat(edited.realServers())
        .as("real servers as they are")
        .extracting(r -> r.getMetadata().getName() + " " + r.getSpec())
        .containsExactlyElementsOf(
            reference.realServers().stream()
                .map(r -> r.getMetadata().getName() + " " + r.getSpec())
                .toList());
  }

  @Test
  void mixedSetsTheVersionAndMovesThePriorities() throws Exception {
    ScenarioManifests.main(new String[] {"mixed", REFERENCE.toString(), dir.toString(), "2"});
    JsonNode v2 = virtualServerSpec(dir);
    assertThat(v2.path("vrrp").path("version").asInt()).isEqualTo(2);
    assertThat(v2.path("vrrp").path("authPassSecretRef").path("name").asText())
        .isEqualTo("vrrp-auth");
    assertThat(v2.path("directors").path("nodes").findValuesAsText("priority"))
        .containsExactly("150", "100");

    Path v3dir = dir.resolve("v3");
    ScenarioManifests.main(new String[] {"mixed", REFERENCE.toString(), v3dir.toString(), "3"});
    JsonNode v3 = virtualServerSpec(v3dir);
    assertThat(v3.path("vrrp").path("version").asInt()).isEqualTo(3);
    assertThat(v3.path("vrrp").has("authPassSecretRef")).isFalse();
    assertThat(v3.path("vrrp").path("advertIntervalMs").asInt()).isEqualTo(1000);
    assertThat(ManifestReader.readDirectory(v3dir).problems()).isEmpty();
    assertThat(ManifestReader.readDirectory(v3dir).virtualServers()).hasSize(1);
  }

  @Test
  void zeroLossAddsAnEchoServiceOnTheVipWithOrWithoutConnectionSync() throws Exception {
    Path sync = dir.resolve("sync");
    Path nosync = dir.resolve("nosync");
    ScenarioManifests.main(
        new String[] {"zero-loss", REFERENCE.toString(), sync.toString(), "sync"});
    ScenarioManifests.main(
        new String[] {"zero-loss", REFERENCE.toString(), nosync.toString(), "nosync"});
    var withSync = ManifestReader.readDirectory(sync);
    assertThat(withSync.problems()).isEmpty();
    assertThat(withSync.virtualServers())
        .extracting(v -> v.getMetadata().getName())
        .containsExactlyInAnyOrder("web", "echo");
    for (var vs : withSync.virtualServers()) {
      assertThat(vs.getSpec().vrrp().connectionSync().interfaceName()).isEqualTo("eth0");
      assertThat(vs.getSpec().vrrp().connectionSync().syncId()).isEqualTo(51);
      assertThat(vs.getSpec().vrrp().advertIntervalMs()).as("the defaults: 100 ms").isNull();
    }
    var withoutSync = ManifestReader.readDirectory(nosync);
    assertThat(withoutSync.problems()).isEmpty();
    assertThat(withoutSync.virtualServers())
        .hasSize(2)
        .allSatisfy(vs -> assertThat(vs.getSpec().vrrp().connectionSync()).isNull());
    var echo =
        withoutSync.virtualServers().stream()
            .filter(v -> v.getMetadata().getName().equals("echo"))
            .findFirst()
            .orElseThrow();
    assertThat(echo.getSpec().port()).isEqualTo(ScenarioManifests.ECHO_PORT);
    assertThat(echo.getSpec().realServers()).hasSize(2);
  }

  private static JsonNode virtualServerSpec(Path dir) throws Exception {
    List<JsonNode> docs =
        YAML.readerFor(JsonNode.class)
            .<JsonNode>readValues(Files.readString(dir.resolve("virtualserver.yaml")))
            .readAll();
    return docs.stream()
        .filter(d -> d.path("kind").asText().equals("VirtualServer"))
        .findFirst()
        .orElseThrow()
        .path("spec");
  }
}
