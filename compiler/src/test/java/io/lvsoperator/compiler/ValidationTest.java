package io.lvsoperator.compiler;

import static io.lvsoperator.compiler.TestingManifests.vs;
import static io.lvsoperator.compiler.TestingManifests.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every validation rule, each with an input that breaks it and the error it must give. */
class ValidationTest {
  private static final String OK = "vip: 10.0.0.1\nport: 80\ndirectors: {nodes: [{name: n1}]}\n";

  static Stream<Arguments> rules() {
    return Stream.of(
        row(
            "vip: 10.0.0.300\nport: 80\ndirectors: {nodes: [{name: n1}]}",
            "spec.vip: 10.0.0.300 is not an IP address"),
        row(
            "vip: fe80::1\ndirectors: {nodes: [{name: n1}]}",
            "spec.vip: fe80::1 is IPv6, which is not supported yet"),
        row("port: 80\ndirectors: {nodes: [{name: n1}]}", "spec.vip: is required"),
        row(OK.replace("port: 80", "port: 70000"), "spec.port: 70000 is not a port (1-65535)"),
        row(
            "vip: 10.0.0.1\nrealServers: [{address: 10.0.1.1}]\ndirectors: {nodes: [{name: n1}]}",
            "spec.port: is required when real servers are given"),
        row(
            OK + "persistenceTimeoutSeconds: -1",
            "spec.persistenceTimeoutSeconds: -1 is out of range"),
        row(
            OK + "persistenceNetmask: 255.0.255.0",
            "spec.persistenceNetmask: 255.0.255.0 is not an IPv4 netmask"),
        row(
            OK + "realServers: [{address: 10.0.1.1}, {address: web1}]",
            "spec.realServers[1].address: web1 is not an IP address"),
        row(
            OK + "realServers: [{address: 10.0.1.1, port: 0}]",
            "spec.realServers[0].port: 0 is not a port"),
        row(
            OK + "realServers: [{address: 10.0.1.1, port: 8080}]",
            "spec.realServers[0].port: 8080 differs from the virtual port 80; only NAT forwarding can change the port"),
        row(
            OK + "realServers: [{address: 10.0.1.1, weight: 70000}]",
            "spec.realServers[0].weight: 70000 is out of range (0-65535)"),
        row(OK + "healthCheck: {path: /}", "spec.healthCheck.type: is required"),
        row(
            OK + "healthCheck: {type: TCP, path: /health}",
            "spec.healthCheck.path: /health applies only to HTTP_GET and HTTPS_GET"),
        row(
            OK + "healthCheck: {type: HTTP_GET, path: health}",
            "spec.healthCheck.path: health must start with /"),
        row(
            OK + "healthCheck: {type: HTTP_GET, caBundle: x}",
            "spec.healthCheck.caBundle: (PEM) applies only to HTTPS_GET"),
        row(
            OK + "healthCheck: {type: HTTP_GET, expectedStatus: ['2xx']}",
            "spec.healthCheck.expectedStatus[0]: 2xx is not a status code"),
        row(
            OK + "healthCheck: {type: HTTP_GET, expectedStatus: ['299-200']}",
            "spec.healthCheck.expectedStatus[0]: 299-200 is a range that ends before it starts"),
        row(
            OK + "healthCheck: {type: TCP, expectedStatus: ['200']}",
            "spec.healthCheck.expectedStatus: 200 applies only to HTTP_GET"),
        row(OK + "healthCheck: {type: TCP, port: 0}", "spec.healthCheck.port: 0 is not a port"),
        row(
            OK + "healthCheck: {type: TCP, delayLoop: 6}",
            "spec.healthCheck.delayLoop: 6 is not a duration like 500ms, 6s or 1m"),
        row(
            OK + "healthCheck: {type: TCP, connectTimeout: 0ms}",
            "spec.healthCheck.connectTimeout: 0ms is out of range"),
        row(
            OK + "healthCheck: {type: TCP, delayBeforeRetry: 2h}",
            "spec.healthCheck.delayBeforeRetry: 2h is not a duration"),
        row(
            OK + "healthCheck: {type: TCP, retry: 101}",
            "spec.healthCheck.retry: 101 is out of range"),
        row(
            OK + "healthCheck: {type: TCP, rise: 0}",
            "spec.healthCheck.rise: 0 is out of range (1-100)"),
        row(
            OK + "healthCheck: {type: TCP, fall: 0}",
            "spec.healthCheck.fall: 0 is out of range (1-100)"),
        row(
            OK + "vrrp: {interface: 'eth0 bad'}",
            "spec.vrrp.interface: eth0 bad is not an interface name"),
        row(
            OK + "vrrp: {virtualRouterId: 256}",
            "spec.vrrp.virtualRouterId: 256 is not a VRID (1-255)"),
        row(OK + "vrrp: {version: 4}", "spec.vrrp.version: 4 is not 2 or 3"),
        row(
            OK + "vrrp: {version: 2, advertIntervalMs: 1500}",
            "spec.vrrp.advertIntervalMs: 1500 must be whole seconds (1000-255000) with VRRP version 2"),
        row(
            OK + "vrrp: {advertIntervalMs: 15}",
            "spec.vrrp.advertIntervalMs: 15 must be a multiple of 10 between 10 and 40950 with VRRP version 3"),
        row(
            OK + "vrrp: {advertIntervalMs: 50000}",
            "spec.vrrp.advertIntervalMs: 50000 must be a multiple of 10 between 10 and 40950"),
        row(OK + "vrrp: {preemptDelay: soon}", "spec.vrrp.preemptDelay: soon is not a duration"),
        row(
            OK + "vrrp: {authPassSecretRef: {name: s, key: password}}",
            "spec.vrrp.authPassSecretRef: s/password (PASS authentication) exists only in VRRP version 2"),
        row(
            OK + "vrrp: {version: 2, authPassSecretRef: {name: missing, key: password}}",
            "spec.vrrp.authPassSecretRef: missing/password names a Secret key that does not exist in namespace default"),
        row(
            OK + "vrrp: {unicastPeers: [10.0.0.2, nope]}",
            "spec.vrrp.unicastPeers[1]: nope is not an IPv4 address"),
        row(
            OK + "vrrp: {unicastPeers: [10.0.0.2], unicastPeersFromDirectors: true}",
            "spec.vrrp.unicastPeersFromDirectors: true excludes vrrp.unicastPeers"),
        row(
            OK + "vrrp: {vipPrefixLength: 33}",
            "spec.vrrp.vipPrefixLength: 33 is out of range (0-32)"),
        row(
            OK + "vrrp: {vipLabel: 'eth1:1'}",
            "spec.vrrp.vipLabel: eth1:1 must be the interface name, optionally followed by ':'"),
        row(
            OK + "vrrp: {trackInterfaces: ['']}",
            "spec.vrrp.trackInterfaces[0]: \"\" is not an interface name"),
        row(OK + "vrrp: {garpRepeat: 101}", "spec.vrrp.garpRepeat: 101 is out of range (0-100)"),
        row(OK + "vrrp: {garpInterval: 1x}", "spec.vrrp.garpInterval: 1x is not a duration"),
        row(OK + "vrrp: {accept: false}", "spec.vrrp.accept: false is not supported (no_accept"),
        row(OK + "vrrp: {garpRefresh: 1x}", "spec.vrrp.garpRefresh: 1x is not a duration"),
        row(
            OK + "vrrp: {garpRefresh: 500ms}",
            "spec.vrrp.garpRefresh: 500ms is out of range (0s for none, or 1s-1h)"),
        row(OK + "vrrp: {syncGroup: Web_1}", "spec.vrrp.syncGroup: Web_1 is not a name"),
        row("vip: 10.0.0.1\nport: 80", "spec.directors: is required"),
        row(
            "vip: 10.0.0.1\nport: 80\ndirectors: {}",
            "spec.directors: needs nodes, nodeSelector, or both"),
        row(
            "vip: 10.0.0.1\nport: 80\ndirectors: {nodes: [{name: n1}, {name: n1}]}",
            "spec.directors.nodes[1].name: n1 is listed twice"),
        row(
            "vip: 10.0.0.1\nport: 80\ndirectors: {nodes: [{priority: 5}]}",
            "spec.directors.nodes[0].name: is required"),
        row(
            "vip: 10.0.0.1\nport: 80\ndirectors: {nodes: [{name: n1, priority: 255}]}",
            "spec.directors.nodes[0].priority: 255 is not a priority (1-254)"),
        row(
            "vip: 10.0.0.1\nport: 80\nvrrpInstance: vi\nvrrp: {version: 2}",
            "spec.vrrp: must be absent when spec.vrrpInstance is given (VrrpInstance default/vi"
                + " has them)"),
        row(
            "vip: 10.0.0.1\nport: 80\nvrrpInstance: vi\ndirectors: {nodes: [{name: n1}]}",
            "spec.directors: must be absent when spec.vrrpInstance is given"),
        row(
            "vip: 10.0.0.1\nport: 80\nvrrpInstance: Bad_Name",
            "spec.vrrpInstance: Bad_Name is not an object name"),
        row(
            "vip: 10.0.0.1\nport: 80\nvrrpInstance: nope",
            "spec.vrrpInstance: nope names no VrrpInstance in namespace default"),
        row(OK + "firewallMark: 0", "spec.firewallMark: 0 is out of range (1-4294967295)"),
        row(
            "vip: 10.0.0.1\nfirewallMark: 5\ndirectors: {nodes: [{name: n1}]}\n"
                + "realServers: [{address: 10.0.1.1}]",
            "spec.realServers[0].port: is required: the service has no port (spec.port)"),
        row(
            OK + "firewallMark: 5\nadditionalAddresses: [{address: 10.0.0.2}]",
            "spec.additionalAddresses: excludes spec.firewallMark"),
        row(
            OK + "additionalAddresses: [{address: 10.0.0.20-10}]",
            "spec.additionalAddresses[0].address: 10.0.0.20-10 is a range that ends before it"
                + " starts"),
        row(
            OK + "additionalAddresses: [{address: 10.0.0.x}]",
            "spec.additionalAddresses[0].address: 10.0.0.x is not an IP address"),
        row(
            OK + "additionalAddresses: [{address: 10.0.0.2-300}]",
            "spec.additionalAddresses[0].address: 10.0.0.2-300 is not an IPv4 address or a range"),
        row(
            OK + "additionalAddresses: [{address: 10.0.0.1}]",
            "spec.additionalAddresses[0]: 10.0.0.1:80 is listed twice (also spec.vip)"),
        row(
            OK + "additionalAddresses: [{address: 10.0.0.2-3}, {address: 10.0.0.3}]",
            "spec.additionalAddresses[1]: 10.0.0.3:80 is listed twice (also"
                + " spec.additionalAddresses[0])"),
        row(
            OK + "additionalAddresses: [{address: 10.0.0.2, port: 0}]",
            "spec.additionalAddresses[0].port: 0 is not a port (1-65535)"),
        row(
            OK + "sorryServer: {address: 10.0.9.9, port: 8080}",
            "spec.sorryServer.port: 8080 differs from the virtual port 80; only NAT forwarding can"
                + " change the port"),
        row(
            OK + "sorryServer: {address: nowhere}",
            "spec.sorryServer.address: nowhere is not an IP"),
        row(
            "vip: 10.0.0.1\ndirectors: {nodes: [{name: n1}]}\nsorryServer: {address: 10.0.9.9}",
            "spec.sorryServer: applies only to a service (spec.port or spec.firewallMark)"),
        row(
            "vip: 10.0.0.1\nfirewallMark: 3\ndirectors: {nodes: [{name: n1}]}\n"
                + "sorryServer: {address: 10.0.9.9}",
            "spec.sorryServer.port: is required: the service has no port (spec.port)"),
        row(OK + "quorum: 0", "spec.quorum: 0 is out of range (at least 1)"),
        row(OK + "hysteresis: -1", "spec.hysteresis: -1 is out of range (at least 0)"),
        row(
            "vip: 10.0.0.1\ndirectors: {nodes: [{name: n1}]}\nquorum: 2",
            "spec.quorum: applies only to a service"),
        row(OK + "vrrp: {notify: {master: ' '}}", "spec.vrrp.notify.master:   is an empty command"),
        row(
            OK + "vrrp: {notify: {any: /bin/log, timeout: 500ms}}",
            "spec.vrrp.notify.timeout: 500ms is out of range (1000ms-1h)"),
        row(
            OK + "vrrp: {connectionSync: {syncId: 1}}",
            "spec.vrrp.connectionSync.interface: is required"),
        row(
            OK + "vrrp: {connectionSync: {interface: eth1}}",
            "spec.vrrp.connectionSync.syncId: is required"),
        row(
            OK + "vrrp: {connectionSync: {interface: eth1, syncId: 256}}",
            "spec.vrrp.connectionSync.syncId: 256 is out of range (0-255)"),
        row(
            OK + "vrrp: {connectionSync: {interface: eth1, syncId: 1, maxLength: 70000}}",
            "spec.vrrp.connectionSync.maxLength: 70000 is out of range (1-65507)"),
        row(
            OK + "vrrp: {connectionSync: {interface: eth1, syncId: 1, port: 0}}",
            "spec.vrrp.connectionSync.port: 0 is out of range (1-65535)"),
        row(
            OK + "vrrp: {connectionSync: {interface: eth1, syncId: 1, ttl: 0}}",
            "spec.vrrp.connectionSync.ttl: 0 is out of range (1-255)"),
        row(
            OK + "vrrp: {connectionSync: {interface: eth1, syncId: 1, group: 10.0.0.1}}",
            "spec.vrrp.connectionSync.group: 10.0.0.1 is not an IPv4 multicast address"),
        row(
            OK + "vrrp: {connectionSync: {interface: 'a b', syncId: 1}}",
            "spec.vrrp.connectionSync.interface: a b is not an interface name"));
  }

