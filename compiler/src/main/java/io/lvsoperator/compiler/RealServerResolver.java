package io.lvsoperator.compiler;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.lvsoperator.api.v1alpha1.RealServer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * RealServer objects: checked on their own, then resolved for each VirtualServer they serve. An
 * invalid one with a last good version takes part as that version (its errors are still reported).
 */
final class RealServerResolver {
  private final CompilerInput input;
  private final TenantPolicyCheck tenancy;
  private final Map<ObjectKey, List<FieldError>> errors = new HashMap<>();
  private final Map<ObjectKey, List<FieldError>> policyViolations = new HashMap<>();
  private final Map<ObjectKey, List<ObjectKey>> users = new HashMap<>();

  /** Invalid RealServers whose last good version runs in their place. */
  private final Map<ObjectKey, RealServer> standIns = new HashMap<>();

  /** Built on first use, after {@link #validateObjects}. */
  private Map<String, Namespace> namespaces;

  RealServerResolver(CompilerInput input, TenantPolicyCheck tenancy) {
    this.input = input;
    this.tenancy = tenancy;
  }

  /**
   * The checks each RealServer object passes or fails on its own, the TenantPolicies of its
   * namespace included: a refused one serves nothing (its last good version does, if that
   * complies).
   */
  void validateObjects() {
    Set<ObjectKey> virtualServers = new HashSet<>();
    input.virtualServers().forEach(vs -> virtualServers.add(ObjectKey.of(vs)));
    for (RealServer rs : input.realServers()) {
      ObjectKey k = ObjectKey.of(rs);
      List<FieldError> found = objectErrors(rs, virtualServers);
      if (found.isEmpty()) {
        found = tenancy.realServer(rs);
        policyViolations.put(k, found);
      }
      errors.put(k, new ArrayList<>(found));
      RealServer last = input.lastGoodRealServers().get(k);
      if (!found.isEmpty()
          && last != null
          && objectErrors(last, virtualServers).isEmpty()
          && tenancy.realServer(last).isEmpty()) {
        standIns.put(k, last);
      }
    }
  }

  /** The checks a RealServer object passes or fails without VirtualServer context. */
  private static List<FieldError> objectErrors(RealServer rs, Set<ObjectKey> virtualServers) {
    ObjectKey k = ObjectKey.of(rs);
    FieldErrors found = new FieldErrors();
    var spec = rs.getSpec();
    if (spec == null) {
      found.add("spec", null, "is required");
      return found.list();
    }
    // The virtual port and forwarding are checked per VirtualServer.
    RealServerChecks.resolve(
        "spec", RealServerChecks.Candidate.of(spec), RealServerChecks.Target.NONE, "", found);
    if (spec.virtualServer() != null
        && !virtualServers.contains(new ObjectKey(k.namespace(), spec.virtualServer()))) {
      found.add(
          "spec.virtualServer",
          spec.virtualServer(),
          "names no VirtualServer in namespace " + k.namespace());
    }
    return found.list();
  }

  /**
   * The real servers of a valid VirtualServer: inline first, then the RealServer objects that name
   * or select it, by name; the first of each address and port wins.
   */
  List<ResolvedRealServer> resolve(VirtualServerEntry e) {
    Map<String, ResolvedRealServer> byEndpoint = new LinkedHashMap<>();
    for (ResolvedRealServer rs : e.valid.inlineRealServers()) {
      byEndpoint.putIfAbsent(rs.address() + ":" + rs.port(), rs);
    }
    for (RealServer rs : objectsServing(e)) {
      ResolvedRealServer resolved = resolveObject(rs, e);
      if (resolved != null) {
        byEndpoint.putIfAbsent(resolved.address() + ":" + resolved.port(), resolved);
      }
    }
    return List.copyOf(byEndpoint.values());
  }

  /** The RealServer objects (or their stand-ins) that name or select {@code e}, by name. */
  private List<RealServer> objectsServing(VirtualServerEntry e) {
    Namespace ns = byNamespace().get(e.key.namespace());
    if (ns == null) {
      return List.of();
    }
    List<RealServer> named = ns.byVirtualServer.getOrDefault(e.key.name(), List.of());
    LabelSelector selector = e.valid.realServerSelector();
    if (selector == null) {
      return named;
    }
    Map<ObjectKey, RealServer> serving = new TreeMap<>();
    named.forEach(rs -> serving.put(ObjectKey.of(rs), rs));
    for (RealServer rs : ns.all) {
      if (LabelSelectors.matches(selector, rs.getMetadata().getLabels())) {
        serving.put(ObjectKey.of(rs), rs);
      }
    }
    return List.copyOf(serving.values());
  }

