package io.lvsoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Map;

/**
 * What the namespaces a TenantPolicy names may use. Every list says what is allowed; an absent or
 * empty one allows nothing of its kind (write 0.0.0.0/0 and ::/0 for every address). A namespace
 * several policies name must satisfy each of them (the intersection: a policy only narrows).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TenantPolicySpec(
    @Required
        @Size(min = 1, max = 1000)
        @JsonPropertyDescription(
            "The namespaces this policy governs. Their VirtualServers, VrrpInstances and"
                + " RealServers may use only what every policy naming the namespace allows.")
        List<@Pattern(Patterns.NAMESPACE_NAME) String> namespaces,
    @Size(max = 256)
        @JsonPropertyDescription(
            "Address ranges (CIDR, e.g. 10.0.10.0/24) the VIPs must lie in: spec.vip and"
                + " spec.additionalAddresses of VirtualServers, spec.addresses and"
                + " spec.excludedAddresses of VrrpInstances. Loopback, link-local, multicast and"
                + " the nodes' own addresses are never VIPs. Absent or empty: no VIP.")
        List<@Pattern(Patterns.CIDR) String> vipRanges,
    @Size(max = 256)
        @JsonPropertyDescription(
            "Address ranges (CIDR) the real servers must lie in: a VirtualServer's"
                + " spec.realServers and spec.sorryServer, a RealServer's spec.address. Loopback,"
                + " link-local and the nodes' own addresses are refused even inside a range unless"
                + " spec.allow names them. Absent or empty: no real server.")
        List<@Pattern(Patterns.CIDR) String> realServerRanges,
    @JsonPropertyDescription(
            "The nodes that may direct (run VRRP and IPVS for) the namespaces' VirtualServers and"
                + " VrrpInstances: a node named in names, or one carrying every label of"
                + " nodeSelector. A director named in spec.directors.nodes that is not allowed is"
                + " a violation; a node spec.directors.nodeSelector selects that is not allowed is"
                + " left out. Absent: no node.")
        AllowedNodes directorNodes,
    @JsonPropertyDescription(
            "The nodes the namespaces' real servers may run on: spec.realServers[].node of a"
                + " VirtualServer and spec.node of a RealServer, where the operator has the node's"
                + " agent put the VIP on lo and set arp_ignore/arp_announce for DR. A node named in"
                + " names, or one carrying every label of nodeSelector. Absent: no node (real"
                + " servers that name no node are not affected).")
        AllowedNodes realServerNodes,
    @Size(max = 3)
        @JsonPropertyDescription(
            "Special addresses allowed as real servers (inside realServerRanges): Loopback"
                + " (127.0.0.0/8, ::1), LinkLocal (169.254.0.0/16, fe80::/10), NodeAddresses (the"
                + " addresses of the cluster's Nodes, e.g. for real servers on the host network)."
                + " Refused unless named here.")
        List<SpecialAddress> allow) {

  public TenantPolicySpec {
    namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
    vipRanges = vipRanges == null ? List.of() : List.copyOf(vipRanges);
    realServerRanges = realServerRanges == null ? List.of() : List.copyOf(realServerRanges);
    allow = allow == null ? List.of() : List.copyOf(allow);
  }

  /** Nodes allowed for a purpose: by name, or by their labels. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record AllowedNodes(
      @Size(max = 1000) @JsonPropertyDescription("Nodes allowed by name.")
          List<@Pattern(Patterns.OBJECT_NAME) String> names,
      @JsonPropertyDescription(
              "Nodes allowed by their labels: a node carrying every one of these labels.")
          Map<String, String> nodeSelector) {

    public AllowedNodes {
      names = names == null ? List.of() : List.copyOf(names);
      nodeSelector = nodeSelector == null ? Map.of() : Map.copyOf(nodeSelector);
    }
  }

  /** Addresses refused as real servers unless a policy allows them. */
  public enum SpecialAddress {
    Loopback,
    LinkLocal,
    NodeAddresses
  }
}
