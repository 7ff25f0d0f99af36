package io.lvsoperator.compiler;

import java.util.List;
import java.util.Map;

/**
 * What the compiler needs to know of a node: its labels (for director selection) and its addresses,
 * preferred first (for unicast VRRP peers).
 */
public record NodeInfo(String name, Map<String, String> labels, List<String> addresses) {
  public NodeInfo {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    addresses = addresses == null ? List.of() : List.copyOf(addresses);
  }

  public static NodeInfo named(String name) {
    return new NodeInfo(name, Map.of(), List.of());
  }
}
