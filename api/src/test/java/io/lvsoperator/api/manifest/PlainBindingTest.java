package io.lvsoperator.api.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.CustomResource;
import io.lvsoperator.api.v1alpha1.ApiGroup;
import io.lvsoperator.api.v1alpha1.RealServer;
import io.lvsoperator.api.v1alpha1.RealServerSpec;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import io.lvsoperator.api.v1alpha1.VirtualServerSpec;
import io.lvsoperator.api.v1alpha1.VrrpInstance;
import io.lvsoperator.api.v1alpha1.VrrpInstanceSpec;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link PlainBinding} against the strict Jackson mapper it stands in for: whenever it reads a
 * document (our kinds, and Secrets), Jackson reads the same document to an equal object; whatever
 * Jackson refuses, it does not read. Checked on the examples, the hostile corpus, and documents
 * built from the records themselves (every component set, each one left out, each one given a value
 * of every other JSON type), so that a field added to the model is covered without a test naming
 * it.
 */
class PlainBindingTest {
  private static final ObjectMapper STRICT = ManifestReader.strictMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Per kind: its class, its spec's record (null for a Secret), and PlainBinding's reader. */
  private record Kind(Class<?> type, Class<?> spec, Function<JsonNode, Object> plain) {}

  private static final Map<String, Kind> KINDS =
      Map.of(
          "VirtualServer",
          new Kind(VirtualServer.class, VirtualServerSpec.class, PlainBinding::virtualServer),
          "RealServer",
          new Kind(RealServer.class, RealServerSpec.class, PlainBinding::realServer),
          "VrrpInstance",
          new Kind(VrrpInstance.class, VrrpInstanceSpec.class, PlainBinding::vrrpInstance),
          "Secret",
          new Kind(Secret.class, null, PlainBinding::secret));

  /** What happened to a document. */
  private enum Outcome {
    PLAIN,
    JACKSON_ONLY,
    REFUSED
  }

