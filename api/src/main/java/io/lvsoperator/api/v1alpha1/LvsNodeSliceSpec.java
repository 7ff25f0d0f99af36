package io.lvsoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Some VirtualServers' part of one node's desired state, one entry per VirtualServer. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record LvsNodeSliceSpec(
    @JsonPropertyDescription("The node this slice belongs to.") String node,
    @JsonPropertyDescription("One entry per VirtualServer, by namespace and name.")
        List<Entry> entries) {

  public LvsNodeSliceSpec {
    entries = entries == null ? List.of() : List.copyOf(entries);
  }

  /** What one VirtualServer puts on the node. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Entry(
      @JsonPropertyDescription("The VirtualServer, and the generation compiled.") Source source,
      @JsonPropertyDescription("Its addresses in the node's VRRP instances.") List<Vip> vips,
      @JsonPropertyDescription("Its IPVS services (their source is this entry's).")
          List<LvsNodeSpec.IpvsService> ipvsServices,
      @JsonPropertyDescription("Its VIPs the node holds on lo as a DR real server.")
          List<String> realServerVips) {

    public Entry {
      vips = vips == null ? List.of() : List.copyOf(vips);
      ipvsServices = ipvsServices == null ? List.of() : List.copyOf(ipvsServices);
      realServerVips = realServerVips == null ? List.of() : List.copyOf(realServerVips);
    }
  }

  /** A VirtualServer and the generation compiled. */
  public record Source(
      @JsonPropertyDescription("Namespace.") String namespace,
      @JsonPropertyDescription("Name.") String name,
      @JsonPropertyDescription("metadata.generation compiled.") long generation) {}

  /** One address of a VirtualServer in a VRRP instance of the node. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Vip(
      @JsonPropertyDescription("Name of the VRRP instance in the head, '<interface>-<vrid>'.")
          String instance,
      @JsonPropertyDescription("The address.") String address,
      @JsonPropertyDescription("Prefix length on the interface.") int prefixLength,
      @JsonPropertyDescription("Address label, e.g. eth0:1.") String label,
      @JsonProperty("interface") @JsonPropertyDescription("Interface, when not the instance's.")
          String interfaceName,
      @JsonPropertyDescription("Held but not advertised (beyond the instance's 255th address).")
          boolean excluded) {}
}
