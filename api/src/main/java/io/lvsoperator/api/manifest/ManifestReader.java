package io.lvsoperator.api.manifest;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Secret;
import io.lvsoperator.api.v1alpha1.ApiGroup;
import io.lvsoperator.api.v1alpha1.RealServer;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import io.lvsoperator.api.v1alpha1.VrrpInstance;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads VirtualServer, RealServer, VrrpInstance, Secret and Node objects from multi-document YAML
 * files, as standalone mode and the tests do, and refuses what the API server would refuse or what
 * YAML reading would silently change. Each problem reads {@code file document N: Kind ns/name:
 * field: value why}; a document with a problem is left out of the set.
 *
 * <p>Refused: a file over {@link #MAX_FILE_BYTES} (checked before anything is parsed, so a huge
 * scalar costs neither time nor memory), text that is not UTF-8, a key given twice in one mapping,
 * a YAML alias, an unknown field, a float or a string where an integer belongs, {@code null} as a
 * list item or as a map value, a name that is not a DNS-1123 name, the same object twice (in one
 * file or in two), a Secret {@code data} value that is not base64, and a Node address without an
 * address.
 */
public final class ManifestReader {
  /**
   * The largest manifest file read: 1 MiB. etcd keeps no object over 1.5 MiB; a file larger than
   * this is refused unread (split it into several files).
   */
  public static final int MAX_FILE_BYTES = 1 << 20;

  /** Problems reported per file at most; a file of ten thousand bad keys says so once. */
  static final int MAX_PROBLEMS_PER_FILE = 20;

  /**
   * The strict mapper, built on first use: the documents {@link PlainBinding} reads (those of a
   * start, as a rule) never need it, and building it is a large part of a fresh JVM's first read.
   */
  private static final class Strict {
    static final ObjectMapper YAML = strictMapper();
  }

  private static final Pattern DNS1123_SUBDOMAIN =
      Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
  private static final Pattern DNS1123_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");

  /** Where SnakeYAML's messages say the problem is: " in 'reader', line 5, column 1:". */
  private static final Pattern YAML_MARK =
      Pattern.compile("^ in '[^']*', line (\\d+), column (\\d+):");

  private ManifestReader() {}

