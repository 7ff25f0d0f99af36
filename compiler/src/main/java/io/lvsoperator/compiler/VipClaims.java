package io.lvsoperator.compiler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Settles which VRRP instance each address belongs to: a VrrpInstance's own addresses, the VIPs of
 * its members, and the VIP of each VirtualServer without one (an instance of that VIP alone).
 * Objects claim in age order; one whose address an older object already put in another instance
 * loses (a conflict naming both objects and the field) and claims nothing. A VirtualServer older
 * than its VrrpInstance claims right after the instance, and not at all if the instance lost.
 */
final class VipClaims {
  /**
   * Who put an address where: the instance it is in ("VrrpInstance ns/name", or "VIP a.b.c.d" for a
   * VirtualServer's own), and the object ("VirtualServer ns/name") and field it came from.
   */
  private record Holder(String instance, ObjectKey object, String describe, String path) {

    String explain() {
      String in = instance.equals(describe) || instance.startsWith("VIP ") ? "" : " in " + instance;
      return describe + " (" + path + ")" + in;
    }
  }

  /** An address an object brings, and the field it is written in. */
  record Claim(String path, String address) {}

  private final Map<String, Holder> holders = new HashMap<>();
  private final Map<ObjectKey, VrrpInstanceEntry> instances = new HashMap<>();
  private final Set<ObjectKey> settled = new HashSet<>();
  private final Map<ObjectKey, List<VirtualServerEntry>> waiting = new HashMap<>();

  static void settle(List<VrrpInstanceEntry> instanceEntries, List<VirtualServerEntry> servers) {
    new VipClaims().run(instanceEntries, servers);
  }

  private void run(List<VrrpInstanceEntry> instanceEntries, List<VirtualServerEntry> servers) {
    List<Object> byAge = new ArrayList<>();
    for (VrrpInstanceEntry i : instanceEntries) {
      if (i.runs()) {
        instances.put(i.key, i);
        byAge.add(i);
      }
    }
    for (VirtualServerEntry e : servers) {
      if (e.runs()) {
        byAge.add(e);
      }
    }
    byAge.sort((a, b) -> Age.OLDEST_FIRST.compare(metadataOf(a), metadataOf(b)));
    for (Object o : byAge) {
      if (o instanceof VrrpInstanceEntry i) {
        claimOwn(i);
      } else {
        place((VirtualServerEntry) o);
      }
    }
  }

  private static HasMetadata metadataOf(Object o) {
    return o instanceof VrrpInstanceEntry i ? i.current : ((VirtualServerEntry) o).current;
  }

  private void claimOwn(VrrpInstanceEntry i) {
    List<Claim> claims = new ArrayList<>();
    i.valid.addresses().forEach(a -> claims.add(new Claim(a.path(), a.address())));
    i.valid.excludedAddresses().forEach(a -> claims.add(new Claim(a.path(), a.address())));
    Conflict lost = claim(claims, i.describe(), i.key, i.describe());
    if (lost != null) {
      i.conflicts.add(lost);
    }
    settled.add(i.key);
    for (VirtualServerEntry member : waiting.getOrDefault(i.key, List.of())) {
      join(member, i);
    }
  }

  private void place(VirtualServerEntry e) {
    ObjectKey ref = e.valid.vrrpInstance();
    if (ref == null) {
      Conflict lost = claim(claims(e), "VIP " + e.valid.vip(), e.key, "VirtualServer " + e.key);
      if (lost != null) {
        e.conflicts.add(lost);
      }
    } else if (settled.contains(ref)) {
      join(e, instances.get(ref));
    } else {
      waiting.computeIfAbsent(ref, k -> new ArrayList<>()).add(e);
    }
  }

  private void join(VirtualServerEntry e, VrrpInstanceEntry i) {
    if (!i.runs()) {
      Conflict why = i.conflicts.getFirst();
      e.conflicts.add(
          new Conflict(
              why.kind(),
              i.key,
              "spec.vrrpInstance: " + i.describe() + " does not run: " + why.message()));
      return;
    }
    Conflict lost = claim(claims(e), i.describe(), e.key, "VirtualServer " + e.key);
    if (lost != null) {
      e.conflicts.add(lost);
    }
  }

  private static List<Claim> claims(VirtualServerEntry e) {
    return e.valid.heldAddresses().stream().map(a -> new Claim(a.path(), a.address())).toList();
  }

  /**
   * Puts every address of {@code claims} in {@code instance}, or none: the conflict with the first
   * address an older object put in another instance.
   */
  private Conflict claim(List<Claim> claims, String instance, ObjectKey object, String describe) {
    for (Claim c : claims) {
      Holder h = holders.get(c.address());
      if (h != null && !h.instance().equals(instance)) {
        return new Conflict(
            Conflict.Kind.VRRP_SETTINGS,
            h.object(),
            c.path()
                + ": "
                + c.address()
                + " is already held by the older "
                + h.explain()
                + "; an address belongs to one VRRP instance");
      }
    }
    for (Claim c : claims) {
      holders.putIfAbsent(c.address(), new Holder(instance, object, describe, c.path()));
    }
    return null;
  }
}
