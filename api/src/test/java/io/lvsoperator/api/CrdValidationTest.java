package io.lvsoperator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.fabric8.kubernetes.client.CustomResource;
import io.lvsoperator.api.v1alpha1.RealServer;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import io.lvsoperator.api.v1alpha1.VrrpInstance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed CRDs' OpenAPI schemas and CEL rules, applied for real (a JSON-Schema validator and
 * a CEL evaluator) to the examples and to broken manifests: what the API server will accept.
 */
class CrdValidationTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void examplesPassSchemaAndCelRules() throws Exception {
    int checked = 0;
    try (Stream<Path> files = Files.walk(Path.of("..", "examples"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        for (JsonNode doc :
            YAML.readerFor(JsonNode.class).<JsonNode>readValues(Files.readString(f)).readAll()) {
          var type = typeOf(doc);
          if (type == null) {
            continue;
          }
          assertThat(problems(type, doc)).as(f + " " + doc.path("metadata").path("name")).isEmpty();
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(3);
  }

  static Stream<Arguments> badVirtualServers() {
    String ok = "vip: 10.0.0.1\nport: 80\ndirectors: {nodes: [{name: n1}]}\n";
    return Stream.of(
        // OpenAPI: required, patterns, ranges, enums
        Arguments.of("port: 80\ndirectors: {nodes: [{name: n1}]}", "vip"),
        Arguments.of("vip: 10.0.0.1\nport: 80", "directors"),
        Arguments.of("vip: 300.1.1.1\nport: 80\ndirectors: {nodes: [{name: n1}]}", "vip"),
        Arguments.of(ok.replace("port: 80", "port: 70000"), "port"),
        Arguments.of(ok + "scheduler: roundrobin", "scheduler"),
        Arguments.of(ok + "forwarding: DSR", "forwarding"),
        Arguments.of(ok + "protocol: ICMP", "protocol"),
        Arguments.of(ok + "vrrp: {virtualRouterId: 0}", "virtualRouterId"),
        Arguments.of(ok + "vrrp: {interface: 'has space'}", "interface"),
        Arguments.of(ok + "healthCheck: {type: HTTP_GET, delayLoop: 6}", "delayLoop"),
        Arguments.of(
            ok + "healthCheck: {type: HTTP_GET, expectedStatus: ['2xx']}", "expectedStatus"),
        Arguments.of(ok + "healthCheck: {type: HTTP_GET, onFailure: drop}", "onFailure"),
        Arguments.of(ok + "directors: {nodes: [{name: n1, priority: 255}]}", "priority"),
        // CEL
        Arguments.of(
            "vip: 10.0.0.1\nrealServers: [{address: 10.0.0.2}]\ndirectors: {nodes: [{name: n1}]}",
            "spec.port is required when real servers are given"),
        Arguments.of(
            ok + "vrrp: {authPassSecretRef: {name: s, key: k}}",
            "PASS authentication) exists only in VRRP version 2"),
        Arguments.of(
            ok + "vrrp: {version: 2, advertIntervalMs: 1500}",
            "must be whole seconds with VRRP version 2"),
        Arguments.of(ok + "vrrp: {advertIntervalMs: 15}", "must be a multiple of 10"),
        Arguments.of(
            ok + "vrrp: {unicastPeers: [10.0.0.2], unicastPeersFromDirectors: true}",
            "exclude each other"),
        Arguments.of(
            ok + "healthCheck: {type: TCP, path: /}", "applies only to HTTP_GET and HTTPS_GET"),
        Arguments.of(
            ok + "healthCheck: {type: HTTP_GET, caBundle: x}", "applies only to HTTPS_GET"),
        Arguments.of(
            "vip: 10.0.0.1\ndirectors: {}", "directors needs nodes, nodeSelector, or both"),
        Arguments.of(
            "vip: 10.0.0.1\nport: 80", "spec.directors is required unless spec.vrrpInstance"),
        Arguments.of(
            ok + "vrrpInstance: vi",
            "spec.vrrp and spec.directors must be absent when spec.vrrpInstance is given"),
        Arguments.of(
            "vip: 10.0.0.1\nvrrpInstance: vi\nvrrp: {version: 2}",
            "spec.vrrp and spec.directors must be absent when spec.vrrpInstance is given"),
        Arguments.of("vip: 10.0.0.1\nvrrpInstance: Bad_Name", "vrrpInstance"),
        Arguments.of(ok + "firewallMark: 0", "firewallMark"),
        Arguments.of(ok + "firewallMark: 4294967296", "firewallMark"),
        Arguments.of(
            ok + "firewallMark: 3\nadditionalAddresses: [{address: 10.0.0.2}]",
            "spec.additionalAddresses and spec.firewallMark exclude each other"),
        Arguments.of(ok + "additionalAddresses: [{address: 10.0.0.2-256}]", "address"),
        Arguments.of(
            "vip: 10.0.0.1\ndirectors: {nodes: [{name: n1}]}\nsorryServer: {address: 10.0.0.9}",
            "apply only to a service"),
        Arguments.of(ok + "quorum: 0", "quorum"),
        Arguments.of(ok + "vrrp: {connectionSync: {interface: eth1}}", "syncId"),
        Arguments.of(ok + "vrrp: {connectionSync: {interface: eth1, syncId: 300}}", "syncId"),
        Arguments.of(ok + "vrrp: {notify: {any: /bin/x, timeout: 10}}", "timeout"));
  }

  @Test
  void aFirewallMarkServiceNeedsNoPort() throws Exception {
    JsonNode doc =
        document(
            "VirtualServer",
            "{vip: 10.0.0.1, firewallMark: 4294967295, directors: {nodes: [{name: n1}]},"
                + " realServers: [{address: 10.0.1.1, port: 80}]}");
    assertThat(problems(VirtualServer.class, doc)).isEmpty();
  }

  @Test
  void aMemberOfAVrrpInstanceNeedsNoDirectors() throws Exception {
    JsonNode doc = document("VirtualServer", "{vip: 10.0.0.1, port: 80, vrrpInstance: vi}");
    assertThat(problems(VirtualServer.class, doc)).isEmpty();
  }

  static Stream<Arguments> badVrrpInstances() {
    String ok = "directors: {nodes: [{name: n1}]}\n";
    return Stream.of(
        Arguments.of("addresses: [{address: 10.0.0.1}]", "directors"),
        Arguments.of(ok + "addresses: [{address: 300.0.0.1}]", "address"),
        Arguments.of(ok + "addresses: [{prefixLength: 24}]", "address"),
        Arguments.of(ok + "addresses: [{address: 10.0.0.1, prefixLength: 33}]", "prefixLength"),
        Arguments.of(
            ok + "excludedAddresses: [{address: 10.0.0.1, interface: 'a b'}]", "interface"),
        Arguments.of(ok + "vrrp: {advertIntervalMs: 15}", "must be a multiple of 10"),
        Arguments.of("directors: {}", "directors needs nodes, nodeSelector, or both"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badVrrpInstances")
  void brokenVrrpInstancesAreRejected(String spec, String expected) throws Exception {
    assertThat(problems(VrrpInstance.class, document("VrrpInstance", spec)))
        .anyMatch(p -> p.contains(expected));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badVirtualServers")
  void brokenVirtualServersAreRejected(String spec, String expected) throws Exception {
    assertThat(problems(VirtualServer.class, document("VirtualServer", spec)))
        .anyMatch(p -> p.contains(expected));
  }

  @Test
  void brokenRealServerIsRejected() throws Exception {
    JsonNode doc =
        YAML.readTree(
            "apiVersion: lvsoperator.io/v1alpha1\nkind: RealServer\nmetadata: {name: x}\n"
                + "spec: {address: 10.0.0.1, weight: 70000}");
    assertThat(problems(RealServer.class, doc)).anyMatch(p -> p.contains("weight"));
  }

  private static JsonNode document(String kind, String spec) throws Exception {
    return YAML.readTree(
        "apiVersion: lvsoperator.io/v1alpha1\nkind: "
            + kind
            + "\nmetadata: {name: x}\nspec:\n"
            + spec.indent(2));
  }

  private static List<String> problems(Class<? extends CustomResource<?, ?>> type, JsonNode doc)
      throws Exception {
    JsonNode schemaNode = CrdFiles.committedSchema(type);
    JsonSchema schema =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schemaNode);
    List<String> out = new ArrayList<>();
    Set<ValidationMessage> messages = schema.validate(doc);
    messages.forEach(m -> out.add(m.getMessage()));
    out.addAll(CelRules.violations(schemaNode, doc));
    return out;
  }

  private static Class<? extends CustomResource<?, ?>> typeOf(JsonNode doc) {
    return switch (doc.path("kind").asText()) {
      case "VirtualServer" -> VirtualServer.class;
      case "RealServer" -> RealServer.class;
      case "VrrpInstance" -> VrrpInstance.class;
      default -> null;
    };
  }
}
