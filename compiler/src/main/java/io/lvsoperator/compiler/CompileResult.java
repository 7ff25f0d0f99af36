package io.lvsoperator.compiler;

import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import java.util.SortedMap;

/**
 * What the compiler produced.
 *
 * @param nodes the desired state of every node that has something to do, by node name
 * @param virtualServers a verdict per VirtualServer
 * @param realServers a verdict per RealServer object
 */
public record CompileResult(
    SortedMap<String, LvsNodeSpec> nodes,
    SortedMap<ObjectKey, VirtualServerResult> virtualServers,
    SortedMap<ObjectKey, RealServerResult> realServers) {}
