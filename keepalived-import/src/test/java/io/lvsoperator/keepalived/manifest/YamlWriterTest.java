package io.lvsoperator.keepalived.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class YamlWriterTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void writesTheReferenceLayout() {
    YamlMap spec = new YamlMap();
    spec.put("vip", "172.20.1.100", "virtual_server 172.20.1.100 80");
    spec.put("expectedStatus", new YamlList().add("200"), "status_code 200");
    spec.put(
        "nodes",
        new YamlList()
            .add(
                new YamlMap()
                    .put("name", "lvs1", "state MASTER")
                    .put("priority", 100, "priority 100")));
    YamlMap body = new YamlMap().put("kind", "VirtualServer").put("spec", spec);

    String text =
        YamlWriter.write(new ManifestObject("VirtualServer", "web", List.of("header"), body));

    assertThat(text)
        .isEqualTo(
            """
            # header
            kind: VirtualServer
            spec:
              vip: 172.20.1.100              # virtual_server 172.20.1.100 80
              expectedStatus: ["200"]        # status_code 200
              nodes:
                - name: lvs1                 # state MASTER
                  priority: 100              # priority 100
            """);
  }

  /** Strings YAML would read as something else come back as the same string. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "1111",
        "0x1f",
        "1e3",
        "yes",
        "No",
        "on",
        "null",
        "~",
        "",
        " lead",
        "trail ",
        "a: b",
        "a #b",
        "#c",
        "-x",
        "@at",
        "*star",
        "{x}",
        "[y]",
        "quote\"s",
        "back\\slash",
        "tab\there",
        "10:30",
        "/",
        "eth0:1",
        "200-299",
        "/etc/keepalived/notify.sh master",
        "0.5",
        ".5",
        "+1",
        "-1"
      })
  void roundTripsEveryScalar(String value) throws Exception {
    YamlMap body = new YamlMap().put("k", value).put("l", new YamlList().add(value));

    JsonNode read = YAML.readTree(YamlWriter.write(new ManifestObject("X", "x", List.of(), body)));

    assertThat(read.get("k").isTextual()).isTrue();
    assertThat(read.get("k").asText()).isEqualTo(value);
    assertThat(read.get("l").get(0).asText()).isEqualTo(value);
  }
}
