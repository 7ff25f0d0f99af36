package io.lvsoperator.agent.process;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.lvsoperator.api.manifest.ManifestSet;
import io.lvsoperator.api.v1alpha1.RealServer;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import io.lvsoperator.api.v1alpha1.VirtualServerSpec;
import io.lvsoperator.api.v1alpha1.VrrpInstance;
import io.lvsoperator.compiler.CompilerInput;
import io.lvsoperator.compiler.NodeInfo;
import io.lvsoperator.compiler.ObjectKey;
import io.lvsoperator.compiler.SecretKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns manifests read from a directory into compiler input. Without a cluster, the nodes are those
 * the manifests name (directors of VirtualServers and VrrpInstances, real-server nodes) plus Node
 * objects found in the directory plus this node with the labels and addresses given on the command
 * line. Notify commands may run: a standalone node is where they run.
 */
public final class StandaloneInputs {
  private StandaloneInputs() {}

  public static CompilerInput from(
      ManifestSet set,
      NodeInfo self,
      Map<String, List<String>> extraAddresses,
      Map<ObjectKey, VirtualServer> lastGood) {
    return from(set, self, extraAddresses, lastGood, Map.of(), Map.of());
  }

  /**
   * As above, with the last good version of each RealServer and VrrpInstance (see {@link
   * CompilerInput}).
   */
  public static CompilerInput from(
      ManifestSet set,
      NodeInfo self,
      Map<String, List<String>> extraAddresses,
      Map<ObjectKey, VirtualServer> lastGood,
      Map<ObjectKey, RealServer> lastGoodRealServers,
      Map<ObjectKey, VrrpInstance> lastGoodVrrpInstances) {
    Map<String, NodeInfo> nodes = new TreeMap<>();
    for (VrrpInstance vi : set.vrrpInstances()) {
      if (vi.getSpec() != null) {
        addDirectors(vi.getSpec().directors(), nodes);
      }
    }
    for (VirtualServer vs : set.virtualServers()) {
      var spec = vs.getSpec();
      if (spec == null) {
        continue;
      }
      addDirectors(spec.directors(), nodes);
      if (spec.realServers() != null) {
        spec.realServers().stream()
            .filter(r -> r != null && r.node() != null)
            .forEach(r -> nodes.putIfAbsent(r.node(), NodeInfo.named(r.node())));
      }
    }
    for (RealServer rs : set.realServers()) {
      if (rs.getSpec() != null && rs.getSpec().node() != null) {
        nodes.putIfAbsent(rs.getSpec().node(), NodeInfo.named(rs.getSpec().node()));
      }
    }
    for (Node n : set.nodes()) {
      List<String> addresses = new ArrayList<>();
      if (n.getStatus() != null && n.getStatus().getAddresses() != null) {
        n.getStatus().getAddresses().stream()
            .sorted(
                (a, b) ->
                    Boolean.compare(
                        !"InternalIP".equals(a.getType()), !"InternalIP".equals(b.getType())))
            .map(NodeAddress::getAddress)
            .forEach(addresses::add);
      }
      nodes.put(
          n.getMetadata().getName(),
          new NodeInfo(n.getMetadata().getName(), n.getMetadata().getLabels(), addresses));
    }
    extraAddresses.forEach(
        (name, addresses) -> {
          NodeInfo old = nodes.getOrDefault(name, NodeInfo.named(name));
          nodes.put(name, new NodeInfo(name, old.labels(), addresses));
        });
    if (self != null) {
      NodeInfo old = nodes.getOrDefault(self.name(), NodeInfo.named(self.name()));
      Map<String, String> labels = new HashMap<>(old.labels());
      labels.putAll(self.labels());
      nodes.put(
          self.name(),
          new NodeInfo(
              self.name(),
              labels,
              self.addresses().isEmpty() ? old.addresses() : self.addresses()));
    }
    return new CompilerInput(
            set.virtualServers(),
            set.realServers(),
            List.copyOf(nodes.values()),
            SecretKey.valuesOf(set.secrets()),
            lastGood,
            lastGoodRealServers)
        .withVrrpInstances(set.vrrpInstances(), lastGoodVrrpInstances)
        .withNotifyCommands(true);
  }

  private static void addDirectors(
      VirtualServerSpec.Directors directors, Map<String, NodeInfo> nodes) {
    if (directors != null && directors.nodes() != null) {
      directors.nodes().stream()
          .filter(n -> n != null && n.name() != null)
          .forEach(n -> nodes.putIfAbsent(n.name(), NodeInfo.named(n.name())));
    }
  }
}
