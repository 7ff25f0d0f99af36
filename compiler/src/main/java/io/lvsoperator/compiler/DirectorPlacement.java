package io.lvsoperator.compiler;

import io.lvsoperator.api.v1alpha1.VirtualServerSpec.DirectorNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Chooses an instance's directors and their priorities: the listed nodes in order, then the nodes
 * matching the selector by name. A listed node that does not exist keeps its slot, so the others
 * keep their priorities, and is reported as missing.
 */
final class DirectorPlacement {
  private final Map<String, NodeInfo> nodes;

  /** {@code nodes} by name, sorted. */
  DirectorPlacement(Map<String, NodeInfo> nodes) {
    this.nodes = nodes;
  }

  /** The directors chosen, in priority order, and the listed nodes that do not exist. */
  record Placement(List<DirectorAssignment> directors, List<String> missing) {}

  /**
   * @param mayDirect whether the TenantPolicies let a node the selector matches direct this
   *     instance; a node they refuse is left out (a listed node they refuse is a violation, found
   *     before placement)
   */
  Placement place(
      List<DirectorNode> listed, Map<String, String> selector, Predicate<NodeInfo> mayDirect) {
    List<DirectorAssignment> assigned = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    Set<String> taken = new HashSet<>();
    int index = 0;
    for (DirectorNode n : listed) {
      int priority = n.priority() != null ? n.priority() : Defaults.priorityByOrder(index);
      index++;
      taken.add(n.name());
      if (nodes.containsKey(n.name())) {
        assigned.add(new DirectorAssignment(n.name(), priority));
      } else {
        missing.add(n.name());
      }
    }
    if (!selector.isEmpty()) {
      for (NodeInfo n : nodes.values()) {
        if (!taken.contains(n.name())
            && LabelSelectors.matches(selector, n.labels())
            && mayDirect.test(n)) {
          assigned.add(new DirectorAssignment(n.name(), Defaults.priorityByOrder(index++)));
          taken.add(n.name());
        }
      }
    }
    return new Placement(List.copyOf(assigned), List.copyOf(missing));
  }
}
