package io.lvsoperator.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.lvsoperator.api.manifest.ManifestReader;
import io.lvsoperator.api.manifest.ManifestSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builders of compiler input from YAML, shared by the compiler tests. */
final class TestingManifests {
  private TestingManifests() {}

  static final Path EXAMPLES = Path.of("..", "examples", "reference");

  static ManifestSet reference() throws IOException {
    ManifestSet set = ManifestReader.readDirectory(EXAMPLES);
    assertThat(set.problems()).isEmpty();
    return set;
  }

  static ManifestSet yaml(String text) {
    ManifestSet set = ManifestReader.readString("test", text);
    assertThat(set.problems()).isEmpty();
    return set;
  }

  /**
   * VrrpInstances as the Kubernetes client reads them from an API server that enforces no schema
   * (Fabric8's mock): plain Jackson, nulls kept where the manifest reader would refuse them, so the
   * compiler's own checks can be shown.
   */
  static List<io.lvsoperator.api.v1alpha1.VrrpInstance> vrrpInstancesAsTheClientReadsThem(
      String text) {
    try {
      List<io.lvsoperator.api.v1alpha1.VrrpInstance> out = new java.util.ArrayList<>();
      for (var doc :
          LENIENT
              .readerFor(com.fasterxml.jackson.databind.JsonNode.class)
              .<com.fasterxml.jackson.databind.JsonNode>readValues(text)
              .readAll()) {
        if (doc != null && !doc.isNull() && !doc.isEmpty()) {
          out.add(LENIENT.treeToValue(doc, io.lvsoperator.api.v1alpha1.VrrpInstance.class));
        }
      }
      return out;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static final ObjectMapper LENIENT =
      new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());

  /** A VirtualServer document with the given name and spec body. */
  static String vs(String name, String spec) {
    return document("VirtualServer", name, spec);
  }

  /** A VrrpInstance document with the given name and spec body. */
  static String vri(String name, String spec) {
    return document("VrrpInstance", name, spec);
  }

  private static String document(String kind, String name, String spec) {
    return """
        apiVersion: lvsoperator.io/v1alpha1
        kind: %s
        metadata:
          name: %s
          namespace: default
        spec:
        %s
        ---
        """
        .formatted(kind, name, spec.indent(2));
  }

  static CompilerInput input(ManifestSet set, List<NodeInfo> nodes) {
    return new CompilerInput(
            set.virtualServers(),
            set.realServers(),
            nodes,
            SecretKey.valuesOf(set.secrets()),
            Map.of())
        .withVrrpInstances(set.vrrpInstances(), Map.of());
  }

  static NodeInfo node(String name, String address, String... labels) {
    Map<String, String> l = new HashMap<>();
    for (int i = 0; i + 1 < labels.length; i += 2) {
      l.put(labels[i], labels[i + 1]);
    }
    return new NodeInfo(name, l, address == null ? List.of() : List.of(address));
  }

  static List<NodeInfo> referenceNodes() {
    return List.of(
        node("lvs1", "172.20.1.1"),
        node("lvs2", "172.20.1.2"),
        node("rs1", "172.20.1.10"),
        node("rs2", "172.20.1.11"));
  }

  static Node k8sNode(String name, String address) {
    Node n = new Node();
    n.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).build());
    n.setStatus(new io.fabric8.kubernetes.api.model.NodeStatus());
    n.getStatus().setAddresses(List.of(new NodeAddress(address, "InternalIP")));
    return n;
  }

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  static String json(Object o) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
