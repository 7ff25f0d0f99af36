package io.lvsoperator.compiler;

import io.lvsoperator.api.v1alpha1.Forwarding;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.api.v1alpha1.RealServer;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import io.lvsoperator.api.v1alpha1.VirtualServerSpec.DirectorNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compiles VirtualServers, RealServers and nodes into one {@link LvsNodeSpec} per node.
 *
 * <p>Order of work: validate each VirtualServer (falling back to its last good version); resolve
 * its real servers; settle conflicts oldest-first (VIP:port:protocol, shared-VIP settings, VRIDs);
 * place directors and priorities; emit sorted per-node specs. Older objects always win, so a new
 * object can never disturb one that already runs.
 */
public final class Compiler {
  private Compiler() {}

  /** Oldest first; objects without a creation time (standalone manifests) after, by key. */
  private static final Comparator<VirtualServer> AGE =
      Comparator.comparing(
              (VirtualServer vs) -> vs.getMetadata().getCreationTimestamp(),
              Comparator.nullsLast(Comparator.naturalOrder()))
          .thenComparing(ObjectKey::of);

  public static CompileResult compile(CompilerInput input) {
    return new Run(input).compile();
  }

  /** The state of one compilation. */
  private static final class Run {
    private final CompilerInput input;
    private final Map<String, NodeInfo> nodes = new TreeMap<>();
    private final VirtualServerValidator validator;
    private final SortedMap<ObjectKey, RealServerResult> realServerResults = new TreeMap<>();
    private final Map<ObjectKey, List<FieldError>> realServerErrors = new HashMap<>();
    private final Map<ObjectKey, List<ObjectKey>> realServerUsers = new HashMap<>();

    /** Invalid RealServers whose last good version runs in their place. */
    private final Map<ObjectKey, RealServer> standIns = new HashMap<>();

    Run(CompilerInput input) {
      this.input = input;
      for (NodeInfo n : input.nodes()) {
        nodes.put(n.name(), n);
      }
      this.validator = new VirtualServerValidator(input.secrets());
    }

    /** A VirtualServer on its way through: what was asked, and what will run. */
    private static final class Entry {
      final VirtualServer current;
      final ObjectKey key;
      final long generation;
      final List<FieldError> errors = new ArrayList<>();
      final List<Conflict> conflicts = new ArrayList<>();
      ValidVirtualServer valid;
      Long programmedGeneration;
      List<ResolvedRealServer> realServers = List.of();
      Group group;

      Entry(VirtualServer current) {
        this.current = current;
        this.key = ObjectKey.of(current);
        this.generation = VirtualServerValidator.generationOf(current);
      }

      boolean runs() {
        return valid != null && conflicts.isEmpty();
      }
    }

    /** VirtualServers sharing one VIP, hence one VRRP instance. The first member leads. */
    private static final class Group {
      final List<Entry> members = new ArrayList<>();
      Integer vrid;
      String instanceName;
      List<DirectorAssignment> directors = List.of();
      List<String> missingDirectors = List.of();

      Entry leader() {
        return members.getFirst();
      }
    }

    CompileResult compile() {
      List<VirtualServer> ordered =
          input.virtualServers().stream().filter(Objects::nonNull).sorted(AGE).toList();
      List<Entry> entries = new ArrayList<>();
      Set<ObjectKey> seen = new java.util.HashSet<>();
      for (VirtualServer vs : ordered) {
        Entry e = new Entry(vs);
        if (!seen.add(e.key)) {
          continue; // the same object twice (e.g. two manifest files): the older copy counts
        }
        validate(e);
        entries.add(e);
      }
      validateRealServerObjects();
      for (Entry e : entries) {
        if (e.valid != null) {
          e.realServers = resolveRealServers(e);
        }
      }
      settleVipPortConflicts(entries);
      List<Group> groups = groupByVip(entries);
      allocateVrids(groups);
      for (Group g : groups) {
        placeDirectors(g);
      }
      SortedMap<String, LvsNodeSpec> specs = emit(groups);
      recordRealServerUsers(entries);

      SortedMap<ObjectKey, VirtualServerResult> results = new TreeMap<>();
      for (Entry e : entries) {
        boolean runs = e.runs() && e.group != null && e.group.vrid != null;
        results.put(
            e.key,
            new VirtualServerResult(
                e.key,
                e.generation,
                e.errors,
                e.conflicts,
                runs ? e.programmedGeneration : null,
                runs ? e.group.instanceName : null,
                runs ? e.group.vrid : null,
                runs ? e.group.directors : List.of(),
                runs ? e.group.missingDirectors : List.of(),
                runs ? e.realServers : List.of()));
      }
      for (RealServer rs : input.realServers()) {
        ObjectKey k = ObjectKey.of(rs);
        List<ObjectKey> users = new ArrayList<>(realServerUsers.getOrDefault(k, List.of()));
        users.sort(Comparator.naturalOrder());
        realServerResults.put(
            k, new RealServerResult(k, realServerErrors.getOrDefault(k, List.of()), users));
      }
      return new CompileResult(specs, results, realServerResults);
    }

