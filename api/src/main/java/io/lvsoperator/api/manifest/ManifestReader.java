package io.lvsoperator.api.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Secret;
import io.lvsoperator.api.v1alpha1.ApiGroup;
import io.lvsoperator.api.v1alpha1.RealServer;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import io.lvsoperator.api.v1alpha1.VrrpInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads VirtualServer, RealServer, VrrpInstance, Secret and Node objects from multi-document YAML
 * files, as standalone mode and the tests do. Unknown fields are errors (a typo must not silently
 * fall back to a default); each problem names the file, the document and the field.
 */
public final class ManifestReader {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  private ManifestReader() {}

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

  public static ManifestSet readFiles(List<Path> files) throws IOException {
    Builder b = new Builder();
    for (Path f : files) {
      b.read(f.toString(), Files.readString(f));
    }
    return b.build();
  }

  /** Reads YAML text; {@code origin} names it in problems. */
  public static ManifestSet readString(String origin, String yaml) {
    Builder b = new Builder();
    b.read(origin, yaml);
    return b.build();
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
      List<JsonNode> docs;
      try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
        docs = it.readAll();
      } catch (IOException e) {
        problems.add(origin + ": not YAML: " + firstLine(e));
        return;
      }
      for (int i = 0; i < docs.size(); i++) {
        JsonNode doc = docs.get(i);
        if (doc == null || doc.isNull() || doc.isMissingNode() || doc.isEmpty()) {
          continue;
        }
        String where = origin + " document " + (i + 1);
        String apiVersion = doc.path("apiVersion").asText("");
        String kind = doc.path("kind").asText("");
        String name = doc.path("metadata").path("name").asText("");
        if (name.isEmpty()) {
          problems.add(where + " (" + kind + "): metadata.name is required");
          continue;
        }
        where = where + " (" + kind + " " + name + ")";
        try {
          switch (kind) {
            case "VirtualServer" -> {
              requireApiVersion(apiVersion, ApiGroup.API_VERSION);
              virtualServers.add(YAML.treeToValue(doc, VirtualServer.class));
              origins.put(originKey(kind, doc), origin + " document " + (i + 1));
            }
            case "RealServer" -> {
              requireApiVersion(apiVersion, ApiGroup.API_VERSION);
              realServers.add(YAML.treeToValue(doc, RealServer.class));
              origins.put(originKey(kind, doc), origin + " document " + (i + 1));
            }
            case "VrrpInstance" -> {
              requireApiVersion(apiVersion, ApiGroup.API_VERSION);
              vrrpInstances.add(YAML.treeToValue(doc, VrrpInstance.class));
              origins.put(originKey(kind, doc), origin + " document " + (i + 1));
            }
            case "Secret" -> secrets.add(YAML.treeToValue(doc, Secret.class));
            case "Node" -> nodes.add(YAML.treeToValue(doc, Node.class));
            default -> problems.add(where + ": kind " + kind + " is not read here, ignored");
          }
        } catch (JsonMappingException e) {
          problems.add(where + ": " + describe(e));
        } catch (JsonProcessingException | IllegalArgumentException e) {
          problems.add(where + ": " + firstLine(e));
        }
      }
    }

    private static String originKey(String kind, JsonNode doc) {
      return ManifestSet.originKey(
          kind,
          doc.path("metadata").path("namespace").asText(""),
          doc.path("metadata").path("name").asText(""));
    }

    ManifestSet build() {
      return new ManifestSet(
          virtualServers, realServers, secrets, nodes, problems, origins, vrrpInstances);
    }
  }

  private static void requireApiVersion(String actual, String expected) {
    if (!expected.equals(actual)) {
      throw new IllegalArgumentException(
          "apiVersion: " + actual + " is not " + expected + ", the version this build reads");
    }
  }

  /** "spec.vrrp.intervl: unknown field" rather than Jackson's paragraph. */
  private static String describe(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        path.append('[').append(r.getIndex()).append(']');
      }
    }
    String what =
        e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException
            ? "unknown field"
            : e instanceof com.fasterxml.jackson.databind.exc.InvalidFormatException f
                ? f.getValue() + " is not a valid " + f.getTargetType().getSimpleName()
                : firstLine(e);
    return path + ": " + what;
  }

  private static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
