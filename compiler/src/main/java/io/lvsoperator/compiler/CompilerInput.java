package io.lvsoperator.compiler;

import io.lvsoperator.api.v1alpha1.RealServer;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import io.lvsoperator.api.v1alpha1.VrrpInstance;
import java.util.List;
import java.util.Map;

/**
 * Everything the compiler reads.
 *
 * @param virtualServers all VirtualServers
 * @param realServers all RealServers
 * @param nodes the cluster's nodes (for standalone mode, the nodes the manifests name)
 * @param secrets values of the Secret keys the VirtualServers and VrrpInstances reference
 * @param lastGood the last version of each VirtualServer that compiled; an invalid VirtualServer
 *     keeps running as that version, so bad input never disturbs what already runs
 * @param lastGoodRealServers the same for RealServers: an invalid RealServer (still reported)
 *     stands in as its last good version for the VirtualServers it serves
 * @param vrrpInstances all VrrpInstances
 * @param lastGoodVrrpInstances the same as {@code lastGood}, for VrrpInstances
 * @param notifyCommands whether the nodes may run {@code vrrp.notify} commands: true in standalone
 *     mode; the operator passes false, and the verdicts report the commands as ignored
 * @param tenantPolicies what each namespace may use ({@link TenantPolicies#NONE}: anything); an
 *     object that uses more does not run (its last good version does, if that complies)
 */
public record CompilerInput(
    List<VirtualServer> virtualServers,
    List<RealServer> realServers,
    List<NodeInfo> nodes,
    Map<SecretKey, String> secrets,
    Map<ObjectKey, VirtualServer> lastGood,
    Map<ObjectKey, RealServer> lastGoodRealServers,
    List<VrrpInstance> vrrpInstances,
    Map<ObjectKey, VrrpInstance> lastGoodVrrpInstances,
    boolean notifyCommands,
    TenantPolicies tenantPolicies) {

  public CompilerInput {
    tenantPolicies = tenantPolicies == null ? TenantPolicies.NONE : tenantPolicies;
    virtualServers = virtualServers == null ? List.of() : List.copyOf(virtualServers);
    realServers = realServers == null ? List.of() : List.copyOf(realServers);
    nodes = nodes == null ? List.of() : List.copyOf(nodes);
    secrets = secrets == null ? Map.of() : Map.copyOf(secrets);
    lastGood = lastGood == null ? Map.of() : Map.copyOf(lastGood);
    lastGoodRealServers = lastGoodRealServers == null ? Map.of() : Map.copyOf(lastGoodRealServers);
    vrrpInstances = vrrpInstances == null ? List.of() : List.copyOf(vrrpInstances);
    lastGoodVrrpInstances =
        lastGoodVrrpInstances == null ? Map.of() : Map.copyOf(lastGoodVrrpInstances);
  }

  /** Without VrrpInstances. */
  public CompilerInput(
      List<VirtualServer> virtualServers,
      List<RealServer> realServers,
      List<NodeInfo> nodes,
      Map<SecretKey, String> secrets,
      Map<ObjectKey, VirtualServer> lastGood,
      Map<ObjectKey, RealServer> lastGoodRealServers) {
    this(
        virtualServers,
        realServers,
        nodes,
        secrets,
        lastGood,
        lastGoodRealServers,
        List.of(),
        Map.of(),
        false,
        TenantPolicies.NONE);
  }

  /** Without last good RealServers (the operator keeps only last good VirtualServers). */
  public CompilerInput(
      List<VirtualServer> virtualServers,
      List<RealServer> realServers,
      List<NodeInfo> nodes,
      Map<SecretKey, String> secrets,
      Map<ObjectKey, VirtualServer> lastGood) {
    this(virtualServers, realServers, nodes, secrets, lastGood, Map.of());
  }

  public CompilerInput(
      List<VirtualServer> virtualServers, List<RealServer> realServers, List<NodeInfo> nodes) {
    this(virtualServers, realServers, nodes, Map.of(), Map.of(), Map.of());
  }

  /** The same input with these VrrpInstances (and their last good versions). */
  public CompilerInput withVrrpInstances(
      List<VrrpInstance> vrrpInstances, Map<ObjectKey, VrrpInstance> lastGoodVrrpInstances) {
    return new CompilerInput(
        virtualServers,
        realServers,
        nodes,
        secrets,
        lastGood,
        lastGoodRealServers,
        vrrpInstances,
        lastGoodVrrpInstances,
        notifyCommands,
        tenantPolicies);
  }

  /** The same input, saying whether notify commands may run (standalone mode: true). */
  public CompilerInput withNotifyCommands(boolean allowed) {
    return new CompilerInput(
        virtualServers,
        realServers,
        nodes,
        secrets,
        lastGood,
        lastGoodRealServers,
        vrrpInstances,
        lastGoodVrrpInstances,
        allowed,
        tenantPolicies);
  }

  /** The same input under these TenantPolicies. */
  public CompilerInput withTenantPolicies(TenantPolicies policies) {
    return new CompilerInput(
        virtualServers,
        realServers,
        nodes,
        secrets,
        lastGood,
        lastGoodRealServers,
        vrrpInstances,
        lastGoodVrrpInstances,
        notifyCommands,
        policies);
  }
}
