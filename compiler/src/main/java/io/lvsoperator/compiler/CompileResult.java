package io.lvsoperator.compiler;

import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the compiler produced.
 *
 * @param nodes the desired state of every node that has something to do, by node name
 * @param virtualServers a verdict per VirtualServer
 * @param realServers a verdict per RealServer object
 * @param vrrpInstances a verdict per VrrpInstance
 */
public record CompileResult(
    SortedMap<String, LvsNodeSpec> nodes,
    SortedMap<ObjectKey, VirtualServerResult> virtualServers,
    SortedMap<ObjectKey, RealServerResult> realServers,
    SortedMap<ObjectKey, VrrpInstanceResult> vrrpInstances) {

  public CompileResult {
    vrrpInstances =
        vrrpInstances == null
            ? Collections.emptySortedMap()
            : Collections.unmodifiableSortedMap(vrrpInstances);
  }

  /** Without VrrpInstances. */
  public CompileResult(
      SortedMap<String, LvsNodeSpec> nodes,
      SortedMap<ObjectKey, VirtualServerResult> virtualServers,
      SortedMap<ObjectKey, RealServerResult> realServers) {
    this(nodes, virtualServers, realServers, new TreeMap<>());
  }
}
