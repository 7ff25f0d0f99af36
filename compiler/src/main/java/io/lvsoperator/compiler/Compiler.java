package io.lvsoperator.compiler;

import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

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
    private final RealServerResolver realServers;

    Run(CompilerInput input) {
      this.input = input;
      for (NodeInfo n : input.nodes()) {
        nodes.put(n.name(), n);
      }
      this.validator = new VirtualServerValidator(input.secrets());
      this.realServers = new RealServerResolver(input);
    }

    CompileResult compile() {
      List<VirtualServerEntry> entries = validatedEntries();
      realServers.validateObjects();
      for (VirtualServerEntry e : entries) {
        if (e.valid != null) {
          e.realServers = realServers.resolve(e);
        }
      }
      settleVipPortConflicts(entries);
      List<InstanceGroup> groups = groupByVip(entries);
      allocateVrids(groups);
      DirectorPlacement placement = new DirectorPlacement(nodes);
      NodeSpecEmitter emitter = new NodeSpecEmitter(nodes);
      for (InstanceGroup g : groups) {
        var lead = g.leader().valid;
        var placed = placement.place(lead.directorNodes(), lead.directorSelector());
        g.directors = placed.directors();
        g.missingDirectors = placed.missing();
        emitter.add(g);
      }
      realServers.recordUsers(entries);
      return new CompileResult(emitter.specs(), verdicts(entries), realServers.results());
    }

    /** Each VirtualServer once (the older copy of a duplicate), oldest first, validated. */
    private List<VirtualServerEntry> validatedEntries() {
      List<VirtualServerEntry> entries = new ArrayList<>();
      Set<ObjectKey> seen = new HashSet<>();
      for (VirtualServer vs :
          input.virtualServers().stream().filter(Objects::nonNull).sorted(AGE).toList()) {
        VirtualServerEntry e = new VirtualServerEntry(vs);
        if (seen.add(e.key)) { // the same object twice (e.g. two manifest files): the older counts
          validate(e);
          entries.add(e);
        }
      }
      return entries;
    }

    private void validate(VirtualServerEntry e) {
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

    private static SortedMap<ObjectKey, VirtualServerResult> verdicts(
        List<VirtualServerEntry> entries) {
      SortedMap<ObjectKey, VirtualServerResult> results = new TreeMap<>();
      for (VirtualServerEntry e : entries) {
        boolean runs = e.programmed();
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
      return results;
    }

    private static void settleVipPortConflicts(List<VirtualServerEntry> entries) {
      Map<String, VirtualServerEntry> owners = new HashMap<>();
      for (VirtualServerEntry e : entries) {
        if (e.valid == null || e.valid.vipOnly()) {
          continue;
        }
        String k = e.valid.vip() + ":" + e.valid.port() + "/" + e.valid.protocol();
        VirtualServerEntry owner = owners.putIfAbsent(k, e);
        if (owner != null) {
          e.conflicts.add(
              new Conflict(
                  Conflict.Kind.VIP_PORT,
                  owner.key,
                  k + " is already served by the older " + owner.key));
        }
      }
    }

    private static List<InstanceGroup> groupByVip(List<VirtualServerEntry> entries) {
      Map<String, InstanceGroup> byVip = new LinkedHashMap<>();
      for (VirtualServerEntry e : entries) {
        if (!e.runs()) {
          continue;
        }
        InstanceGroup g = byVip.computeIfAbsent(e.valid.vip(), k -> new InstanceGroup());
        if (!g.members.isEmpty() && !sameInstanceSettings(g.leader().valid, e.valid)) {
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
        g.members.add(e);
        e.group = g;
      }
      return new ArrayList<>(byVip.values());
    }

    private static boolean sameInstanceSettings(ValidVirtualServer a, ValidVirtualServer b) {
      return a.vrrp().equals(b.vrrp())
          && a.directorNodes().equals(b.directorNodes())
          && a.directorSelector().equals(b.directorSelector());
    }

    /** Explicit ids first (oldest keeps a clash), then the others, then the instance names. */
    private static void allocateVrids(List<InstanceGroup> groups) {
      VridAllocator allocator = new VridAllocator();
      reserveExplicitVrids(groups, allocator);
      for (InstanceGroup g : groups) {
        if (g.vrrp().explicitVirtualRouterId() == null) {
          allocateVrid(g, allocator);
        }
      }
      for (InstanceGroup g : groups) {
        if (g.vrid != null) {
          g.instanceName = g.vrrp().interfaceName() + "-" + g.vrid;
        }
      }
    }

    private static void reserveExplicitVrids(List<InstanceGroup> groups, VridAllocator allocator) {
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
        ObjectKey owner = owners.get(slot).leader().key;
        String message =
            "virtualRouterId "
                + explicit
                + " on "
                + vrrp.interfaceName()
                + " is already used by the older "
                + owner;
        g.members.forEach(e -> e.conflicts.add(new Conflict(Conflict.Kind.VRID, owner, message)));
      }
    }

    /** The VRID the group had before (from any member's status), else a free one. */
    private static void allocateVrid(InstanceGroup g, VridAllocator allocator) {
      Integer previous = null;
      for (VirtualServerEntry e : g.members) {
        var status = e.current.getStatus();
        if (status != null && status.virtualRouterId() != null) {
          previous = status.virtualRouterId();
          break;
        }
      }
      String iface = g.vrrp().interfaceName();
      g.vrid = allocator.allocate(iface, g.leader().valid.vip(), previous);
      if (g.vrid == null) {
        ObjectKey leader = g.leader().key;
        String message = "no free virtualRouterId left on " + iface;
        g.members.forEach(e -> e.conflicts.add(new Conflict(Conflict.Kind.VRID, leader, message)));
      }
    }
  }
}