  /** Every VrrpInstance rule, each with an input that breaks it and the error it must give. */
  static Stream<Arguments> instanceRules() {
    String directors = "directors: {nodes: [{name: n1}]}\n";
    return Stream.of(
        row("addresses: [{address: 10.0.0.1}]", "spec.directors: is required"),
        row(
            directors + "addresses: [{address: 10.0.0.x}]",
            "spec.addresses[0].address: 10.0.0.x is not an IP address"),
        row(
            directors + "addresses: [{address: 'fe80::1'}]",
            "spec.addresses[0].address: fe80::1 is IPv6, which is not supported yet"),
        row(
            directors + "addresses: [{prefixLength: 24}]",
            "spec.addresses[0].address: is required"),
        row(directors + "addresses: [~]", "spec.addresses[0]: is empty"),
        row(
            directors + "addresses: [{address: 10.0.0.1, prefixLength: 33}]",
            "spec.addresses[0].prefixLength: 33 is out of range (0-32)"),
        row(
            directors + "addresses: [{address: 10.0.0.1, label: 'eth1:1'}]",
            "spec.addresses[0].label: eth1:1 must be the interface name, optionally followed by"
                + " ':'"),
        row(
            directors + "excludedAddresses: [{address: 10.0.0.1, interface: 'bad name'}]",
            "spec.excludedAddresses[0].interface: bad name is not an interface name"),
        row(
            directors + "addresses: [{address: 10.0.0.1}, {address: 10.0.0.1}]",
            "spec.addresses[1].address: 10.0.0.1 is listed twice (also spec.addresses[0])"),
        row(
            directors
                + "addresses: [{address: 10.0.0.1}]\nexcludedAddresses: [{address: 10.0.0.1}]",
            "spec.excludedAddresses[0].address: 10.0.0.1 is listed twice (also"
                + " spec.addresses[0])"),
        row(
            directors + "vrrp: {advertIntervalMs: 15}\naddresses: [{address: 10.0.0.1}]",
            "spec.vrrp.advertIntervalMs: 15 must be a multiple of 10"),
        row(
            directors
                + "vrrp: {version: 2, authPassSecretRef: {name: missing, key: password}}\n"
                + "addresses: [{address: 10.0.0.1}]",
            "spec.vrrp.authPassSecretRef: missing/password names a Secret key that does not exist"
                + " in namespace default"),
        row(
            "directors: {nodes: [{name: n1}, {name: n1}]}\naddresses: [{address: 10.0.0.1}]",
            "spec.directors.nodes[1].name: n1 is listed twice"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("instanceRules")
  void eachInstanceRuleRejectsItsBadInputNamingFieldAndValue(String spec, String expectedError) {
    // As the operator gets them: the manifest reader would refuse a null address before this.
    var instances =
        TestingManifests.vrrpInstancesAsTheClientReadsThem(TestingManifests.vri("bad", spec));
    var result =
        Compiler.compile(
            new CompilerInput(
                    List.of(),
                    List.of(),
                    List.of(TestingManifests.node("n1", "192.0.2.1")),
                    Map.of(new SecretKey("default", "s", "password"), "1111"),
                    Map.of())
                .withVrrpInstances(instances, Map.of()));
    var verdict = result.vrrpInstances().get(new ObjectKey("default", "bad"));
    assertThat(verdict.errors())
        .map(FieldError::toString)
        .anyMatch(e -> e.startsWith(expectedError));
    assertThat(verdict.ok()).isFalse();
    assertThat(result.nodes()).as("nothing of an invalid object reaches a node").isEmpty();
  }

  private static Arguments row(String spec, String expectedError) {
    return Arguments.of(spec, expectedError);
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("rules")
  void eachRuleRejectsItsBadInputNamingFieldAndValue(String spec, String expectedError) {
    var set = yaml(vs("bad", spec));
    var result =
        Compiler.compile(
            new CompilerInput(
                set.virtualServers(),
                List.of(),
                List.of(TestingManifests.node("n1", "192.0.2.1")),
                Map.of(new SecretKey("default", "s", "password"), "1111"),
                Map.of()));
    var verdict = result.virtualServers().get(new ObjectKey("default", "bad"));
    assertThat(verdict.errors())
        .map(FieldError::toString)
        .anyMatch(e -> e.startsWith(expectedError));
    assertThat(verdict.ok()).isFalse();
    assertThat(result.nodes()).as("nothing of an invalid object reaches a node").isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("realServerRules")
  void realServerObjectsAreValidatedToo(String spec, String expectedError) {
    var set =
        yaml(
            vs("web", OK)
                + """
                apiVersion: lvsoperator.io/v1alpha1
                kind: RealServer
                metadata: {name: rs, namespace: default}
                spec: %s
                """
                    .formatted(spec));
    var result =
        Compiler.compile(
            new CompilerInput(
                set.virtualServers(),
                set.realServers(),
                List.of(TestingManifests.node("n1", "192.0.2.1"))));
    assertThat(result.realServers().get(new ObjectKey("default", "rs")).errors())
        .map(FieldError::toString)
        .anyMatch(e -> e.startsWith(expectedError));
    assertThat(result.virtualServers().get(new ObjectKey("default", "web")).ok()).isTrue();
    assertThat(result.nodes().get("n1").ipvsServices().getFirst().destinations()).isEmpty();
  }

  static Stream<Arguments> realServerRules() {
    return Stream.of(
        Arguments.of(
            "{address: 10.0.1.x, virtualServer: web}",
            "spec.address: 10.0.1.x is not an IP address"),
        Arguments.of(
            "{address: 10.0.1.1, port: 99999, virtualServer: web}",
            "spec.port: 99999 is not a port"),
        Arguments.of(
            "{address: 10.0.1.1, weight: -1, virtualServer: web}",
            "spec.weight: -1 is out of range"),
        Arguments.of(
            "{address: 10.0.1.1, port: 8080, virtualServer: web}",
            "spec.port: 8080 differs from the virtual port 80; only NAT forwarding can change the port (VirtualServer default/web)"),
        Arguments.of(
            "{address: 10.0.1.1, virtualServer: nope}",
            "spec.virtualServer: nope names no VirtualServer in namespace default"));
  }
}
