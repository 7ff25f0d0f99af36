package io.lvsoperator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The line-by-line translation in docs/migrating-from-keepalived.md says what each keepalived.conf
 * line becomes in examples/reference/; every {@code `spec.field: value`} it quotes must be what the
 * example manifests really say, so the guide cannot drift from the examples.
 */
class MigrationGuideTest {
  private static final Path GUIDE = Path.of("..", "docs", "migrating-from-keepalived.md");
  private static final Path EXAMPLES = Path.of("..", "examples", "reference");
  private static final Pattern FIELD = Pattern.compile("`(spec\\.[A-Za-z0-9_.\\[\\]]+): ([^`]+)`");
  private static final Pattern REAL_SERVER = Pattern.compile("RealServer `([a-z0-9-]+)`");
  private static final YAMLMapper YAML = new YAMLMapper();

  @Test
  void everyQuotedFieldMatchesTheExamples() throws Exception {
    List<JsonNode> objects = examples();
    JsonNode virtualServer = find(objects, "VirtualServer", "web");
    String guide = Files.readString(GUIDE);
    String table = guide.substring(guide.indexOf("| keepalived.conf line | becomes |"));
    int checked = 0;
    List<String> wrong = new ArrayList<>();
    for (String row : table.lines().filter(l -> l.startsWith("| `")).toList()) {
      Matcher rs = REAL_SERVER.matcher(row);
      List<JsonNode> targets = new ArrayList<>();
      if (rs.find()) {
        targets.add(find(objects, "RealServer", rs.group(1)));
      } else if (row.contains("(on each RealServer)")) {
        objects.stream()
            .filter(o -> o.path("kind").asText().equals("RealServer"))
            .forEach(targets::add);
      } else {
        targets.add(virtualServer);
      }
      Matcher m = FIELD.matcher(row);
      while (m.find()) {
        if (m.group(2).contains("…")) {
          continue;
        }
        JsonNode expected = YAML.readTree(m.group(2));
        for (JsonNode target : targets) {
          JsonNode actual = at(target, m.group(1));
          checked++;
          // scalars compare as text ("6s", 1000, true); arrays and maps structurally
          boolean same =
              expected.isValueNode() && actual.isValueNode()
                  ? expected.asText().equals(actual.asText())
                  : expected.equals(actual);
          if (!same) {
            wrong.add(m.group(1) + ": guide says " + m.group(2) + ", example has " + actual);
          }
        }
      }
    }
    assertThat(checked).as("fields checked").isGreaterThan(20);
    assertThat(wrong).isEmpty();
  }

  @Test
  void theSecretHoldsThePassword() throws Exception {
    JsonNode secret = find(examples(), "Secret", "vrrp-auth");
    assertThat(secret.path("stringData").path("password").asText()).isEqualTo("1111");
  }

  private static JsonNode at(JsonNode object, String path) {
    JsonNode node = object;
    for (String part : path.split("\\.")) {
      Matcher index = Pattern.compile("^(.*)\\[(\\d+)]$").matcher(part);
      node =
          index.matches()
              ? node.path(index.group(1)).path(Integer.parseInt(index.group(2)))
              : node.path(part);
    }
    return node;
  }

  private static JsonNode find(List<JsonNode> objects, String kind, String name) {
    return objects.stream()
        .filter(o -> o.path("kind").asText().equals(kind))
        .filter(o -> o.path("metadata").path("name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + EXAMPLES));
  }

  private static List<JsonNode> examples() throws Exception {
    List<JsonNode> out = new ArrayList<>();
    try (var files = Files.list(EXAMPLES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        try (MappingIterator<JsonNode> docs =
            YAML.readerFor(JsonNode.class).readValues(Files.readString(file))) {
          while (docs.hasNext()) {
            JsonNode doc = docs.next();
            if (doc != null && !doc.isEmpty()) {
              out.add(doc);
            }
          }
        }
      }
    }
    return out;
  }
}
