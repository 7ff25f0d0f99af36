package io.lvsoperator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.lvsoperator.api.v1alpha1.Patterns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * docs/crd-reference.md is generated from the committed CRDs (whose descriptions come from the
 * {@code @JsonPropertyDescription} of the classes in api/; CrdDriftTest keeps those current). The
 * build fails when the committed document is out of date; {@code -Dlvs.regenerate=true} rewrites
 * it.
 */
class CrdReferenceDocTest {
  static final Path DOC = Path.of("..", "docs", "crd-reference.md");
  static final Path CRDS = Path.of("..", "crds");
  static final List<String> FILES =
      List.of(
          "virtualservers.lvsoperator.io.yaml",
          "realservers.lvsoperator.io.yaml",
          "vrrpinstances.lvsoperator.io.yaml",
          "lvsnodes.lvsoperator.io.yaml",
          "lvsnodeslices.lvsoperator.io.yaml",
          "addresspools.lvsoperator.io.yaml",
          "tenantpolicies.lvsoperator.io.yaml");

  /** Friendly names for the shared patterns, which are long regular expressions. */
  private static final Map<String, String> PATTERNS =
      Map.of(
          Patterns.IPV4_POOL_RANGE,
          "an IPv4 address, range `a.b.c.d-e.f.g.h` or CIDR block",
          Patterns.DNS_LABEL,
          "a DNS label (at most 63 characters)",
          Patterns.CIDR,
          "a CIDR block, IPv4 or IPv6",
          Patterns.IP_ADDRESS,
          "an IP address",
          Patterns.IPV4_NETMASK,
          "an IPv4 netmask",
          Patterns.DURATION,
          "a duration: `500ms`, `6s`, `1m`",
          Patterns.INTERFACE_NAME,
          "an interface name (at most 15 bytes)",
          Patterns.INTERFACE_LABEL,
          "an address label, e.g. `eth0:1` (at most 15 bytes)",
          Patterns.OBJECT_NAME,
          "an object name (DNS subdomain)");

  private static final YAMLMapper YAML = new YAMLMapper();

  @Test
  void committedReferenceIsCurrent() throws Exception {
    String expected = generate();
    if (Boolean.getBoolean("lvs.regenerate")) {
      Files.writeString(DOC, expected);
    }
    assertThat(Files.exists(DOC) ? Files.readString(DOC) : "")
        .as(
            "docs/crd-reference.md is out of date with crds/; run ./mvnw -pl api,helm-tests verify"
                + " -Dlvs.regenerate=true and commit the result")
        .isEqualTo(expected);
  }

  @Test
  void everyDocumentedFieldAppears() throws Exception {
    String doc = generate();
    for (String field :
        List.of(
            "`spec.vrrp.advertIntervalMs`",
            "`spec.healthCheck.delayLoop`",
            "`spec.directors.nodes[].priority`",
            "`status.master`",
            "`spec.address`")) {
      assertThat(doc).contains(field);
    }
    assertThat(doc).contains("keepalived: lb_algo").contains("an IP address");
  }

  static String generate() throws Exception {
    StringBuilder md = new StringBuilder();
    md.append("# CRD reference\n\n")
        .append(
            "<!-- Generated from crds/ (descriptions from the classes in api/) by"
                + " helm-tests/src/test/java/io/lvsoperator/helm/CrdReferenceDocTest.java;"
                + " do not edit by hand. Regenerate: ./mvnw -pl api,helm-tests verify"
                + " -Dlvs.regenerate=true -->\n\n")
        .append(
            "API group `lvsoperator.io`, version `v1alpha1`. Durations are written like `500ms`,"
                + " `6s` or `1m`. Fields marked **required** must be given; the others have the"
                + " default their description names. Rules marked *rule* are CEL validations the"
                + " API server enforces across fields.\n\n");
    for (String file : FILES) {
      JsonNode crd = YAML.readTree(Files.readString(CRDS.resolve(file)));
      JsonNode spec = crd.path("spec");
      String kind = spec.path("names").path("kind").asText();
      md.append("- [").append(kind).append("](#").append(kind.toLowerCase()).append(")\n");
    }
    for (String file : FILES) {
      JsonNode crd = YAML.readTree(Files.readString(CRDS.resolve(file)));
      section(md, crd);
    }
    return md.toString();
  }

