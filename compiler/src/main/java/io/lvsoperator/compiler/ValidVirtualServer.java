package io.lvsoperator.compiler;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.lvsoperator.api.v1alpha1.Forwarding;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.api.v1alpha1.OnFailure;
import io.lvsoperator.api.v1alpha1.Protocol;
import io.lvsoperator.api.v1alpha1.Scheduler;
import io.lvsoperator.api.v1alpha1.VirtualServerSpec.DirectorNode;
import java.util.List;
import java.util.Map;

/**
 * A VirtualServer that passed validation, with every default resolved.
 *
 * @param vrrp its own instance's settings; null when it joins a VrrpInstance
 * @param vrrpInstance the VrrpInstance it joins, or null for an instance of its own VIP
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
    ObjectKey vrrpInstance) {

  boolean vipOnly() {
    return port == null;
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
      String syncGroup) {}
}