  @Test
  void readsEveryExampleAsJacksonDoes() throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    for (Path dir :
        List.of(Path.of("..", "examples", "reference"), Path.of("..", "examples", "instances"))) {
      documents(dir).stream().filter(d -> kind(d) != null).forEach(docs::add);
    }
    assertThat(docs).hasSizeGreaterThanOrEqualTo(8);
    assertThat(docs)
        .as("every example is read without Jackson's data binding")
        .allSatisfy(d -> assertThat(agree(d)).isEqualTo(Outcome.PLAIN));
  }

  @Test
  void neverReadsWhatJacksonRefusesInTheHostileCorpus() throws IOException {
    List<JsonNode> docs = documents(HostileManifestsTest.CORPUS);
    assertThat(docs).hasSizeGreaterThan(20);
    assertThat(docs.stream().filter(d -> kind(d) != null).map(this::agree))
        .contains(Outcome.REFUSED)
        .hasSizeGreaterThan(20);
  }

  @Test
  void readsEveryComponentAndAgreesWhenOneIsLeftOutOrMistyped() {
    for (var kind : KINDS.entrySet()) {
      if (kind.getValue().spec() == null) {
        continue;
      }
      ObjectNode full = document(kind.getKey(), filled(kind.getValue().spec(), 0));
      assertThat(agree(full))
          .as("%s with every component set (one added to the model is read here too)", kind)
          .isEqualTo(Outcome.PLAIN);
      List<List<String>> paths = new ArrayList<>();
      componentPaths(kind.getValue().spec(), List.of("spec"), paths, 0);
      assertThat(paths).hasSizeGreaterThan(kind.getValue().spec().getRecordComponents().length - 2);
      for (List<String> path : paths) {
        ObjectNode without = full.deepCopy();
        parent(without, path).remove(path.getLast());
        assertThat(agree(without))
            .as("%s without %s", kind.getKey(), path)
            .isNotEqualTo(Outcome.JACKSON_ONLY);
        for (JsonNode wrong : wrongValues()) {
          ObjectNode mistyped = full.deepCopy();
          parent(mistyped, path).set(path.getLast(), wrong);
          agree(mistyped);
        }
      }
    }
  }

  @Test
  void readsEveryEnumNameAsJacksonDoes() {
    List<List<String>> paths = new ArrayList<>();
    componentPaths(VirtualServerSpec.class, List.of("spec"), paths, 0);
    int names = 0;
    for (List<String> path : paths) {
      Class<?> type = componentType(VirtualServerSpec.class, path.subList(1, path.size()));
      if (!type.isEnum()) {
        continue;
      }
      for (Object constant : type.getEnumConstants()) {
        ObjectNode doc = document("VirtualServer", filled(VirtualServerSpec.class, 0));
        parent(doc, path).put(path.getLast(), jacksonName(constant));
        assertThat(agree(doc)).as("%s: %s", path, constant).isEqualTo(Outcome.PLAIN);
        names++;
      }
    }
    assertThat(names).isGreaterThan(20);
  }

  @Test
  void agreesOnSecrets() {
    Kind secretKind = KINDS.get("Secret");
    ObjectNode secret = document("Secret", null);
    secret.put("apiVersion", "v1");
    secret.remove("spec");
    secret.putObject("data").put("password", "MTExMQ==");
    secret.putObject("stringData").put("user", "x").put("pin", 1111);
    secret.put("type", "Opaque");
    secret.put("immutable", true);
    assertThat(agree(secret, secretKind)).isEqualTo(Outcome.PLAIN);
    for (String field :
        List.of("apiVersion", "kind", "metadata", "data", "stringData", "type", "immutable")) {
      ObjectNode without = secret.deepCopy();
      without.remove(field);
      Outcome outcome = agree(without, secretKind);
      if (!List.of("apiVersion", "kind", "metadata").contains(field)) {
        // (ManifestReader refuses a document without these before reading it)
        assertThat(outcome).as("without %s", field).isNotEqualTo(Outcome.JACKSON_ONLY);
      }
      for (JsonNode wrong : wrongValues()) {
        ObjectNode mistyped = secret.deepCopy();
        mistyped.set(field, wrong);
        agree(mistyped, secretKind);
        ObjectNode inMap = secret.deepCopy();
        ((ObjectNode) inMap.get("stringData")).set("user", wrong);
        agree(inMap, secretKind);
      }
    }
  }

  @Test
  void leavesStatusAndOtherMetadataToJackson() {
    ObjectNode withStatus = document("RealServer", filled(RealServerSpec.class, 0));
    withStatus.putObject("status");
    assertThat(agree(withStatus)).isEqualTo(Outcome.JACKSON_ONLY);
    ObjectNode withUid = document("RealServer", filled(RealServerSpec.class, 0));
    ((ObjectNode) withUid.get("metadata")).put("uid", "x");
    assertThat(agree(withUid)).isEqualTo(Outcome.JACKSON_ONLY);
    ObjectNode withSelector = document("VirtualServer", filled(VirtualServerSpec.class, 0));
    ((ObjectNode) withSelector.get("spec"))
        .putObject("realServerSelector")
        .putObject("matchLabels");
    assertThat(agree(withSelector)).isEqualTo(Outcome.JACKSON_ONLY);
  }

  /**
   * PlainBinding's result, when it has one, equals Jackson's; nothing Jackson refuses is read.
   * Returns what happened.
   */
  private Outcome agree(JsonNode tree) {
    return agree(tree, kind(tree));
  }

  private Outcome agree(JsonNode tree, Kind kind) {
    assertThat(kind).as("a kind PlainBinding reads: %s", tree).isNotNull();
    Object plain = kind.plain().apply(tree);
    Object jackson;
    try {
      jackson = STRICT.treeToValue(tree, kind.type());
    } catch (IOException | RuntimeException e) {
      assertThat(plain)
          .as("Jackson refuses %s (%s), so must PlainBinding", tree, e.getMessage())
          .isNull();
      return Outcome.REFUSED;
    }
    if (plain == null) {
      return Outcome.JACKSON_ONLY;
    }
    if (plain instanceof CustomResource<?, ?> p) {
      CustomResource<?, ?> j = (CustomResource<?, ?>) jackson;
      assertThat(p.getSpec()).as("spec of %s", tree).isEqualTo(j.getSpec());
      assertThat(p.getMetadata()).as("metadata of %s", tree).isEqualTo(j.getMetadata());
    } else {
      assertThat(plain).as("%s", tree).isEqualTo(jackson);
    }
    assertThat(STRICT.valueToTree(plain).equals((JsonNode) STRICT.valueToTree(jackson)))
        .as("%s read as %s by Jackson", tree, STRICT.valueToTree(jackson))
        .isTrue();
    return Outcome.PLAIN;
  }

  private static Kind kind(JsonNode doc) {
    return KINDS.get(doc.path("kind").asText());
  }

  /** The documents of the YAML files in {@code dir}; files that are not YAML are left out. */
  private static List<JsonNode> documents(Path dir) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        List<YamlDocuments.Document> docs;
        try {
          docs = YamlDocuments.parse(Files.readString(f));
        } catch (IOException | RuntimeException notYaml) {
          continue;
        }
        for (var doc : docs) {
          if (doc.tree() != null) {
            out.add(doc.tree());
          }
        }
      }
    }
    return out;
  }

  private static ObjectNode document(String kind, JsonNode spec) {
    ObjectNode doc = NODES.objectNode();
    doc.put("apiVersion", ApiGroup.API_VERSION);
    doc.put("kind", kind);
    ObjectNode meta = doc.putObject("metadata");
    meta.put("name", "web");
    meta.put("namespace", "team-a");
    meta.putObject("labels").put("app", "web");
    meta.putObject("annotations").put("note", "x");
    doc.set("spec", spec);
    return doc;
  }

  /** Every component of a record set, as a manifest would write it; lists of two items. */
  private static JsonNode filled(Type type, int depth) {
    Class<?> c = raw(type);
    if (c == String.class) {
      return NODES.textNode("10.0.0." + (depth + 1));
    }
    if (c == Integer.class) {
      return NODES.numberNode(2 + depth);
    }
    if (c == Long.class) {
      return NODES.numberNode(5_000_000_000L + depth);
    }
    if (c == Boolean.class) {
      return NODES.booleanNode(depth % 2 == 0);
    }
    if (c.isEnum()) {
      Object[] constants = c.getEnumConstants();
      return NODES.textNode(jacksonName(constants[depth % constants.length]));
    }
    if (c == Map.class) {
      return NODES.objectNode().put("zone", "a").put("rack", "r" + depth);
    }
    if (c == List.class) {
      Type item = ((ParameterizedType) type).getActualTypeArguments()[0];
      return NODES.arrayNode().add(filled(item, depth + 1)).add(filled(item, depth + 2));
    }
    if (c.isRecord() && depth < 6) {
      ObjectNode o = NODES.objectNode();
      for (RecordComponent rc : c.getRecordComponents()) {
        JsonNode v = filled(rc.getGenericType(), depth + 1);
        if (v != null) {
          o.set(jacksonName(rc), v);
        }
      }
      return o;
    }
    return null; // a Fabric8 type (LabelSelector): left out here, Jackson's alone
  }

  private static void componentPaths(
      Class<?> type, List<String> at, List<List<String>> out, int depth) {
    for (RecordComponent rc : type.getRecordComponents()) {
      List<String> path = new ArrayList<>(at);
      path.add(jacksonName(rc));
      if (filled(rc.getGenericType(), depth + 1) == null) {
        continue;
      }
      out.add(path);
      if (rc.getType().isRecord()) {
        componentPaths(rc.getType(), path, out, depth + 1);
      }
    }
  }

  private static ObjectNode parent(ObjectNode doc, List<String> path) {
    ObjectNode o = doc;
    for (String p : path.subList(0, path.size() - 1)) {
      o = (ObjectNode) o.get(p);
    }
    return o;
  }

  /** A value of each JSON type that some component does not take. */
  private static List<JsonNode> wrongValues() {
    return List.of(
        NODES.nullNode(),
        NODES.textNode("80"),
        NODES.textNode(""),
        NODES.numberNode(7),
        NODES.numberNode(7.5),
        NODES.numberNode(1L << 40),
        NODES.booleanNode(true),
        NODES.arrayNode().add("a"),
        NODES.arrayNode().add(NODES.nullNode()),
        NODES.objectNode().put("x", 1),
        NODES.objectNode());
  }

  private static String jacksonName(RecordComponent rc) {
    JsonProperty p = rc.getAccessor().getAnnotation(JsonProperty.class);
    return p != null && !p.value().isEmpty() ? p.value() : rc.getName();
  }

  private static String jacksonName(Object constant) {
    return STRICT.convertValue(constant, String.class);
  }

  private static Class<?> componentType(Class<?> record, List<String> path) {
    for (RecordComponent rc : record.getRecordComponents()) {
      if (jacksonName(rc).equals(path.getFirst())) {
        return path.size() == 1
            ? rc.getType()
            : componentType(rc.getType(), path.subList(1, path.size()));
      }
    }
    throw new IllegalArgumentException(path.toString());
  }

  private static Class<?> raw(Type type) {
    return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
  }
}
