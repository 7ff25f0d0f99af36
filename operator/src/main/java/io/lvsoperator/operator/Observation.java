package io.lvsoperator.operator;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Secret;
import io.lvsoperator.api.v1alpha1.LvsNode;
import io.lvsoperator.api.v1alpha1.RealServer;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import java.util.List;

/**
 * One consistent-enough look at the informer caches: everything a reconcile pass reads. Taking it
 * changes nothing.
 */
record Observation(
    List<VirtualServer> virtualServers,
    List<RealServer> realServers,
    List<Node> nodes,
    List<Secret> secrets,
    List<LvsNode> lvsNodes) {
  Observation {
    virtualServers = List.copyOf(virtualServers);
    realServers = List.copyOf(realServers);
    nodes = List.copyOf(nodes);
    secrets = List.copyOf(secrets);
    lvsNodes = List.copyOf(lvsNodes);
  }
}