  /**
   * Unknown fields, floats and strings for integers, and null list items and map values are errors,
   * as in the API server (a typo or a dropped fraction must not silently become a default).
   */
  static ObjectMapper strictMapper() {
    ObjectMapper m =
        new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);
    m.coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    m.configOverride(List.class).setSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL));
    m.configOverride(Map.class).setSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL));
    return m;
  }

  /** Reads every *.yaml and *.yml file directly in {@code dir}, in name order. */
  public static ManifestSet readDirectory(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files =
          s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
              .filter(Files::isRegularFile)
              .sorted()
              .toList();
    }
    return readFiles(files);
  }

  /**
   * Reads these files. A file that cannot be opened throws; one that is too large or not UTF-8 is a
   * problem.
   */
  public static ManifestSet readFiles(List<Path> files) throws IOException {
    Builder b = new Builder();
    for (Path f : files) {
      byte[] bytes;
      try (InputStream in = Files.newInputStream(f)) {
        bytes = in.readNBytes(MAX_FILE_BYTES + 1);
      }
      String origin = f.toString();
      if (bytes.length > MAX_FILE_BYTES) {
        b.problems.add(tooLarge(origin, Files.size(f)));
        continue;
      }
      String text;
      try {
        text =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
      } catch (CharacterCodingException e) {
        b.problems.add(origin + ": is not UTF-8 text");
        continue;
      }
      b.read(origin, text);
    }
    return b.build();
  }

  /** Reads YAML text; {@code origin} names it in problems. */
  public static ManifestSet readString(String origin, String yaml) {
    Builder b = new Builder();
    if (yaml.length() > MAX_FILE_BYTES) {
      b.problems.add(tooLarge(origin, yaml.getBytes(StandardCharsets.UTF_8).length));
    } else {
      b.read(origin, yaml);
    }
    return b.build();
  }

  private static String tooLarge(String origin, long size) {
    return origin
        + ": "
        + size
        + " bytes is more than the "
        + MAX_FILE_BYTES
        + " a manifest file may hold; split it into several files";
  }

  private static final class Builder {
    final List<VirtualServer> virtualServers = new ArrayList<>();
    final List<RealServer> realServers = new ArrayList<>();
    final List<VrrpInstance> vrrpInstances = new ArrayList<>();
    final List<Secret> secrets = new ArrayList<>();
    final List<Node> nodes = new ArrayList<>();
    final List<String> problems = new ArrayList<>();
    final Map<String, String> origins = new HashMap<>();

    void read(String origin, String text) {
      List<YamlDocuments.Document> docs;
      try {
        docs = YamlDocuments.parse(text);
      } catch (IOException | RuntimeException e) {
        problems.add(origin + ": not YAML: " + notYaml(e));
        return;
      }
      List<String> found = new ArrayList<>();
      for (YamlDocuments.Document doc : docs) {
        readDocument(origin + " document " + doc.number(), doc, found);
      }
      if (found.size() > MAX_PROBLEMS_PER_FILE) {
        int more = found.size() - MAX_PROBLEMS_PER_FILE;
        found = new ArrayList<>(found.subList(0, MAX_PROBLEMS_PER_FILE));
        found.add(origin + ": " + more + " more problems not shown");
      }
      problems.addAll(found);
    }

    private void readDocument(String where, YamlDocuments.Document doc, List<String> found) {
      JsonNode tree = doc.tree();
      if (tree == null) {
        return; // an empty document, as between two --- lines
      }
      if (!tree.isObject()) {
        found.add(where + ": is " + (tree.isArray() ? "a list" : "a scalar") + ", not an object");
        return;
      }
      String kind = tree.path("kind").isTextual() ? tree.path("kind").asText() : "";
      String name = identity(tree);
      String subject = kind.isEmpty() ? "(no kind)" : kind;
      String object = subject + " " + name;
      List<ManifestProblem.Field> fields = new ArrayList<>(doc.problems());
      if (kind.isEmpty()) {
        fields.add(0, ManifestProblem.Field.of("kind", null, "is required"));
      }
      fields.addAll(checkMetadata(tree, kind));
      if (!fields.isEmpty()) {
        fields.forEach(f -> found.add(where + ": " + object + ": " + f));
        return;
      }
      String namespace = namespaceOf(tree, kind);
      String key =
          ManifestSet.originKey(kind, namespace, tree.path("metadata").path("name").asText());
      String earlier = origins.get(key);
      if (earlier != null) {
        found.add(
            where
                + ": "
                + object
                + ": "
                + ManifestProblem.Field.of(
                    "metadata.name",
                    tree.path("metadata").path("name").asText(),
                    "is defined twice: first in " + earlier));
        return;
      }
      String problem = typed(tree, kind);
      if (problem != null) {
        found.add(where + ": " + object + ": " + problem);
        return;
      }
      origins.put(key, where);
    }

    ManifestSet build() {
      return new ManifestSet(
          virtualServers, realServers, secrets, nodes, problems, origins, vrrpInstances);
    }

    /** Reads the document as its kind; the problem, or null when it was read. */
    private String typed(JsonNode tree, String kind) {
      String apiVersion = tree.path("apiVersion").asText("");
      try {
        return switch (kind) {
          case "VirtualServer" ->
              add(
                  tree,
                  apiVersion,
                  ApiGroup.API_VERSION,
                  VirtualServer.class,
                  PlainBinding::virtualServer,
                  virtualServers,
                  null);
          case "RealServer" ->
              add(
                  tree,
                  apiVersion,
                  ApiGroup.API_VERSION,
                  RealServer.class,
                  PlainBinding::realServer,
                  realServers,
                  null);
          case "VrrpInstance" ->
              add(
                  tree,
                  apiVersion,
                  ApiGroup.API_VERSION,
                  VrrpInstance.class,
                  PlainBinding::vrrpInstance,
                  vrrpInstances,
                  null);
          case "Secret" ->
              add(
                  tree,
                  apiVersion,
                  "v1",
                  Secret.class,
                  PlainBinding::secret,
                  secrets,
                  KubernetesObjects::checkSecret);
          case "Node" ->
              add(tree, apiVersion, "v1", Node.class, null, nodes, KubernetesObjects::checkNode);
          default ->
              throw new IllegalArgumentException(
                  "kind: "
                      + ShownValue.of(kind)
                      + " is not read here (VirtualServer, RealServer, VrrpInstance, Secret,"
                      + " Node)");
        };
      } catch (JsonMappingException e) {
        return describe(e, tree);
      } catch (JsonProcessingException | IllegalArgumentException e) {
        return firstLine(e);
      }
    }

    /**
     * Reads {@code tree} as {@code type} into {@code into} unless {@code check} (may be null) finds
     * a problem; returns that problem or null. Read by {@code plain} ({@link PlainBinding}) when it
     * can, else (and always when {@code plain} is null, as for Nodes) by Jackson.
     */
    private static <T> String add(
        JsonNode tree,
        String apiVersion,
        String expectedApiVersion,
        Class<T> type,
        Function<JsonNode, T> plain,
        List<T> into,
        Function<T, String> check)
        throws JsonProcessingException {
      requireApiVersion(apiVersion, expectedApiVersion);
      T object = plain == null ? null : plain.apply(tree);
      if (object == null) {
        object = Strict.YAML.treeToValue(tree, type);
      }
      String problem = check == null ? null : check.apply(object);
      if (problem == null) {
        into.add(object);
      }
      return problem;
    }
  }

  /** {@code ns/name} of a namespaced kind, {@code name} of a Node, as far as the tree says. */
  private static String identity(JsonNode tree) {
    String kind = tree.path("kind").asText("");
    String name = tree.path("metadata").path("name").asText("");
    String shownName = name.isEmpty() ? "(no name)" : ShownValue.of(name);
    if ("Node".equals(kind)) {
      return shownName;
    }
    return ShownValue.of(namespaceOf(tree, kind)) + "/" + shownName;
  }

  private static String namespaceOf(JsonNode tree, String kind) {
    if ("Node".equals(kind)) {
      return "";
    }
    String ns = tree.path("metadata").path("namespace").asText("");
    return ns.isEmpty() ? "default" : ns;
  }

  /** metadata.name and metadata.namespace as the API server checks them. */
  private static List<ManifestProblem.Field> checkMetadata(JsonNode tree, String kind) {
    List<ManifestProblem.Field> out = new ArrayList<>();
    JsonNode meta = tree.path("metadata");
    JsonNode name = meta.path("name");
    if (name.isMissingNode() || name.isNull() || name.asText().isEmpty()) {
      out.add(ManifestProblem.Field.of("metadata.name", null, "is required"));
    } else if (!name.isTextual()
        || name.asText().length() > 253
        || !DNS1123_SUBDOMAIN.matcher(name.asText()).matches()) {
      out.add(
          ManifestProblem.Field.of(
              "metadata.name",
              name.asText(),
              "is not a DNS-1123 name (lower case letters, digits, '-' and '.', at most 253)"));
    }
    JsonNode ns = meta.path("namespace");
    if (!ns.isMissingNode() && !ns.isNull() && !"Node".equals(kind)) {
      if (!ns.isTextual()
          || ns.asText().length() > 63
          || !DNS1123_LABEL.matcher(ns.asText()).matches()) {
        out.add(
            ManifestProblem.Field.of(
                "metadata.namespace",
                ns.asText(),
                "is not a DNS-1123 label (lower case letters, digits and '-', at most 63)"));
      }
    }
    return out;
  }

  private static void requireApiVersion(String actual, String expected) {
    if (!expected.equals(actual)) {
      throw new IllegalArgumentException(
          ManifestProblem.Field.of(
                  "apiVersion", actual, "is not " + expected + ", the version this build reads")
              .toString());
    }
  }

  /** "spec.vrrp.intervl: unknown field" rather than Jackson's paragraph. */
  private static String describe(JsonMappingException e, JsonNode tree) {
    StringBuilder path = new StringBuilder();
    JsonNode value = tree;
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(r.getFieldName());
        value = value.path(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        path.append('[').append(r.getIndex()).append(']');
        value = value.path(r.getIndex());
      }
    }
    if (e instanceof UnrecognizedPropertyException) {
      return ManifestProblem.Field.of(path.toString(), null, "unknown field").toString();
    }
    if (value.isMissingNode()) {
      return ManifestProblem.Field.of(path.toString(), null, firstLine(e)).toString();
    }
    if (value.isTextual() && !(e instanceof InvalidFormatException)) {
      return ManifestProblem.Field.ofString(path.toString(), value.asText(), why(e, value))
          .toString();
    }
    String shown =
        value.isContainerNode() ? (value.isArray() ? "(a list)" : "(a mapping)") : value.asText();
    return ManifestProblem.Field.of(path.toString(), shown, why(e, value)).toString();
  }

  private static String why(JsonMappingException e, JsonNode value) {
    if (e instanceof InvalidNullException) {
      return "is not allowed here; remove the item or give it a value";
    }
    if (e instanceof InvalidFormatException f) {
      if (f.getTargetType().isEnum()) {
        return "is not one of " + enumNames(f.getTargetType());
      }
      if (value.isNumber() && !value.isIntegralNumber()) {
        return "is not " + expected(f.getTargetType());
      }
      return "is not a valid " + f.getTargetType().getSimpleName();
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      return value.isTextual()
          ? "is a string, not " + expected(m.getTargetType())
          : "is not " + expected(m.getTargetType());
    }
    return firstLine(e);
  }

  /** An enum's values as the manifests write them: "rr, wrr, lc, ...". */
  private static String enumNames(Class<?> type) {
    List<String> names = new ArrayList<>();
    for (Object constant : type.getEnumConstants()) {
      names.add(Strict.YAML.convertValue(constant, String.class));
    }
    return String.join(", ", names);
  }

  /** What a mismatched value should have been, in the words of a schema. */
  private static String expected(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (List.class.isAssignableFrom(type)) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "a mapping";
    }
    return "a " + type.getSimpleName();
  }

  /**
   * The YAML parser's complaint on one line, with where: "line 5 column 1: while scanning for the
   * next token found character '\t(TAB)' that cannot start any token".
   */
  private static String notYaml(Exception e) {
    String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    StringBuilder what = new StringBuilder();
    String where = "";
    for (String line : String.valueOf(m).split("\\n")) {
      var mark = YAML_MARK.matcher(line);
      if (mark.find()) {
        where = "line " + mark.group(1) + " column " + mark.group(2) + ": ";
        break; // a snippet of the text follows
      }
      what.append(line.strip()).append(' ');
    }
    return ShownValue.escaped(where + what.toString().strip());
  }

  private static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
