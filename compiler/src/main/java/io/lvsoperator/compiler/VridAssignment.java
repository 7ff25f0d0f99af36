package io.lvsoperator.compiler;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives every instance its VRRP virtual router id, per interface, oldest first: explicit ids are
 * reserved first (the older instance keeps a clash, the newer one does not run); the others get the
 * id they had before, else a hash, else the next free one. Adding an instance never moves another.
 */
final class VridAssignment {
  private VridAssignment() {}

  /** {@code groups} oldest first. */
  static void assign(List<InstanceGroup> groups) {
    VridAllocator allocator = new VridAllocator();
    reserveExplicit(groups, allocator);
    for (InstanceGroup g : groups) {
      if (g.vrrp().explicitVirtualRouterId() == null) {
        allocate(g, allocator);
      }
    }
    for (InstanceGroup g : groups) {
      if (g.vrid != null) {
        g.instanceName = g.vrrp().interfaceName() + "-" + g.vrid;
      }
    }
  }

  private static void reserveExplicit(List<InstanceGroup> groups, VridAllocator allocator) {
    Map<String, InstanceGroup> owners = new HashMap<>();
    for (InstanceGroup g : groups) {
      var vrrp = g.vrrp();
      Integer explicit = vrrp.explicitVirtualRouterId();
      if (explicit == null) {
        continue;
      }
      String slot = vrrp.interfaceName() + "/" + explicit;
      if (allocator.reserve(vrrp.interfaceName(), explicit)) {
        owners.put(slot, g);
        g.vrid = explicit;
        continue;
      }
      InstanceGroup owner = owners.get(slot);
      g.conflict(
          new Conflict(
              Conflict.Kind.VRID,
              owner.owner(),
              "virtualRouterId "
                  + explicit
                  + " on "
                  + vrrp.interfaceName()
                  + " is already used by the older "
                  + owner.describeOwner()));
    }
  }

  private static void allocate(InstanceGroup g, VridAllocator allocator) {
    String iface = g.vrrp().interfaceName();
    g.vrid = allocator.allocate(iface, g.vridSeed(), g.previousVrid());
    if (g.vrid == null) {
      g.conflict(
          new Conflict(Conflict.Kind.VRID, g.owner(), "no free virtualRouterId left on " + iface));
    }
  }
}