    private void validate(Entry e) {
      var outcome = validator.validate(e.current);
      if (outcome.valid() != null) {
        e.valid = outcome.valid();
        e.programmedGeneration = e.generation;
        return;
      }
      e.errors.addAll(outcome.errors());
      VirtualServer last = input.lastGood().get(e.key);
      if (last != null) {
        var fallback = validator.validate(last);
        if (fallback.valid() != null) {
          e.valid = fallback.valid();
          e.programmedGeneration = VirtualServerValidator.generationOf(last);
        }
      }
    }

    private void validateRealServerObjects() {
      Set<ObjectKey> virtualServers = new java.util.HashSet<>();
      input.virtualServers().forEach(vs -> virtualServers.add(ObjectKey.of(vs)));
      for (RealServer rs : input.realServers()) {
        ObjectKey k = ObjectKey.of(rs);
        List<FieldError> errors = objectErrors(rs, virtualServers);
        realServerErrors.put(k, errors);
        RealServer last = input.lastGoodRealServers().get(k);
        if (!errors.isEmpty() && last != null && objectErrors(last, virtualServers).isEmpty()) {
          standIns.put(k, last);
        }
      }
    }

    /** The checks a RealServer object passes or fails on its own (no VirtualServer context). */
    private static List<FieldError> objectErrors(RealServer rs, Set<ObjectKey> virtualServers) {
      ObjectKey k = ObjectKey.of(rs);
      List<FieldError> errors = new ArrayList<>();
      var spec = rs.getSpec();
      if (spec == null) {
        errors.add(new FieldError("spec", null, "is required"));
        return errors;
      }
      // Context-free checks here; the virtual port and forwarding are checked per VirtualServer.
      VirtualServerValidator.RealServerChecks.resolve(
          "spec",
          spec.address(),
          spec.port(),
          spec.weight(),
          spec.drain(),
          spec.node(),
          1,
          Forwarding.NAT,
          "",
          errors);
      if (spec.virtualServer() != null
          && !virtualServers.contains(new ObjectKey(k.namespace(), spec.virtualServer()))) {
        errors.add(
            new FieldError(
                "spec.virtualServer",
                spec.virtualServer(),
                "names no VirtualServer in namespace " + k.namespace()));
      }
      return errors;
    }

    private List<ResolvedRealServer> resolveRealServers(Entry e) {
      ValidVirtualServer v = e.valid;
      Map<String, ResolvedRealServer> byEndpoint = new LinkedHashMap<>();
      for (ResolvedRealServer rs : v.inlineRealServers()) {
        byEndpoint.putIfAbsent(rs.address() + ":" + rs.port(), rs);
      }
      // An invalid object with a last good version takes part as that version (its errors stay).
      List<RealServer> objects =
          input.realServers().stream()
              .map(rs -> standIns.getOrDefault(ObjectKey.of(rs), rs))
              .filter(rs -> rs.getSpec() != null)
              .filter(rs -> ObjectKey.of(rs).namespace().equals(e.key.namespace()))
              .filter(
                  rs ->
                      e.key.name().equals(rs.getSpec().virtualServer())
                          || LabelSelectors.matches(
                              v.realServerSelector(), rs.getMetadata().getLabels()))
              .sorted(Comparator.comparing(ObjectKey::of))
              .toList();
      for (RealServer rs : objects) {
        ObjectKey rk = ObjectKey.of(rs);
        if (!standIns.containsKey(rk) && !realServerErrors.getOrDefault(rk, List.of()).isEmpty()) {
          continue;
        }
        List<FieldError> errors = new ArrayList<>();
        ResolvedRealServer resolved = resolve(rs, v, errors);
        if (!errors.isEmpty()) {
          // Invalid for this VirtualServer: the last good version serves it if that one fits.
          RealServer last = input.lastGoodRealServers().get(rk);
          List<FieldError> lastErrors = new ArrayList<>();
          ResolvedRealServer standIn =
              last == null || last == rs ? null : resolve(last, v, lastErrors);
          if (!lastErrors.isEmpty()) {
            standIn = null;
          }
          List<FieldError> withContext = new ArrayList<>();
          for (FieldError fe : errors) {
            withContext.add(
                new FieldError(
                    fe.path(), fe.value(), fe.message() + " (VirtualServer " + e.key + ")"));
          }
          realServerErrors.computeIfAbsent(rk, k -> new ArrayList<>()).addAll(withContext);
          if (standIn == null) {
            continue;
          }
          resolved = standIn;
        }
        byEndpoint.putIfAbsent(resolved.address() + ":" + resolved.port(), resolved);
      }
      return List.copyOf(byEndpoint.values());
    }

