package io.lvsoperator.api.manifest;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.lvsoperator.api.v1alpha1.Patterns;
import java.net.InetAddress;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks the API server makes on the core objects standalone mode reads, which Jackson does
 * not: a Secret's {@code data} is base64, a Node address has an address (an IP literal for the IP
 * types; never looked up in DNS).
 */
final class KubernetesObjects {
  private static final Set<String> IP_TYPES = Set.of("InternalIP", "ExternalIP");
  private static final Pattern IP_ADDRESS = Pattern.compile(Patterns.IP_ADDRESS);

  private KubernetesObjects() {}

  /** The first problem of this Secret, or null. Values are never shown: they are secret. */
  static String checkSecret(Secret s) {
    String unknown = unknownField(s.getAdditionalProperties(), s.getMetadata());
    if (unknown != null) {
      return unknown;
    }
    Map<String, String> data = s.getData();
    if (data == null) {
      return null;
    }
    for (var e : data.entrySet()) {
      try {
        // The API server's encoding: standard base64; line breaks in YAML block text are allowed.
        Base64.getDecoder().decode(e.getValue().replace("\n", "").replace("\r", ""));
      } catch (IllegalArgumentException bad) {
        return ManifestProblem.Field.of(
                "data." + e.getKey(),
                "(" + e.getValue().length() + " characters, not shown)",
                "is not base64; write the value under stringData to give it as text")
            .toString();
      }
    }
    return null;
  }

  /** The first problem of this Node's addresses, or null. */
  static String checkNode(Node n) {
    String unknown = unknownField(n.getAdditionalProperties(), n.getMetadata());
    if (unknown != null) {
      return unknown;
    }
    if (n.getStatus() == null || n.getStatus().getAddresses() == null) {
      return null;
    }
    List<NodeAddress> addresses = n.getStatus().getAddresses();
    for (int i = 0; i < addresses.size(); i++) {
      NodeAddress a = addresses.get(i);
      String path = "status.addresses[" + i + "]";
      if (a.getAddress() == null || a.getAddress().isEmpty()) {
        return ManifestProblem.Field.of(path + ".address", null, "is required").toString();
      }
      if (a.getType() == null || a.getType().isEmpty()) {
        return ManifestProblem.Field.of(path + ".type", null, "is required (InternalIP, ...)")
            .toString();
      }
      if (IP_TYPES.contains(a.getType()) && !isIpLiteral(a.getAddress())) {
        return ManifestProblem.Field.of(
                path + ".address",
                a.getAddress(),
                "is not an IP address (type " + a.getType() + ")")
            .toString();
      }
    }
    return null;
  }

  /**
   * Fabric8's core types keep unknown fields aside instead of refusing them: a misspelt {@code
   * stringdata} would be dropped without a word. The first one found, as a problem.
   */
  private static String unknownField(Map<String, Object> top, ObjectMeta metadata) {
    if (top != null && !top.isEmpty()) {
      return ManifestProblem.Field.of(top.keySet().iterator().next(), null, "unknown field")
          .toString();
    }
    if (metadata != null
        && metadata.getAdditionalProperties() != null
        && !metadata.getAdditionalProperties().isEmpty()) {
      return ManifestProblem.Field.of(
              "metadata." + metadata.getAdditionalProperties().keySet().iterator().next(),
              null,
              "unknown field")
          .toString();
    }
    return null;
  }

  /** The schema's pattern (dotted quad, not "10.1"), then the exact literal parser; never DNS. */
  private static boolean isIpLiteral(String text) {
    if (!IP_ADDRESS.matcher(text).matches()) {
      return false;
    }
    try {
      InetAddress.ofLiteral(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
