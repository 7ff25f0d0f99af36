package io.lvsoperator.compiler;

/**
 * A real server of a VirtualServer after merging inline entries and RealServer objects.
 *
 * @param source where it came from: "spec.realServers[0]" or "RealServer ns/name"
 */
public record ResolvedRealServer(
    String address, int port, int weight, boolean drain, String node, String source) {}
