package io.lvsoperator.api.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Multi-document YAML text as one Jackson tree per document, refusing the two things Jackson's own
 * YAML reading changes without a word: a key given twice in one mapping (the last would win) and an
 * alias (it would be read as its anchor's name, {@code *v} as "v"). Each refusal is a problem of
 * its document with the path of the node; the document's tree is still built so that its kind and
 * name can name it.
 */
final class YamlDocuments {
  private static final YAMLFactory FACTORY = new YAMLFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private YamlDocuments() {}

  /**
   * One document: its number in the stream (1-based, counting empty ones as a reader does between
   * {@code ---} lines), its tree (null when empty) and what was refused in it.
   */
  record Document(int number, JsonNode tree, List<ManifestProblem.Field> problems) {}

  /** Every document of {@code text}; throws when the text is not YAML at all. */
  static List<Document> parse(String text) throws IOException {
    List<Document> docs = new ArrayList<>();
    try (JsonParser p = FACTORY.createParser(text)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        List<ManifestProblem.Field> problems = new ArrayList<>();
        JsonNode tree = value(p, t, "", problems);
        docs.add(new Document(docs.size() + 1, tree.isNull() ? null : tree, problems));
      }
    }
    return docs;
  }

  private static JsonNode value(
      JsonParser p, JsonToken t, String path, List<ManifestProblem.Field> problems)
      throws IOException {
    if (p instanceof YAMLParser y && y.isCurrentAlias()) {
      problems.add(
          ManifestProblem.Field.of(
              path,
              "*" + p.getText(),
              "is a YAML alias; aliases are not supported, write the value out"));
      return NODES.nullNode();
    }
    return switch (t) {
      case START_OBJECT -> object(p, path, problems);
      case START_ARRAY -> array(p, path, problems);
      case VALUE_STRING -> NODES.textNode(p.getText());
      case VALUE_NUMBER_INT ->
          switch (p.getNumberType()) {
            case INT -> NODES.numberNode(p.getIntValue());
            case LONG -> NODES.numberNode(p.getLongValue());
            default -> NODES.numberNode(p.getBigIntegerValue());
          };
      case VALUE_NUMBER_FLOAT -> NODES.numberNode(p.getDoubleValue());
      case VALUE_TRUE -> NODES.booleanNode(true);
      case VALUE_FALSE -> NODES.booleanNode(false);
      case VALUE_NULL -> NODES.nullNode();
      default -> {
        problems.add(
            ManifestProblem.Field.of(
                path, p.getText(), "is a YAML value of a kind manifests do not hold (" + t + ")"));
        yield NODES.nullNode();
      }
    };
  }

  private static ObjectNode object(JsonParser p, String path, List<ManifestProblem.Field> problems)
      throws IOException {
    ObjectNode o = NODES.objectNode();
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      String childPath = path.isEmpty() ? name : path + "." + name;
      JsonNode child = value(p, p.nextToken(), childPath, problems);
      JsonNode first = o.get(name);
      if (first != null) {
        problems.add(
            ManifestProblem.Field.of(
                childPath,
                shown(child),
                "repeats a key of the same mapping (first "
                    + ShownValue.of(shown(first))
                    + "); YAML keys must be unique"));
        continue;
      }
      o.set(name, child);
    }
    if (t != JsonToken.END_OBJECT) {
      throw new IOException("unexpected " + t + " in a mapping at " + path);
    }
    return o;
  }

  private static ArrayNode array(JsonParser p, String path, List<ManifestProblem.Field> problems)
      throws IOException {
    ArrayNode a = NODES.arrayNode();
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t == null) {
        throw new IOException("unexpected end of a list at " + path);
      }
      a.add(value(p, t, path + "[" + a.size() + "]", problems));
    }
    return a;
  }

  /** A node as a problem shows it: scalars as text, collections by what they are. */
  private static String shown(JsonNode n) {
    if (n.isObject()) {
      return "(a mapping)";
    }
    if (n.isArray()) {
      return "(a list)";
    }
    return n.isNull() ? "null" : n.asText();
  }
}
