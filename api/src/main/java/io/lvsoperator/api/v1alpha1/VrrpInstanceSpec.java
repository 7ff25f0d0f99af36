package io.lvsoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * What a VrrpInstance asks for: VRRP settings, directors, and the addresses it holds besides the
 * VIPs of the VirtualServers that join it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VrrpInstanceSpec(
    @JsonPropertyDescription(
            "VRRP settings (keepalived: the vrrp_instance block), the same fields as a"
                + " VirtualServer's spec.vrrp. vipPrefixLength and vipLabel are the defaults of"
                + " the addresses below and of the members' VIPs.")
        VirtualServerSpec.Vrrp vrrp,
    @Required
        @JsonPropertyDescription(
            "Which nodes run this instance (VRRP, and IPVS for its members), and their priority"
                + " order (keepalived: state and priority on each director).")
        VirtualServerSpec.Directors directors,
    @Size(max = 10000)
        @JsonPropertyDescription(
            "Addresses the instance holds, advertised in this order (keepalived:"
                + " virtual_ipaddress). The members' VIPs not listed here follow, by numeric"
                + " address. At most 255 addresses are advertised (as keepalived 2.2.7: the"
                + " excess is held like excludedAddresses).")
        List<Address> addresses,
    @Size(max = 10000)
        @JsonPropertyDescription(
            "Addresses the master holds but never advertises (keepalived:"
                + " virtual_ipaddress_excluded), member VIPs included.")
        List<Address> excludedAddresses) {

  /** One address of the instance (keepalived: a line of virtual_ipaddress). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Address(
      @Required
          @Pattern(Patterns.IP_ADDRESS)
          @JsonPropertyDescription("The address (keepalived: the address of the line).")
          String address,
      @Min(0)
          @Max(32)
          @JsonPropertyDescription(
              "Prefix length on the interface (keepalived: /N). Default: the instance's"
                  + " vrrp.vipPrefixLength, 32.")
          Integer prefixLength,
      @Pattern(Patterns.INTERFACE_LABEL)
          @JsonPropertyDescription(
              "Address label, the interface name optionally followed by ':' and a suffix"
                  + " (keepalived: label). Default: the instance's vrrp.vipLabel when the address"
                  + " is on the instance's interface.")
          String label,
      @JsonProperty("interface")
          @Pattern(Patterns.INTERFACE_NAME)
          @JsonPropertyDescription(
              "Interface the address goes on (keepalived: dev). Default: the instance's"
                  + " vrrp.interface.")
          String interfaceName) {}
}
