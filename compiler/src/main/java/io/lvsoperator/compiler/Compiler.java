package io.lvsoperator.compiler;

import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import io.lvsoperator.api.v1alpha1.VrrpInstance;
import java.util.ArrayList;
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
 * Compiles VrrpInstances, VirtualServers, RealServers and nodes into one {@link LvsNodeSpec} per
 * node.
 *
 * <p>Order of work: validate each VrrpInstance and VirtualServer and check it against the
 * TenantPolicies of its namespace (falling back to its last good version when it fails either);
 * resolve real servers; settle conflicts oldest-first (VIP:port:protocol, which instance holds each
 * address, shared-VIP settings, VRIDs); order each instance's addresses; place directors and
 * priorities; emit sorted per-node specs. Older objects always win, so a new object can never
 * disturb one that already runs.
 */
public final class Compiler {
  private Compiler() {}

  public static CompileResult compile(CompilerInput input) {
    return new Run(input).compile();
  }

  /** The state of one compilation. */
  private static final class Run {
    private final CompilerInput input;
    private final Map<String, NodeInfo> nodes = new TreeMap<>();
    private final VrrpValidator vrrpValidator;
    private final RealServerResolver realServers;
    private final Map<ObjectKey, VrrpInstanceEntry> instances = new LinkedHashMap<>();
    private final TenantPolicyCheck tenancy;

    Run(CompilerInput input) {
      this.input = input;
      for (NodeInfo n : input.nodes()) {
        nodes.put(n.name(), n);
      }
      this.vrrpValidator = new VrrpValidator(input.secrets());
      this.tenancy = new TenantPolicyCheck(input.tenantPolicies(), input.nodes());
      this.realServers = new RealServerResolver(input, tenancy);
    }

    CompileResult compile() {
      validateInstances();
      List<VirtualServerEntry> entries = validatedEntries();
      realServers.validateObjects();
      for (VirtualServerEntry e : entries) {
        if (e.valid != null) {
          e.realServers = realServers.resolve(e);
        }
      }
      settleVipPortConflicts(entries);
      VipClaims.settle(List.copyOf(instances.values()), entries);
      List<InstanceGroup> groups = group(entries);
      DirectorPlacement placement = new DirectorPlacement(nodes);
      for (InstanceGroup g : groups) {
        var namespaces = g.namespaces();
        var placed =
            placement.place(
                g.directorNodes(),
                g.directorSelector(),
                node -> namespaces.stream().allMatch(ns -> tenancy.mayDirect(ns, node)));
        g.directors = placed.directors();
        g.missingDirectors = placed.missing();
      }
      groups = settleConnectionSync(groups);
      VridAssignment.assign(groups);
      NodeSpecEmitter emitter = new NodeSpecEmitter(nodes, input.notifyCommands());
      groups.forEach(emitter::add);
      realServers.recordUsers(entries);
      return new CompileResult(
          emitter.specs(), verdicts(entries), realServers.results(), instanceVerdicts());
    }

    /** Each VrrpInstance once (the older copy of a duplicate), oldest first, validated. */
    private void validateInstances() {
      var validator = new VrrpInstanceValidator(vrrpValidator);
      for (VrrpInstance vri :
          input.vrrpInstances().stream()
              .filter(Objects::nonNull)
              .sorted(Age.OLDEST_FIRST)
              .toList()) {
        VrrpInstanceEntry e = new VrrpInstanceEntry(vri);
        if (instances.putIfAbsent(e.key, e) != null) {
          continue;
        }
        var outcome = validator.validate(vri);
        e.errors.addAll(outcome.errors());
        e.valid = outcome.valid();
        if (e.valid != null && refused(tenancy.vrrpInstance(vri), e.errors, e.policyViolations)) {
          e.valid = null;
        }
        e.programmedGeneration = e.valid == null ? null : e.generation;
        VrrpInstance last = input.lastGoodVrrpInstances().get(e.key);
        if (e.valid == null && last != null) {
          var fallback = validator.validate(last).valid();
          long lastGeneration = VirtualServerValidator.generationOf(last);
          if (fallback != null
              && !refusedLastGood(
                  tenancy.vrrpInstance(last), lastGeneration, e.generation, e.policyViolations)) {
            e.valid = fallback;
            e.programmedGeneration = lastGeneration;
          }
        }
      }
    }

