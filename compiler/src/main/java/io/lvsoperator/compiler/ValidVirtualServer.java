package io.lvsoperator.compiler;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.lvsoperator.api.v1alpha1.Forwarding;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.api.v1alpha1.OnFailure;
import io.lvsoperator.api.v1alpha1.Protocol;
import io.lvsoperator.api.v1alpha1.Scheduler;
import io.lvsoperator.api.v1alpha1.VirtualServerSpec.DirectorNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A VirtualServer that passed validation, with every default resolved.
 *
 * @param vrrp its own instance's settings; null when it joins a VrrpInstance
 * @param vrrpInstance the VrrpInstance it joins, or null for an instance of its own VIP
 * @param additional its additionalAddresses, ranges expanded, in the order written
 * @param firewallMark the mark its one IPVS service is keyed by, or null
 * @param sorryServer its sorry server, or null
 * @param quorum keepalived's quorum (1 by default)
 * @param hysteresis keepalived's hysteresis (0 by default)
 */
record ValidVirtualServer(
    ObjectKey key,
    long generation,
    String vip,
    Integer port,
    Protocol protocol,
    Scheduler scheduler,
    Forwarding forwarding,
    int persistenceTimeoutSeconds,
    String persistenceNetmask,
    List<ResolvedRealServer> inlineRealServers,
    LabelSelector realServerSelector,
    LvsNodeSpec.CompiledHealthCheck healthCheck,
    OnFailure onFailure,
    VrrpSettings vrrp,
    List<DirectorNode> directorNodes,
    Map<String, String> directorSelector,
    ObjectKey vrrpInstance,
    List<VipPort> additional,
    Long firewallMark,
    SorryServer sorryServer,
    int quorum,
    int hysteresis) {

  /** An address and port it serves (port null: the address only joins the VRRP instance). */
  record VipPort(String path, String address, Integer port) {}

  /** keepalived's sorry_server; {@code port} null means the port of each service. */
  record SorryServer(String address, Integer port) {}

  /** Only moves addresses: no IPVS service. */
  boolean vipOnly() {
    return firewallMark == null && addressPorts().isEmpty();
  }

  /** The address:port pairs that are IPVS services (none with a firewall mark). */
  List<VipPort> addressPorts() {
    List<VipPort> out = new ArrayList<>();
    if (firewallMark != null) {
      return out;
    }
    if (port != null) {
      out.add(new VipPort("spec.vip", vip, port));
    }
    for (VipPort p : additional) {
      if (p.port() != null) {
        out.add(p);
      }
    }
    return out;
  }

  /** The addresses it puts in its VRRP instance: spec.vip, then the additional ones, once each. */
  List<VipPort> heldAddresses() {
    List<VipPort> out = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    out.add(new VipPort("spec.vip", vip, port));
    seen.add(vip);
    for (VipPort p : additional) {
      if (seen.add(p.address())) {
        out.add(p);
      }
    }
    return out;
  }

  /** VRRP settings, defaults resolved; equal settings mean VirtualServers can share an instance. */
  record VrrpSettings(
      String interfaceName,
      Integer explicitVirtualRouterId,
      int version,
      int advertIntervalMs,
      boolean preempt,
      int preemptDelayMs,
      boolean accept,
      String authPass,
      List<String> unicastPeers,
      boolean unicastPeersFromDirectors,
      int vipPrefixLength,
      String vipLabel,
      List<String> trackInterfaces,
      LvsNodeSpec.Garp garp,
      String syncGroup,
      LvsNodeSpec.Notify notifyCommands,
      LvsNodeSpec.ConnectionSync connectionSync) {}
}