    private static ResolvedRealServer resolve(
        RealServer rs, ValidVirtualServer v, List<FieldError> errors) {
      var s = rs.getSpec();
      return VirtualServerValidator.RealServerChecks.resolve(
          "spec",
          s.address(),
          s.port(),
          s.weight(),
          s.drain(),
          s.node(),
          v.port(),
          v.forwarding(),
          "RealServer " + ObjectKey.of(rs),
          errors);
    }

    private void recordRealServerUsers(List<Entry> entries) {
      Map<String, RealServer> bySource = new HashMap<>();
      for (RealServer rs : input.realServers()) {
        bySource.put("RealServer " + ObjectKey.of(rs), rs);
      }
      for (Entry e : entries) {
        if (!e.runs() || e.group == null || e.group.vrid == null) {
          continue;
        }
        for (ResolvedRealServer rs : e.realServers) {
          RealServer object = bySource.get(rs.source());
          if (object != null) {
            realServerUsers
                .computeIfAbsent(ObjectKey.of(object), k -> new ArrayList<>())
                .add(e.key);
          }
        }
      }
    }

    private void settleVipPortConflicts(List<Entry> entries) {
      Map<String, Entry> owners = new HashMap<>();
      for (Entry e : entries) {
        if (e.valid == null || e.valid.vipOnly()) {
          continue;
        }
        String k = e.valid.vip() + ":" + e.valid.port() + "/" + e.valid.protocol();
        Entry owner = owners.putIfAbsent(k, e);
        if (owner != null) {
          e.conflicts.add(
              new Conflict(
                  Conflict.Kind.VIP_PORT,
                  owner.key,
                  k + " is already served by the older " + owner.key));
        }
      }
    }

    private List<Group> groupByVip(List<Entry> entries) {
      Map<String, Group> byVip = new LinkedHashMap<>();
      for (Entry e : entries) {
        if (!e.runs()) {
          continue;
        }
        Group g = byVip.get(e.valid.vip());
        if (g == null) {
          g = new Group();
          byVip.put(e.valid.vip(), g);
        } else {
          ValidVirtualServer lead = g.leader().valid;
          if (!lead.vrrp().equals(e.valid.vrrp())
              || !lead.directorNodes().equals(e.valid.directorNodes())
              || !lead.directorSelector().equals(e.valid.directorSelector())) {
            e.conflicts.add(
                new Conflict(
                    Conflict.Kind.VRRP_SETTINGS,
                    g.leader().key,
                    "VIP "
                        + e.valid.vip()
                        + " is shared with the older "
                        + g.leader().key
                        + ", whose vrrp and directors settings differ; make them equal"));
            continue;
          }
        }
        g.members.add(e);
        e.group = g;
      }
      return new ArrayList<>(byVip.values());
    }