    /** Why a VirtualServer cannot join the VrrpInstance {@code ref}, or null when it can. */
    private String joinProblem(ObjectKey ref) {
      VrrpInstanceEntry e = instances.get(ref);
      if (e == null) {
        return "names no VrrpInstance in namespace " + ref.namespace();
      }
      if (e.valid == null) {
        return "names " + e.describe() + ", which is invalid and has no last good version";
      }
      return null;
    }

    /** Each VirtualServer once (the older copy of a duplicate), oldest first, validated. */
    private List<VirtualServerEntry> validatedEntries() {
      var validator = new VirtualServerValidator(vrrpValidator, this::joinProblem);
      List<VirtualServerEntry> entries = new ArrayList<>();
      Set<ObjectKey> seen = new HashSet<>();
      for (VirtualServer vs :
          input.virtualServers().stream()
              .filter(Objects::nonNull)
              .sorted(Age.OLDEST_FIRST)
              .toList()) {
        VirtualServerEntry e = new VirtualServerEntry(vs);
        if (seen.add(e.key)) { // the same object twice (e.g. two manifest files): the older counts
          validate(validator, e);
          entries.add(e);
        }
      }
      return entries;
    }

    private void validate(VirtualServerValidator validator, VirtualServerEntry e) {
      var outcome = validator.validate(e.current);
      if (outcome.valid() != null
          && !refused(tenancy.virtualServer(e.current), e.errors, e.policyViolations)) {
        e.valid = outcome.valid();
        e.programmedGeneration = e.generation;
        return;
      }
      e.errors.addAll(outcome.errors());
      VirtualServer last = input.lastGood().get(e.key);
      if (last != null) {
        var fallback = validator.validate(last);
        long lastGeneration = VirtualServerValidator.generationOf(last);
        if (fallback.valid() != null
            && !refusedLastGood(
                tenancy.virtualServer(last), lastGeneration, e.generation, e.policyViolations)) {
          e.valid = fallback.valid();
          e.programmedGeneration = lastGeneration;
        }
      }
    }

    /** Records what the policies refuse of the current generation; whether they refuse it. */
    private static boolean refused(
        List<FieldError> violations, List<FieldError> errors, List<FieldError> policyViolations) {
      errors.addAll(violations);
      policyViolations.addAll(violations);
      return !violations.isEmpty();
    }

    /**
     * Records what the policies refuse of the last good version (a policy tightened since it ran),
     * unless it is the current generation, already recorded; whether they refuse it.
     */
    private static boolean refusedLastGood(
        List<FieldError> violations,
        long lastGeneration,
        long generation,
        List<FieldError> policyViolations) {
      if (lastGeneration != generation) {
        for (FieldError v : violations) {
          policyViolations.add(
              new FieldError(
                  v.path(),
                  v.value(),
                  v.message() + " (in generation " + lastGeneration + ", the last good one)"));
        }
      }
      return !violations.isEmpty();
    }

    /**
     * Each VIP:port:protocol, and each firewall mark, is one IPVS service: the newer VirtualServer
     * with one an older one serves does not run (none of its services).
     */
    private static void settleVipPortConflicts(List<VirtualServerEntry> entries) {
      Map<String, VirtualServerEntry> owners = new HashMap<>();
      for (VirtualServerEntry e : entries) {
        if (e.valid == null) {
          continue;
        }
        List<String> keys = new ArrayList<>();
        if (e.valid.firewallMark() != null) {
          keys.add("fwmark " + e.valid.firewallMark());
        }
        e.valid
            .addressPorts()
            .forEach(p -> keys.add(p.address() + ":" + p.port() + "/" + e.valid.protocol()));
        for (String k : keys) {
          VirtualServerEntry owner = owners.get(k);
          if (owner != null) {
            e.conflicts.add(
                new Conflict(
                    Conflict.Kind.VIP_PORT,
                    owner.key,
                    k + " is already served by the older " + owner.key));
            break;
          }
        }
        if (e.conflicts.isEmpty()) {
          keys.forEach(k -> owners.put(k, e));
        }
      }
    }

