package io.lvsoperator.testing.manifests;

import java.util.List;
import java.util.stream.Stream;

/**
 * A manifest the CRDs must reject, and a fragment of the rejection: the field's name for an OpenAPI
 * violation, the rule's message for a CEL violation. The same list runs against the committed
 * schemas offline ({@code api}'s CrdValidationTest) and against a real API server (the operator's
 * KubeApiServerIT), so the two cannot drift apart.
 *
 * @param kind VirtualServer, RealServer, VrrpInstance or TenantPolicy (cluster-scoped)
 * @param spec the {@code spec}, as YAML
 * @param expected a fragment every rejection message names
 */
public record BrokenManifest(String kind, String spec, String expected) {

  /** The whole manifest, {@code lvsoperator.io/v1alpha1}, named {@code name} (no namespace). */
  public String manifest(String name) {
    return "apiVersion: lvsoperator.io/v1alpha1\nkind: "
        + kind
        + "\nmetadata: {name: "
        + name
        + "}\nspec:\n"
        + spec.indent(2);
  }

  @Override
  public String toString() {
    return kind + " " + expected;
  }

  public static List<BrokenManifest> all() {
    return Stream.of(virtualServers(), Stream.of(realServer()), vrrpInstances(), tenantPolicies())
        .flatMap(s -> s)
        .toList();
  }

  private static BrokenManifest realServer() {
    return new BrokenManifest("RealServer", "{address: 10.0.0.1, weight: 70000}", "weight");
  }

  private static Stream<BrokenManifest> virtualServers() {
    String ok = "vip: 10.0.0.1\nport: 80\ndirectors: {nodes: [{name: n1}]}\n";
    return Stream.of(
        // OpenAPI: required, patterns, ranges, enums
        vs("port: 80\ndirectors: {nodes: [{name: n1}]}", "vip"),
        vs("vip: 10.0.0.1\nport: 80", "directors"),
        vs("vip: 300.1.1.1\nport: 80\ndirectors: {nodes: [{name: n1}]}", "vip"),
        vs(ok.replace("port: 80", "port: 70000"), "port"),
        vs(ok + "scheduler: roundrobin", "scheduler"),
        vs(ok + "forwarding: DSR", "forwarding"),
        vs(ok + "protocol: ICMP", "protocol"),
        vs(ok + "vrrp: {virtualRouterId: 0}", "virtualRouterId"),
        vs(ok + "vrrp: {interface: 'has space'}", "interface"),
        vs(ok + "healthCheck: {type: HTTP_GET, delayLoop: 6}", "delayLoop"),
        vs(ok + "healthCheck: {type: HTTP_GET, expectedStatus: ['2xx']}", "expectedStatus"),
        vs(ok + "healthCheck: {type: HTTP_GET, onFailure: drop}", "onFailure"),
        vs(ok + "healthCheck: {type: HTTP_GET, path: \"/\\r\\nX-Evil: 1\"}", "path"),
        vs(ok + "healthCheck: {type: HTTP_GET, host: \"a b\"}", "host"),
        vs(ok + "directors: {nodes: [{name: n1, priority: 255}]}", "priority"),
        // CEL
        vs(
            "vip: 10.0.0.1\nrealServers: [{address: 10.0.0.2}]\ndirectors: {nodes: [{name: n1}]}",
            "spec.port is required when real servers are given"),
        vs(
            ok + "vrrp: {authPassSecretRef: {name: s, key: k}}",
            "PASS authentication) exists only in VRRP version 2"),
        vs(
            ok + "vrrp: {version: 2, advertIntervalMs: 1500}",
            "must be whole seconds with VRRP version 2"),
        vs(ok + "vrrp: {advertIntervalMs: 15}", "must be a multiple of 10"),
        vs(
            ok + "vrrp: {unicastPeers: [10.0.0.2], unicastPeersFromDirectors: true}",
            "exclude each other"),
        vs(ok + "healthCheck: {type: TCP, path: /}", "applies only to HTTP_GET and HTTPS_GET"),
        vs(ok + "healthCheck: {type: HTTP_GET, caBundle: x}", "applies only to HTTPS_GET"),
        vs("vip: 10.0.0.1\ndirectors: {}", "directors needs nodes, nodeSelector, or both"),
        vs("vip: 10.0.0.1\nport: 80", "spec.directors is required unless spec.vrrpInstance"),
        vs(
            ok + "vrrpInstance: vi",
            "spec.vrrp and spec.directors must be absent when spec.vrrpInstance is given"),
        vs(
            "vip: 10.0.0.1\nvrrpInstance: vi\nvrrp: {version: 2}",
            "spec.vrrp and spec.directors must be absent when spec.vrrpInstance is given"),
        vs("vip: 10.0.0.1\nvrrpInstance: Bad_Name", "vrrpInstance"),
        vs(ok + "firewallMark: 0", "firewallMark"),
        vs(ok + "firewallMark: 4294967296", "firewallMark"),
        vs(
            ok + "firewallMark: 3\nadditionalAddresses: [{address: 10.0.0.2}]",
            "spec.additionalAddresses and spec.firewallMark exclude each other"),
        vs(ok + "additionalAddresses: [{address: 10.0.0.2-256}]", "address"),
        vs(
            "vip: 10.0.0.1\ndirectors: {nodes: [{name: n1}]}\nsorryServer: {address: 10.0.0.9}",
            "apply only to a service"),
        vs(ok + "quorum: 0", "quorum"),
        vs(ok + "vrrp: {connectionSync: {interface: eth1}}", "syncId"),
        vs(ok + "vrrp: {connectionSync: {interface: eth1, syncId: 300}}", "syncId"),
        vs(ok + "vrrp: {notify: {any: /bin/x, timeout: 10}}", "timeout"));
  }