    private void allocateVrids(List<Group> groups) {
      VridAllocator allocator = new VridAllocator();
      Map<String, Group> explicitOwners = new HashMap<>();
      for (Group g : groups) {
        var vrrp = g.leader().valid.vrrp();
        Integer explicit = vrrp.explicitVirtualRouterId();
        if (explicit == null) {
          continue;
        }
        if (allocator.reserve(vrrp.interfaceName(), explicit)) {
          explicitOwners.put(vrrp.interfaceName() + "/" + explicit, g);
          g.vrid = explicit;
        } else {
          Group owner = explicitOwners.get(vrrp.interfaceName() + "/" + explicit);
          for (Entry e : g.members) {
            e.conflicts.add(
                new Conflict(
                    Conflict.Kind.VRID,
                    owner.leader().key,
                    "virtualRouterId "
                        + explicit
                        + " on "
                        + vrrp.interfaceName()
                        + " is already used by the older "
                        + owner.leader().key));
          }
        }
      }
      for (Group g : groups) {
        var vrrp = g.leader().valid.vrrp();
        if (vrrp.explicitVirtualRouterId() != null) {
          continue;
        }
        Integer previous = null;
        for (Entry e : g.members) {
          var status = e.current.getStatus();
          if (status != null && status.virtualRouterId() != null) {
            previous = status.virtualRouterId();
            break;
          }
        }
        g.vrid = allocator.allocate(vrrp.interfaceName(), g.leader().valid.vip(), previous);
        if (g.vrid == null) {
          for (Entry e : g.members) {
            e.conflicts.add(
                new Conflict(
                    Conflict.Kind.VRID,
                    g.leader().key,
                    "no free virtualRouterId left on " + vrrp.interfaceName()));
          }
        }
      }
      for (Group g : groups) {
        if (g.vrid != null) {
          g.instanceName = g.leader().valid.vrrp().interfaceName() + "-" + g.vrid;
        }
      }
    }

    private void placeDirectors(Group g) {
      ValidVirtualServer lead = g.leader().valid;
      List<DirectorAssignment> assigned = new ArrayList<>();
      List<String> missing = new ArrayList<>();
      Set<String> taken = new LinkedHashSet<>();
      int index = 0;
      for (DirectorNode n : lead.directorNodes()) {
        int priority = n.priority() != null ? n.priority() : Defaults.priorityByOrder(index);
        index++;
        taken.add(n.name());
        if (nodes.containsKey(n.name())) {
          assigned.add(new DirectorAssignment(n.name(), priority));
        } else {
          missing.add(n.name());
        }
      }
      if (!lead.directorSelector().isEmpty()) {
        for (NodeInfo n : nodes.values()) { // sorted by name
          if (!taken.contains(n.name())
              && LabelSelectors.matches(lead.directorSelector(), n.labels())) {
            assigned.add(new DirectorAssignment(n.name(), Defaults.priorityByOrder(index++)));
            taken.add(n.name());
          }
        }
      }
      g.directors = List.copyOf(assigned);
      g.missingDirectors = List.copyOf(missing);
    }

