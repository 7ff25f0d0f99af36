package io.lvsoperator.compiler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.api.v1alpha1.VirtualServerSpec.DirectorNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One VRRP instance and the VirtualServers whose VIPs it carries: a VrrpInstance and its members,
 * or (implicit) the VirtualServers sharing one VIP, whose first (oldest) member leads.
 */
final class InstanceGroup {
  /** The VrrpInstance, or null for the implicit instance of one VIP. */
  final VrrpInstanceEntry instance;

  final List<VirtualServerEntry> members = new ArrayList<>();
  Integer vrid;
  String instanceName;
  List<DirectorAssignment> directors = List.of();
  List<String> missingDirectors = List.of();

  /** Addresses the master advertises, in advertisement order. */
  List<LvsNodeSpec.Vip> advertised = List.of();

  /** Addresses the master holds without advertising them. */
  List<LvsNodeSpec.Vip> excluded = List.of();

  private InstanceGroup(VrrpInstanceEntry instance) {
    this.instance = instance;
  }

  static InstanceGroup implicit() {
    return new InstanceGroup(null);
  }

  static InstanceGroup of(VrrpInstanceEntry instance) {
    InstanceGroup g = new InstanceGroup(instance);
    instance.group = g;
    return g;
  }

  /** The namespaces whose objects make up this instance (their TenantPolicies pick directors). */
  java.util.Set<String> namespaces() {
    java.util.Set<String> out = new java.util.TreeSet<>();
    if (instance != null) {
      out.add(instance.key.namespace());
    }
    members.forEach(m -> out.add(m.key.namespace()));
    return out;
  }

  VirtualServerEntry leader() {
    return members.getFirst();
  }

  ValidVirtualServer.VrrpSettings vrrp() {
    return instance != null ? instance.valid.vrrp() : leader().valid.vrrp();
  }

  List<DirectorNode> directorNodes() {
    return instance != null ? instance.valid.directorNodes() : leader().valid.directorNodes();
  }

  Map<String, String> directorSelector() {
    return instance != null ? instance.valid.directorSelector() : leader().valid.directorSelector();
  }

  /** The object whose age orders this instance among the others. */
  HasMetadata ageObject() {
    return instance != null ? instance.current : leader().current;
  }

  /** The object clashes with this instance name (its key). */
  ObjectKey owner() {
    return instance != null ? instance.key : leader().key;
  }

  /** How messages name the owner. */
  String describeOwner() {
    return instance != null ? instance.describe() : leader().key.toString();
  }

  /** What the preferred VRID is hashed from when none was used before. */
  String vridSeed() {
    return instance != null ? instance.key.toString() : leader().valid.vip();
  }

  /** The VRID in use before, from the VrrpInstance's status or any member's. */
  Integer previousVrid() {
    if (instance != null) {
      var status = instance.current.getStatus();
      return status == null ? null : status.virtualRouterId();
    }
    for (VirtualServerEntry e : members) {
      var status = e.current.getStatus();
      if (status != null && status.virtualRouterId() != null) {
        return status.virtualRouterId();
      }
    }
    return null;
  }

  /** A clash that keeps the whole instance from running: its VrrpInstance and every member. */
  void conflict(Conflict c) {
    if (instance != null) {
      instance.conflicts.add(c);
    }
    members.forEach(e -> e.conflicts.add(c));
  }
}
