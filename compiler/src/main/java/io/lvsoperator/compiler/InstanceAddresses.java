package io.lvsoperator.compiler;

import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The addresses of one instance in advertisement order: the VrrpInstance's own {@code addresses} as
 * listed, then the members' VIPs not listed there (nor in {@code excludedAddresses}), by numeric
 * address. The first 255 are advertised; as keepalived 2.2.7 does ("excess moved to eVIPs"), the
 * rest are held without being advertised, after the instance's own {@code excludedAddresses}.
 */
final class InstanceAddresses {
  /** What the count field of a VRRP advertisement can hold. */
  static final int MAX_ADVERTISED = 255;

  private InstanceAddresses() {}

  static void assign(InstanceGroup g) {
    var vrrp = g.vrrp();
    List<LvsNodeSpec.Vip> ordered = new ArrayList<>();
    List<LvsNodeSpec.Vip> excluded = new ArrayList<>();
    Set<String> listed = new HashSet<>();
    if (g.instance != null) {
      for (var a : g.instance.valid.addresses()) {
        ordered.add(vip(a));
        listed.add(a.address());
      }
      for (var a : g.instance.valid.excludedAddresses()) {
        excluded.add(vip(a));
        listed.add(a.address());
      }
    }
    List<LvsNodeSpec.Vip> members = new ArrayList<>();
    for (VirtualServerEntry e : g.members) { // oldest first: the oldest member is the VIP's source
      for (var a : e.valid.heldAddresses()) {
        if (listed.add(a.address())) {
          members.add(
              new LvsNodeSpec.Vip(
                  a.address(), vrrp.vipPrefixLength(), vrrp.vipLabel(), null, e.key.toString()));
        }
      }
    }
    members.sort(Addresses.NUMERIC_VIPS);
    ordered.addAll(members);
    int advertised = Math.min(ordered.size(), MAX_ADVERTISED);
    excluded.addAll(ordered.subList(advertised, ordered.size()));
    g.advertised = List.copyOf(ordered.subList(0, advertised));
    g.excluded = List.copyOf(excluded);
  }

  private static LvsNodeSpec.Vip vip(ValidVrrpInstance.HeldAddress a) {
    return new LvsNodeSpec.Vip(a.address(), a.prefixLength(), a.label(), a.interfaceName(), null);
  }
}