    private SortedMap<String, LvsNodeSpec> emit(List<Group> groups) {
      Map<String, List<LvsNodeSpec.VrrpInstance>> instances = new TreeMap<>();
      Map<String, List<LvsNodeSpec.IpvsService>> services = new TreeMap<>();
      Map<String, Set<String>> loopbackVips = new TreeMap<>();
      Map<String, Set<LvsNodeSpec.Source>> sources = new TreeMap<>();
      Map<String, Map<String, Set<String>>> syncGroups = new TreeMap<>();
      Comparator<LvsNodeSpec.Source> sourceOrder =
          Comparator.comparing(LvsNodeSpec.Source::namespace)
              .thenComparing(LvsNodeSpec.Source::name)
              .thenComparingLong(LvsNodeSpec.Source::generation);

      for (Group g : groups) {
        if (g.vrid == null) {
          continue;
        }
        ValidVirtualServer lead = g.leader().valid;
        var vrrp = lead.vrrp();
        for (DirectorAssignment d : g.directors) {
          if (vrrp.syncGroup() != null) {
            syncGroups
                .computeIfAbsent(d.node(), k -> new TreeMap<>())
                .computeIfAbsent(vrrp.syncGroup(), k -> new TreeSet<>())
                .add(g.instanceName);
          }
          List<String> peers = vrrp.unicastPeers();
          if (vrrp.unicastPeersFromDirectors()) {
            peers = new ArrayList<>();
            for (DirectorAssignment other : g.directors) {
              if (!other.node().equals(d.node())) {
                var addresses = nodes.get(other.node()).addresses();
                if (!addresses.isEmpty()) {
                  peers.add(addresses.getFirst());
                }
              }
            }
          }
          instances
              .computeIfAbsent(d.node(), k -> new ArrayList<>())
              .add(
                  new LvsNodeSpec.VrrpInstance(
                      g.instanceName,
                      vrrp.interfaceName(),
                      g.vrid,
                      d.priority(),
                      vrrp.version(),
                      vrrp.advertIntervalMs(),
                      vrrp.preempt(),
                      vrrp.preemptDelayMs(),
                      vrrp.accept(),
                      vrrp.authPass(),
                      peers,
                      List.of(
                          new LvsNodeSpec.Vip(lead.vip(), vrrp.vipPrefixLength(), vrrp.vipLabel())),
                      vrrp.trackInterfaces(),
                      vrrp.garp()));
          for (Entry e : g.members) {
            sources
                .computeIfAbsent(d.node(), k -> new TreeSet<>(sourceOrder))
                .add(
                    new LvsNodeSpec.Source(
                        e.key.namespace(), e.key.name(), e.programmedGeneration));
            if (e.valid.vipOnly()) {
              continue;
            }
            services.computeIfAbsent(d.node(), k -> new ArrayList<>()).add(service(g, e));
          }
        }
        for (Entry e : g.members) {
          if (e.valid.forwarding() != Forwarding.DR) {
            continue;
          }
          for (ResolvedRealServer rs : e.realServers) {
            if (rs.node() != null && nodes.containsKey(rs.node())) {
              loopbackVips.computeIfAbsent(rs.node(), k -> new TreeSet<>()).add(e.valid.vip());
              sources
                  .computeIfAbsent(rs.node(), k -> new TreeSet<>(sourceOrder))
                  .add(
                      new LvsNodeSpec.Source(
                          e.key.namespace(), e.key.name(), e.programmedGeneration));
            }
          }
        }
      }

      Set<String> nodeNames = new TreeSet<>();
      nodeNames.addAll(instances.keySet());
      nodeNames.addAll(services.keySet());
      nodeNames.addAll(loopbackVips.keySet());
      SortedMap<String, LvsNodeSpec> specs = new TreeMap<>();
      for (String node : nodeNames) {
        List<LvsNodeSpec.VrrpInstance> vi =
            new ArrayList<>(instances.getOrDefault(node, List.of()));
        vi.sort(Comparator.comparing(LvsNodeSpec.VrrpInstance::name));
        List<LvsNodeSpec.IpvsService> sv = new ArrayList<>(services.getOrDefault(node, List.of()));
        sv.sort(
            Comparator.comparing((LvsNodeSpec.IpvsService s) -> s.address())
                .thenComparing(s -> s.protocol())
                .thenComparingInt(LvsNodeSpec.IpvsService::port));
        List<LvsNodeSpec.SyncGroup> groupsHere = new ArrayList<>();
        // A group of one changes nothing: only groups with two or more instances here are emitted.
        syncGroups
            .getOrDefault(node, Map.of())
            .forEach(
                (name, members) -> {
                  if (members.size() > 1) {
                    groupsHere.add(new LvsNodeSpec.SyncGroup(name, new ArrayList<>(members)));
                  }
                });
        specs.put(
            node,
            new LvsNodeSpec(
                vi,
                sv,
                new ArrayList<>(loopbackVips.getOrDefault(node, Set.of())),
                new ArrayList<>(sources.getOrDefault(node, Set.of())),
                groupsHere));
      }
      return specs;
    }

    private static LvsNodeSpec.IpvsService service(Group g, Entry e) {
      ValidVirtualServer v = e.valid;
      List<LvsNodeSpec.Destination> destinations = new ArrayList<>();
      for (ResolvedRealServer rs : e.realServers) {
        destinations.add(
            new LvsNodeSpec.Destination(
                rs.address(), rs.port(), rs.weight(), v.forwarding(), rs.drain()));
      }
      destinations.sort(
          Comparator.comparing(LvsNodeSpec.Destination::address)
              .thenComparingInt(LvsNodeSpec.Destination::port));
      return new LvsNodeSpec.IpvsService(
          v.vip(),
          v.port(),
          v.protocol(),
          v.scheduler(),
          v.persistenceTimeoutSeconds(),
          v.persistenceNetmask(),
          g.instanceName,
          v.healthCheck(),
          v.onFailure(),
          destinations);
    }
  }
}
