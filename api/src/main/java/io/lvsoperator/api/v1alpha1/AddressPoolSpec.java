package io.lvsoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/**
 * What an AddressPool offers: address ranges for LoadBalancer Services, the directors and VRRP
 * settings that hold them, and who may use them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.vrrp) || !has(self.vrrp.virtualRouterId)",
    message =
        "spec.vrrp.virtualRouterId must be absent: each namespace using the pool gets a"
            + " VrrpInstance of its own, and the operator allocates their VRIDs")
public record AddressPoolSpec(
    @Required
        @Size(min = 1, max = 64)
        @JsonPropertyDescription(
            "Addresses to hand out, each a single IPv4 address (10.0.0.10), a range"
                + " (10.0.0.10-10.0.0.20, both ends included) or a CIDR block (10.0.0.0/28, every"
                + " address of it). Pools must not overlap, nor hold the VIP of a VirtualServer"
                + " written by hand (those addresses are skipped).")
        List<@Pattern(Patterns.IPV4_POOL_RANGE) String> addresses,
    @Required
        @JsonPropertyDescription(
            "Which nodes direct the pool's addresses (run VRRP and IPVS for them), and their"
                + " priority order; the same fields as a VirtualServer's spec.directors. Director"
                + " nodes never receive a Service's traffic as real servers.")
        VirtualServerSpec.Directors directors,
    @JsonPropertyDescription(
            "VRRP settings of the instances that carry the pool's addresses (keepalived:"
                + " vrrp_instance), the same fields as a VirtualServer's spec.vrrp except"
                + " virtualRouterId, which is allocated for each namespace's instance.")
        VirtualServerSpec.Vrrp vrrp,
    @Size(max = 1000)
        @JsonPropertyDescription(
            "Namespaces whose Services may get an address from this pool. Absent or empty: every"
                + " namespace.")
        List<@Pattern(Patterns.NAMESPACE_NAME) String> namespaces,
    @JsonPropertyDescription(
            "Whether a Service that names no pool (annotation lvsoperator.io/address-pool) and"
                + " asks for no address may get one from this pool. Default true; false keeps the"
                + " pool for Services that ask for it.")
        Boolean autoAssign,
    @JsonPropertyDescription(
            "IPVS scheduler of the Services' VirtualServers (keepalived: lb_algo). Default wlc.")
        Scheduler scheduler,
    @JsonPropertyDescription(
            "Labels selecting the nodes that may receive the pool's traffic (the real servers)."
                + " Absent: every node. Directors, NotReady nodes and nodes labelled"
                + " node.kubernetes.io/exclude-from-external-load-balancers never do.")
        Map<String, String> nodeSelector,
    @Min(1)
        @Max(65535)
        @JsonPropertyDescription(
            "Port of kube-proxy's health server on each node, checked (HTTP GET /healthz) for"
                + " Services with externalTrafficPolicy Cluster. Default 10256, kube-proxy's"
                + " --healthz-bind-address port. Services with externalTrafficPolicy Local are"
                + " checked on their own healthCheckNodePort instead.")
        Integer kubeProxyHealthzPort) {}