  private static void section(StringBuilder md, JsonNode crd) {
    JsonNode spec = crd.path("spec");
    JsonNode version = spec.path("versions").get(0);
    String kind = spec.path("names").path("kind").asText();
    md.append("\n## ").append(kind).append("\n\n");
    md.append("`")
        .append(spec.path("group").asText())
        .append("/")
        .append(version.path("name").asText());
    md.append("`, ").append(spec.path("scope").asText().toLowerCase()).append(", plural `");
    md.append(spec.path("names").path("plural").asText()).append("`");
    if (spec.path("names").has("shortNames")) {
      List<String> shorts = new ArrayList<>();
      spec.path("names").path("shortNames").forEach(s -> shorts.add("`" + s.asText() + "`"));
      md.append(", short name ").append(String.join(", ", shorts));
    }
    md.append(".\n\n");
    if (version.has("additionalPrinterColumns")) {
      md.append("`kubectl get` columns: ");
      List<String> cols = new ArrayList<>();
      version
          .path("additionalPrinterColumns")
          .forEach(
              c ->
                  cols.add(
                      c.path("name").asText()
                          + " (`"
                          + c.path("jsonPath").asText()
                          + "`"
                          + (c.path("priority").asInt() > 0 ? ", with `-o wide`" : "")
                          + ")"));
      md.append(String.join(", ", cols)).append(".\n");
    }
    JsonNode schema = version.path("schema").path("openAPIV3Schema");
    for (String part : List.of("spec", "status")) {
      JsonNode node = schema.path("properties").path(part);
      if (node.isMissingNode() || (part.equals("status") && !node.has("properties"))) {
        continue; // a kind without status fields (TenantPolicy) gets no empty table
      }
      md.append("\n### ").append(kind).append(" ").append(part).append("\n\n");
      if (node.has("description")) {
        md.append(clean(node.path("description").asText())).append("\n\n");
      }
      md.append("| field | type | description |\n|---|---|---|\n");
      List<String> rules = new ArrayList<>();
      fields(md, part, node, rules);
      if (!rules.isEmpty()) {
        md.append("\n");
        rules.forEach(r -> md.append(r).append("\n"));
      }
    }
  }

  private static void fields(StringBuilder md, String path, JsonNode schema, List<String> rules) {
    for (JsonNode rule : schema.path("x-kubernetes-validations")) {
      rules.add(
          "- *rule* on `"
              + path
              + "`: "
              + clean(rule.path("message").asText())
              + " (`"
              + rule.path("rule").asText().replace("|", "\\|")
              + "`)");
    }
    Set<String> required = new HashSet<>();
    schema.path("required").forEach(r -> required.add(r.asText()));
    for (var e : schema.path("properties").properties()) {
      String p = path + "." + e.getKey();
      JsonNode field = e.getValue();
      JsonNode items = field.path("items");
      boolean array = "array".equals(field.path("type").asText());
      md.append("| `")
          .append(array ? p + "[]" : p)
          .append("` | ")
          .append(type(field))
          .append(" | ")
          .append(required.contains(e.getKey()) ? "**required.** " : "")
          .append(clean(field.path("description").asText("")))
          .append(constraints(array ? items : field, array ? field : null))
          .append(" |\n");
      if (array && items.has("properties")) {
        fields(md, p + "[]", items, rules);
      } else if (field.has("properties")) {
        fields(md, p, field, rules);
      } else if (array) {
        // arrays of scalars: their item rules are in constraints()
      }
    }
  }

  private static String type(JsonNode field) {
    String type = field.path("type").asText("object");
    if (type.equals("array")) {
      return "array of " + type(field.path("items"));
    }
    if (type.equals("object") && field.has("additionalProperties")) {
      return "map of " + field.path("additionalProperties").path("type").asText();
    }
    if (field.has("enum")) {
      List<String> values = new ArrayList<>();
      field.path("enum").forEach(v -> values.add("`" + v.asText() + "`"));
      return String.join(" \\| ", values);
    }
    return type;
  }

  private static String constraints(JsonNode field, JsonNode array) {
    List<String> out = new ArrayList<>();
    if (field.has("minimum") || field.has("maximum")) {
      out.add(
          "range "
              + (field.has("minimum") ? num(field.get("minimum")) : "")
              + "–"
              + (field.has("maximum") ? num(field.get("maximum")) : ""));
    }
    if (field.has("pattern")) {
      String pattern = field.path("pattern").asText();
      out.add(PATTERNS.getOrDefault(pattern, "pattern `" + pattern.replace("|", "\\|") + "`"));
    }
    if (array != null && array.has("maxItems")) {
      out.add("at most " + array.path("maxItems").asInt() + " items");
    }
    return out.isEmpty() ? "" : " <br>*" + String.join("; ", out) + ".*";
  }

  private static String num(JsonNode n) {
    return n.isIntegralNumber() || n.asDouble() == Math.rint(n.asDouble())
        ? Long.toString((long) n.asDouble())
        : n.asText();
  }

  private static String clean(String text) {
    return text.replace("|", "\\|").replace("\n", " ").strip();
  }
}
