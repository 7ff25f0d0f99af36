package io.lvsoperator.operator;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Secret;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import io.lvsoperator.compiler.CompilerInput;
import io.lvsoperator.compiler.NodeInfo;
import io.lvsoperator.compiler.ObjectKey;
import io.lvsoperator.compiler.SecretKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds the compiler's input from an observation. Pure. */
final class CompilerInputs {
  private CompilerInputs() {}

  static CompilerInput of(List<VirtualServer> virtualServers, Observation observation) {
    Map<ObjectKey, VirtualServer> lastGood = new HashMap<>();
    for (VirtualServer vs : virtualServers) {
      LastGoodSpecs.decode(vs).ifPresent(last -> lastGood.put(ObjectKey.of(vs), last));
    }
    return new CompilerInput(
        virtualServers,
        observation.realServers(),
        observation.nodes().stream().map(CompilerInputs::nodeInfo).toList(),
        referencedSecrets(virtualServers, observation.secrets()),
        lastGood);
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

  /** Only the Secret keys some VirtualServer names reach the compiler (and so the nodes). */
  static Map<SecretKey, String> referencedSecrets(
      List<VirtualServer> virtualServers, List<Secret> secrets) {
    Map<ObjectKey, Secret> byKey = new HashMap<>();
    secrets.forEach(s -> byKey.put(ObjectKey.of(s), s));
    Map<SecretKey, String> out = new HashMap<>();
    for (VirtualServer vs : virtualServers) {
      var ref = secretRef(vs);
      if (ref == null) {
        continue;
      }
      ObjectKey vsKey = ObjectKey.of(vs);
      Secret secret = byKey.get(new ObjectKey(vsKey.namespace(), ref.name()));
      if (secret == null) {
        continue;
      }
      String value = null;
      if (secret.getStringData() != null && secret.getStringData().containsKey(ref.key())) {
        value = secret.getStringData().get(ref.key());
      } else if (secret.getData() != null && secret.getData().containsKey(ref.key())) {
        value =
            new String(
                Base64.getDecoder().decode(secret.getData().get(ref.key())),
                StandardCharsets.UTF_8);
      }
      if (value != null) {
        out.put(new SecretKey(vsKey.namespace(), ref.name(), ref.key()), value);
      }
    }
    return out;
  }

  static io.lvsoperator.api.v1alpha1.VirtualServerSpec.SecretKeyRef secretRef(VirtualServer vs) {
    if (vs.getSpec() == null || vs.getSpec().vrrp() == null) {
      return null;
    }
    return vs.getSpec().vrrp().authPassSecretRef();
  }
}