  private static Stream<BrokenManifest> vrrpInstances() {
    String ok = "directors: {nodes: [{name: n1}]}\n";
    return Stream.of(
        vri("addresses: [{address: 10.0.0.1}]", "directors"),
        vri(ok + "addresses: [{address: 300.0.0.1}]", "address"),
        vri(ok + "addresses: [{prefixLength: 24}]", "address"),
        vri(ok + "addresses: [{address: 10.0.0.1, prefixLength: 33}]", "prefixLength"),
        vri(ok + "excludedAddresses: [{address: 10.0.0.1, interface: 'a b'}]", "interface"),
        vri(ok + "vrrp: {advertIntervalMs: 15}", "must be a multiple of 10"),
        vri("directors: {}", "directors needs nodes, nodeSelector, or both"));
  }

  private static Stream<BrokenManifest> tenantPolicies() {
    String ok = "namespaces: [team-a]\n";
    return Stream.of(
        tp("vipRanges: [10.0.0.0/24]", "namespaces"),
        tp("namespaces: []", "namespaces"),
        tp("namespaces: [Team_A]", "namespaces"),
        tp(ok + "vipRanges: [10.0.0.0/33]", "vipRanges"),
        tp(ok + "vipRanges: [10.0.0.1]", "vipRanges"),
        tp(ok + "realServerRanges: [not-a-range/8]", "realServerRanges"),
        tp(ok + "allow: [Everything]", "allow"),
        tp(ok + "directorNodes: {names: [Bad_Name]}", "names"),
        tp(ok + "realServerNodes: {names: [Bad_Name]}", "names"));
  }

  private static BrokenManifest tp(String spec, String expected) {
    return new BrokenManifest("TenantPolicy", spec, expected);
  }

  private static BrokenManifest vri(String spec, String expected) {
    return new BrokenManifest("VrrpInstance", spec, expected);
  }

  private static BrokenManifest vs(String spec, String expected) {
    return new BrokenManifest("VirtualServer", spec, expected);
  }
}