  /**
   * The RealServers of one namespace as they take part (stand-ins for their invalid versions), by
   * name, and those naming each VirtualServer: one pass over them instead of one per VirtualServer.
   */
  private static final class Namespace {
    final List<RealServer> all = new ArrayList<>();
    final Map<String, List<RealServer>> byVirtualServer = new HashMap<>();
  }

  private Map<String, Namespace> byNamespace() {
    if (namespaces == null) {
      namespaces = new HashMap<>();
      SortedMap<ObjectKey, RealServer> effective = new TreeMap<>();
      for (RealServer rs : input.realServers()) {
        ObjectKey k = ObjectKey.of(rs);
        RealServer taking = standIns.getOrDefault(k, rs);
        if (taking.getSpec() != null) {
          effective.putIfAbsent(k, taking); // the same object twice: the first copy counts
        }
      }
      for (var e : effective.entrySet()) {
        RealServer rs = e.getValue();
        Namespace ns = namespaces.computeIfAbsent(e.getKey().namespace(), k -> new Namespace());
        ns.all.add(rs);
        if (rs.getSpec().virtualServer() != null) {
          ns.byVirtualServer
              .computeIfAbsent(rs.getSpec().virtualServer(), k -> new ArrayList<>())
              .add(rs);
        }
      }
    }
    return namespaces;
  }

  /**
   * One RealServer object for one VirtualServer; null when it is invalid on its own, or invalid for
   * this VirtualServer without a last good version that fits (those errors are recorded on the
   * RealServer, naming the VirtualServer).
   */
  private ResolvedRealServer resolveObject(RealServer rs, VirtualServerEntry e) {
    ObjectKey rk = ObjectKey.of(rs);
    if (!standIns.containsKey(rk) && !errors.getOrDefault(rk, List.of()).isEmpty()) {
      return null;
    }
    FieldErrors found = new FieldErrors();
    ResolvedRealServer resolved = resolveFor(rs, e.valid, found);
    if (found.isEmpty()) {
      return resolved;
    }
    for (FieldError fe : found.list()) {
      errors
          .computeIfAbsent(rk, k -> new ArrayList<>())
          .add(
              new FieldError(
                  fe.path(), fe.value(), fe.message() + " (VirtualServer " + e.key + ")"));
    }
    RealServer last = input.lastGoodRealServers().get(rk);
    if (last == null || last == rs || !tenancy.realServer(last).isEmpty()) {
      return null;
    }
    FieldErrors lastErrors = new FieldErrors();
    ResolvedRealServer standIn = resolveFor(last, e.valid, lastErrors);
    return lastErrors.isEmpty() ? standIn : null;
  }

  private static ResolvedRealServer resolveFor(
      RealServer rs, ValidVirtualServer v, FieldErrors errors) {
    return RealServerChecks.resolve(
        "spec",
        RealServerChecks.Candidate.of(rs.getSpec()),
        new RealServerChecks.Target(v.port(), v.forwarding()),
        "RealServer " + ObjectKey.of(rs),
        errors);
  }

  /** Notes, for each RealServer object, the programmed VirtualServers it serves. */
  void recordUsers(List<VirtualServerEntry> entries) {
    Map<String, ObjectKey> bySource = new HashMap<>();
    for (RealServer rs : input.realServers()) {
      bySource.put("RealServer " + ObjectKey.of(rs), ObjectKey.of(rs));
    }
    for (VirtualServerEntry e : entries) {
      if (!e.programmed()) {
        continue;
      }
      for (ResolvedRealServer rs : e.realServers) {
        ObjectKey object = bySource.get(rs.source());
        if (object != null) {
          users.computeIfAbsent(object, k -> new ArrayList<>()).add(e.key);
        }
      }
    }
  }

  /** A verdict per RealServer object: its errors and the VirtualServers it serves. */
  SortedMap<ObjectKey, RealServerResult> results() {
    SortedMap<ObjectKey, RealServerResult> out = new TreeMap<>();
    for (RealServer rs : input.realServers()) {
      ObjectKey k = ObjectKey.of(rs);
      List<ObjectKey> served = new ArrayList<>(users.getOrDefault(k, List.of()));
      served.sort(Comparator.naturalOrder());
      out.put(
          k,
          new RealServerResult(
              k,
              errors.getOrDefault(k, List.of()),
              served,
              policyViolations.getOrDefault(k, List.of())));
    }
    return out;
  }
}