    /**
     * The instances, oldest first: one per running VrrpInstance with its members, and one per VIP
     * of the VirtualServers without a VrrpInstance. An instance without any address runs nothing.
     */
    private List<InstanceGroup> group(List<VirtualServerEntry> entries) {
      List<InstanceGroup> groups = new ArrayList<>();
      for (VrrpInstanceEntry i : instances.values()) {
        if (i.runs()) {
          groups.add(InstanceGroup.of(i));
        }
      }
      Map<String, InstanceGroup> byVip = new LinkedHashMap<>();
      for (VirtualServerEntry e : entries) {
        if (!e.runs()) {
          continue;
        }
        if (e.valid.vrrpInstance() != null) {
          InstanceGroup g = instances.get(e.valid.vrrpInstance()).group;
          g.members.add(e);
          e.group = g;
        } else {
          joinImplicit(byVip, e);
        }
      }
      groups.addAll(byVip.values());
      groups.sort((a, b) -> Age.OLDEST_FIRST.compare(a.ageObject(), b.ageObject()));
      List<InstanceGroup> running = new ArrayList<>();
      for (InstanceGroup g : groups) {
        InstanceAddresses.assign(g);
        if (g.advertised.isEmpty() && g.excluded.isEmpty()) {
          g.instance.errors.add(
              new FieldError(
                  "spec.addresses",
                  null,
                  "is empty and no VirtualServer joins this VrrpInstance: nothing runs"));
          g.instance.group = null;
        } else {
          running.add(g);
        }
      }
      return running;
    }

    /**
     * The kernel runs one connection sync daemon per node: oldest first, an instance whose
     * directors include a node where an older instance already syncs connections does not run.
     */
    private static List<InstanceGroup> settleConnectionSync(List<InstanceGroup> groups) {
      Map<String, InstanceGroup> syncing = new HashMap<>();
      List<InstanceGroup> running = new ArrayList<>();
      for (InstanceGroup g : groups) {
        if (g.vrrp().connectionSync() == null) {
          running.add(g);
          continue;
        }
        InstanceGroup older = null;
        String node = null;
        for (DirectorAssignment d : g.directors) {
          if (syncing.containsKey(d.node())) {
            older = syncing.get(d.node());
            node = d.node();
            break;
          }
        }
        if (older == null) {
          g.directors.forEach(d -> syncing.put(d.node(), g));
          running.add(g);
          continue;
        }
        g.conflict(
            new Conflict(
                Conflict.Kind.VRRP_SETTINGS,
                older.owner(),
                "spec.vrrp.connectionSync: node "
                    + node
                    + " already syncs connections for the older "
                    + older.describeOwner()
                    + "; one instance per node may set connectionSync"));
      }
      return running;
    }

    private static void joinImplicit(Map<String, InstanceGroup> byVip, VirtualServerEntry e) {
      InstanceGroup g = byVip.computeIfAbsent(e.valid.vip(), k -> InstanceGroup.implicit());
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
        return;
      }
      g.members.add(e);
      e.group = g;
    }

    private static boolean sameInstanceSettings(ValidVirtualServer a, ValidVirtualServer b) {
      return a.vrrp().equals(b.vrrp())
          && a.directorNodes().equals(b.directorNodes())
          && a.directorSelector().equals(b.directorSelector());
    }

    /** What of these settings has no effect here: notify commands outside standalone mode. */
    private List<FieldError> ignored(ValidVirtualServer.VrrpSettings vrrp) {
      if (vrrp == null || vrrp.notifyCommands() == null || input.notifyCommands()) {
        return List.of();
      }
      return List.of(
          new FieldError(
              "spec.vrrp.notify",
              null,
              "is ignored: notify commands run only in standalone mode (in Kubernetes the operator"
                  + " records Events)"));
    }

    private SortedMap<ObjectKey, VirtualServerResult> verdicts(List<VirtualServerEntry> entries) {
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
                runs ? e.realServers : List.of(),
                e.valid == null ? List.of() : ignored(e.valid.vrrp()),
                e.policyViolations));
      }
      return results;
    }

    private SortedMap<ObjectKey, VrrpInstanceResult> instanceVerdicts() {
      SortedMap<ObjectKey, VrrpInstanceResult> results = new TreeMap<>();
      for (VrrpInstanceEntry i : instances.values()) {
        InstanceGroup g = i.group;
        boolean runs = i.runs() && g != null && g.vrid != null;
        results.put(
            i.key,
            new VrrpInstanceResult(
                i.key,
                i.generation,
                i.errors,
                i.conflicts,
                runs ? i.programmedGeneration : null,
                runs ? g.instanceName : null,
                runs ? g.vrid : null,
                runs ? g.directors : List.of(),
                runs ? g.missingDirectors : List.of(),
                runs ? g.members.stream().map(e -> e.key).sorted().toList() : List.of(),
                runs ? g.advertised.size() : 0,
                runs ? g.excluded.size() : 0,
                i.valid == null ? List.of() : ignored(i.valid.vrrp()),
                i.policyViolations));
      }
      return results;
    }
  }
}
