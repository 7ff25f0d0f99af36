package io.lvsoperator.operator;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Builds the compiler's input from what the caches hold. Reads nothing but its arguments. */
final class CompilerInputs {
  private CompilerInputs() {}

  /**
   * @param virtualServers every VirtualServer in the caches; those being deleted are left out, so
   *     the nodes stop serving them (the same for {@code vrrpInstances})
   * @param secrets reads the values of the Secret keys the VirtualServers and VrrpInstances (and
   *     their last good versions) name
   */
  static CompilerInput of(
      List<VirtualServer> virtualServers,
      List<RealServer> realServers,
      List<VrrpInstance> vrrpInstances,
      List<Node> nodes,
      Function<Set<SecretKey>, Map<SecretKey, String>> secrets) {
    List<VirtualServer> live = new ArrayList<>();
    Map<ObjectKey, VirtualServer> lastGood = new HashMap<>();
    Set<SecretKey> referenced = new HashSet<>();
    for (VirtualServer vs : virtualServers) {
      if (vs.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      live.add(vs);
      secretKey(vs).ifPresent(referenced::add);
      LastGoodSpecs.decode(vs)
          .ifPresent(
              last -> {
                lastGood.put(ObjectKey.of(vs), last);
                secretKey(last).ifPresent(referenced::add);
              });
    }
    List<VrrpInstance> liveInstances = new ArrayList<>();
    Map<ObjectKey, VrrpInstance> lastGoodInstances = new HashMap<>();
    for (VrrpInstance vi : vrrpInstances) {
      if (vi.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      liveInstances.add(vi);
      secretKey(vi).ifPresent(referenced::add);
      LastGoodSpecs.decode(vi)
          .ifPresent(
              last -> {
                lastGoodInstances.put(ObjectKey.of(vi), last);
                secretKey(last).ifPresent(referenced::add);
              });
    }
    // Notify commands stay off: the Kubernetes agent runs none (the operator records Events).
    return new CompilerInput(
            live,
            realServers,
            nodes.stream().map(CompilerInputs::nodeInfo).toList(),
            secrets.apply(referenced),
            lastGood,
            Map.of())
        .withVrrpInstances(liveInstances, lastGoodInstances);
  }

  /** Labels, and addresses with InternalIP first (the unicast VRRP peer address). */
  static NodeInfo nodeInfo(Node node) {
    List<String> internal = new ArrayList<>();
    List<String> other = new ArrayList<>();
    if (node.getStatus() != null && node.getStatus().getAddresses() != null) {
      for (NodeAddress a : node.getStatus().getAddresses()) {
        if ("InternalIP".equals(a.getType())) {
          internal.add(a.getAddress());
        } else if ("ExternalIP".equals(a.getType())) {
          other.add(a.getAddress());
        }
      }
    }
    internal.addAll(other);
    return new NodeInfo(node.getMetadata().getName(), node.getMetadata().getLabels(), internal);
  }

  /** The Secret key a VirtualServer's VRRP PASS password comes from, if it names one. */
  static java.util.Optional<SecretKey> secretKey(VirtualServer vs) {
    VirtualServerSpec.SecretKeyRef ref = secretRef(vs);
    if (ref == null || ref.name() == null || ref.key() == null) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        new SecretKey(ObjectKey.of(vs).namespace(), ref.name(), ref.key()));
  }

  /** The Secret key a VrrpInstance's VRRP PASS password comes from, if it names one. */
  static java.util.Optional<SecretKey> secretKey(VrrpInstance vi) {
    if (vi.getSpec() == null || vi.getSpec().vrrp() == null) {
      return java.util.Optional.empty();
    }
    VirtualServerSpec.SecretKeyRef ref = vi.getSpec().vrrp().authPassSecretRef();
    if (ref == null || ref.name() == null || ref.key() == null) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        new SecretKey(ObjectKey.of(vi).namespace(), ref.name(), ref.key()));
  }

  static VirtualServerSpec.SecretKeyRef secretRef(VirtualServer vs) {
    if (vs.getSpec() == null || vs.getSpec().vrrp() == null) {
      return null;
    }
    return vs.getSpec().vrrp().authPassSecretRef();
  }
}
