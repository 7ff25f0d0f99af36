package io.lvsoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A real server: where a VirtualServer's traffic goes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RealServerSpec(
    @Required
        @Pattern(Patterns.IP_ADDRESS)
        @JsonPropertyDescription("Address of the real server (keepalived: real_server ADDRESS).")
        String address,
    @Min(1)
        @Max(65535)
        @JsonPropertyDescription(
            "Port on the real server (keepalived: real_server ADDRESS PORT). Defaults to the"
                + " VirtualServer's port.")
        Integer port,
    @Min(0) @Max(65535) @JsonPropertyDescription("IPVS weight (keepalived: weight). Default 1.")
        Integer weight,
    @JsonPropertyDescription(
            "Name of the VirtualServer in this namespace that this real server serves. May be"
                + " omitted when a VirtualServer selects it by labels.")
        String virtualServer,
    @JsonPropertyDescription(
            "Cluster node this real server runs on; with DR forwarding that node's agent puts the"
                + " VIP on lo/32 and sets arp_ignore=1, arp_announce=2.")
        String node,
    @JsonPropertyDescription(
            "Drain: weight 0 whatever the checks say; existing connections stay, new ones go"
                + " elsewhere.")
        Boolean drain) {}
