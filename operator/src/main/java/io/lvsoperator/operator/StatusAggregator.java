package io.lvsoperator.operator;

import io.fabric8.kubernetes.api.model.Condition;
import io.lvsoperator.api.v1alpha1.RealServer;
import io.lvsoperator.api.v1alpha1.RealServerStatus;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import io.lvsoperator.api.v1alpha1.VirtualServerStatus;
import io.lvsoperator.api.v1alpha1.VirtualServerStatus.DirectorStatus;
import io.lvsoperator.api.v1alpha1.VirtualServerStatus.RealServerHealth;
import io.lvsoperator.api.v1alpha1.VrrpInstance;
import io.lvsoperator.api.v1alpha1.VrrpInstanceStatus;
import io.lvsoperator.compiler.Conflict;
import io.lvsoperator.compiler.DirectorAssignment;
import io.lvsoperator.compiler.FieldError;
import io.lvsoperator.compiler.ObjectKey;
import io.lvsoperator.compiler.RealServerResult;
import io.lvsoperator.compiler.ResolvedRealServer;
import io.lvsoperator.compiler.VirtualServerResult;
import io.lvsoperator.compiler.VrrpInstanceResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Turns the compiler's verdicts and what the agents report into VirtualServer and RealServer
 * status. Pure: the same input gives an equal status, so unchanged input is never written again.
 */
final class StatusAggregator {
  static final String READY = "Ready";
  static final String PROGRAMMED = "Programmed";
  static final String DEGRADED = "Degraded";
  static final String CONFLICT = "Conflict";
  static final String SPLIT_BRAIN = "SplitBrain";
  static final String HEALTHY = "Healthy";
  static final String ACCEPTED = "Accepted";

  static final String REASON_INVALID_SPEC = "InvalidSpec";

  /** The TenantPolicies of the object's namespace refuse what it uses (issue 18.6). */
  static final String REASON_POLICY_VIOLATION = "PolicyViolation";

  private StatusAggregator() {}

  /**
   * The status of one VirtualServer: what its directors report, who is master, how its real servers
   * fare, and the conditions that sum it up.
   *
   * @param vs the object, carrying its previous status
   * @param result the compiler's verdict on it
   * @param directors what is observed of each node, by node name
   */
  static VirtualServerStatus virtualServer(
      VirtualServer vs,
      VirtualServerResult result,
      Function<String, DirectorObservation> directors,
      Instant now) {
    VirtualServerStatus previous = vs.getStatus();
    Problems degraded = new Problems();
    for (String missing : result.missingDirectors()) {
      degraded.add("DirectorMissing", "director " + missing + " does not exist");
    }
    DirectorFindings found = DirectorFindings.of(result, directors, previous, degraded);
    List<String> masters = confirmedMasters(found.claimants(), directors, result.vrrpInstance());
    String master = master(masters, previous == null ? null : previous.master());
    RealServerFindings servers = RealServerFindings.of(result, found.observed(), master, degraded);

    Verdict programmed = programmed(result, found.pending());
    Verdict ready = ready(programmed, masters, master, result.vrrpInstance());
    List<Condition> conditions =
        conditions(previous, result, now, ready, programmed, degraded, masters);
    Integer vrid = result.virtualRouterId();
    if (vrid == null && previous != null) {
      vrid = previous.virtualRouterId(); // kept so a held-back object gets its VRID back
    }
    return new VirtualServerStatus(
        result.generation(),
        conditions,
        master,
        vrid,
        found.statuses(),
        servers.health(),
        servers.healthy() + "/" + servers.health().size(),
        servers.healthy(),
        servers.health().size());
  }

  /** A condition's outcome: true or not, with its reason and message. */
  record Verdict(boolean ok, String reason, String message) {}

  /** Degraded findings in the order found; the first one names the reason. */
  static final class Problems {
    private final List<String> messages = new ArrayList<>();
    private String reason;

    void add(String reason, String message) {
      messages.add(message);
      this.reason = this.reason == null ? reason : this.reason;
    }

    boolean isEmpty() {
      return messages.isEmpty();
    }
  }

  /**
   * What the directors of one VirtualServer report: their status rows, who claims MASTER, who has
   * not applied the current generation yet.
   */
  record DirectorFindings(
      List<DirectorStatus> statuses,
      List<String> claimants,
      List<String> pending,
      List<DirectorObservation> observed) {

    static DirectorFindings of(
        VirtualServerResult result,
        Function<String, DirectorObservation> directors,
        VirtualServerStatus previous,
        Problems degraded) {
      List<DirectorStatus> statuses = new ArrayList<>();
      List<String> claimants = new ArrayList<>();
      List<String> pending = new ArrayList<>();
      List<DirectorObservation> observed = new ArrayList<>();
      for (DirectorAssignment d : result.directors()) {
        DirectorObservation o = directors.apply(d.node());
        observed.add(o);
        String state = o.vrrpState(result.vrrpInstance());
        if ("MASTER".equals(state)) {
          claimants.add(d.node());
        }
        var applied = o.appliedGeneration(result.key());
        Long programmed = applied.orElse(previousProgrammed(previous, d.node()));
        if (applied.orElse(-1L) != result.generation()) {
          pending.add(d.node() + " (" + o.appliedDescription(result.key()) + ")");
        }
        statuses.add(new DirectorStatus(d.node(), d.priority(), state, programmed));
        directorProblem(o, state, degraded);
      }
      return new DirectorFindings(List.copyOf(statuses), claimants, pending, List.copyOf(observed));
    }

    private static void directorProblem(DirectorObservation o, String state, Problems degraded) {
      if (!o.exists()) {
        degraded.add("DirectorMissing", "director " + o.node() + " does not exist");
      } else if (!o.ready()) {
        degraded.add("DirectorNotReady", "director " + o.node() + " is NotReady");
      } else if (o.silent()) {
        degraded.add("AgentSilent", "the agent on " + o.node() + " does not report");
      } else if ("FAULT".equals(state)) {
        degraded.add("DirectorFault", "director " + o.node() + " is in FAULT");
      }
    }
  }

  /**
   * The master column: the one confirmed master; during a split brain the previous master if it
   * still claims MASTER (the SplitBrain condition says more); else none.
   */
  static String master(List<String> confirmed, String previousMaster) {
    if (confirmed.size() == 1) {
      return confirmed.getFirst();
    }
    return confirmed.contains(previousMaster) ? previousMaster : null;
  }

  /** Each real server's check results across the directors, and how many pass on the master. */
  record RealServerFindings(List<RealServerHealth> health, int healthy) {

    static RealServerFindings of(
        VirtualServerResult result,
        List<DirectorObservation> observed,
        String master,
        Problems degraded) {
      List<RealServerHealth> health = new ArrayList<>();
      int healthy = 0;
      for (ResolvedRealServer rs : result.realServers()) {
        RealServerHealth h = health(result.key(), rs, observed);
        healthy +=
            (master != null ? h.healthyOn().contains(master) : !h.healthyOn().isEmpty()) ? 1 : 0;
        if (!h.unhealthyOn().isEmpty()) {
          degraded.add(
              "RealServerDown",
              "real server "
                  + rs.address()
                  + ":"
                  + rs.port()
                  + " is down on "
                  + String.join(", ", h.unhealthyOn())
                  + (h.reason() == null ? "" : ": " + h.reason()));
        }
        health.add(h);
      }
      return new RealServerFindings(List.copyOf(health), healthy);
    }

    private static RealServerHealth health(
        ObjectKey virtualServer, ResolvedRealServer rs, List<DirectorObservation> observed) {
      List<String> up = new ArrayList<>();
      List<String> down = new ArrayList<>();
      String reason = null;
      for (DirectorObservation o : observed) {
        var h = o.health(virtualServer, rs.address(), rs.port());
        if (h.isEmpty()) {
          continue;
        }
        if (h.get().healthy()) {
          up.add(o.node());
        } else {
          down.add(o.node());
          reason = reason == null ? h.get().reason() : reason;
        }
      }
      return new RealServerHealth(rs.address(), rs.port(), up, down, reason);
    }
  }

  /** Programmed: every director applied the current generation, or why not. */
  static Verdict programmed(VirtualServerResult result, List<String> pending) {
    return programmed(
        result.errors(),
        result.policyViolations(),
        result.conflicts(),
        result.programmedGeneration(),
        result.directors().isEmpty(),
        result.generation(),
        result.directors().size(),
        pending);
  }

  private static Verdict programmed(
      List<FieldError> errors,
      List<FieldError> policyViolations,
      List<Conflict> conflicts,
      Long programmedGeneration,
      boolean noDirectors,
      long generation,
      int directorCount,
      List<String> pending) {
    if (!errors.isEmpty() || !policyViolations.isEmpty()) {
      List<FieldError> all = new ArrayList<>(errors);
      policyViolations.stream().filter(v -> !errors.contains(v)).forEach(all::add);
      return new Verdict(
          false,
          policyViolations.isEmpty() ? REASON_INVALID_SPEC : REASON_POLICY_VIOLATION,
          all.stream().map(FieldError::toString).collect(Collectors.joining("; "))
              + (programmedGeneration != null
                  ? "; generation " + programmedGeneration + " keeps running"
                  : "; nothing runs for it"));
    }
    if (!conflicts.isEmpty()) {
      return new Verdict(false, "Conflict", "held back: " + conflictMessage(conflicts));
    }
    if (programmedGeneration == null) {
      return new Verdict(false, "NotPlaced", "the compiler placed it on no node");
    }
    if (noDirectors) {
      return new Verdict(false, "NoDirectors", "no existing node matches spec.directors");
    }
    if (!pending.isEmpty()) {
      return new Verdict(
          false,
          "Pending",
          "generation " + generation + " not yet applied on " + String.join(", ", pending));
    }
    return new Verdict(
        true,
        "Programmed",
        "generation " + generation + " applied on " + directorCount + " director(s)");
  }

  /** Ready: programmed and exactly one confirmed master. */
  static Verdict ready(Verdict programmed, List<String> masters, String master, String instance) {
    if (!programmed.ok()) {
      return new Verdict(false, programmed.reason(), programmed.message());
    }
    if (masters.size() > 1) {
      return new Verdict(false, "SplitBrain", String.join(", ", masters) + " all report MASTER");
    }
    if (master == null) {
      return new Verdict(false, "NoMaster", "no director reports MASTER for " + instance);
    }
    return new Verdict(true, "Ready", "VIP held by " + master);
  }

  private static List<Condition> conditions(
      VirtualServerStatus previous,
      VirtualServerResult result,
      Instant now,
      Verdict ready,
      Verdict programmed,
      Problems degraded,
      List<String> masters) {
    Conditions conditions =
        new Conditions(previous == null ? null : previous.conditions(), result.generation(), now);
    conditions.add(READY, ready.ok(), ready.reason(), ready.message());
    conditions.add(PROGRAMMED, programmed.ok(), programmed.reason(), programmed.message());
    if (degraded.isEmpty()) {
      conditions.add(DEGRADED, false, "AllHealthy", "");
    } else {
      conditions.add(DEGRADED, true, degraded.reason, String.join("; ", degraded.messages));
    }
    conflictCondition(conditions, result.conflicts());
    if (masters.size() > 1) {
      conditions.add(
          SPLIT_BRAIN,
          true,
          "MultipleMasters",
          String.join(", ", masters) + " all report MASTER for " + result.vrrpInstance());
    } else {
      conditions.add(SPLIT_BRAIN, false, "SingleMaster", "");
    }
    return conditions.build();
  }

  /**
   * The status of one RealServer object: its check result on every director of every VirtualServer
   * it serves.
   */
  static RealServerStatus realServer(
      RealServer rs,
      RealServerResult result,
      Map<ObjectKey, VirtualServerResult> virtualServers,
      Function<String, DirectorObservation> directors,
      Instant now) {
    long generation =
        rs.getMetadata().getGeneration() == null ? 0 : rs.getMetadata().getGeneration();
    String source = "RealServer " + result.key();
    Map<String, RealServerStatus.DirectorHealth> byNode = new LinkedHashMap<>();
    for (ObjectKey vsKey : result.virtualServers()) {
      VirtualServerResult vs = virtualServers.get(vsKey);
      if (vs == null) {
        continue;
      }
      for (ResolvedRealServer resolved : vs.realServers()) {
        if (!source.equals(resolved.source())) {
          continue;
        }
        for (DirectorAssignment d : vs.directors()) {
          if (byNode.containsKey(d.node())) {
            continue;
          }
          directors
              .apply(d.node())
              .health(vsKey, resolved.address(), resolved.port())
              .ifPresent(
                  h ->
                      byNode.put(
                          d.node(),
                          new RealServerStatus.DirectorHealth(
                              d.node(), h.healthy(), h.reason(), h.since())));
        }
      }
    }
    List<RealServerStatus.DirectorHealth> checks = List.copyOf(byNode.values());
    long passing = checks.stream().filter(RealServerStatus.DirectorHealth::healthy).count();
    String reason =
        checks.stream()
            .filter(c -> !c.healthy())
            .map(RealServerStatus.DirectorHealth::reason)
            .filter(r -> r != null && !r.isEmpty())
            .findFirst()
            .orElse(null);

    RealServerStatus previous = rs.getStatus();
    Conditions conditions =
        new Conditions(previous == null ? null : previous.conditions(), generation, now);
    if (checks.isEmpty()) {
      conditions.add(HEALTHY, Conditions.UNKNOWN, "NotChecked", "no director reports a check");
    } else if (passing == checks.size()) {
      conditions.add(HEALTHY, true, "Passing", "passes on " + passing + " director(s)");
    } else {
      List<String> failing =
          checks.stream()
              .filter(c -> !c.healthy())
              .map(c -> c.node() + (c.reason() == null ? "" : ": " + c.reason()))
              .toList();
      conditions.add(HEALTHY, false, "Failing", "fails on " + String.join("; ", failing));
    }
    if (!result.errors().isEmpty()) {
      conditions.add(
          ACCEPTED,
          false,
          result.policyViolations().isEmpty() ? REASON_INVALID_SPEC : REASON_POLICY_VIOLATION,
          result.errors().stream().map(FieldError::toString).collect(Collectors.joining("; ")));
    } else if (result.virtualServers().isEmpty()) {
      conditions.add(ACCEPTED, false, "Unused", "no programmed VirtualServer selects it");
    } else {
      conditions.add(
          ACCEPTED,
          true,
          "Accepted",
          "serves "
              + result.virtualServers().stream()
                  .map(ObjectKey::toString)
                  .collect(Collectors.joining(", ")));
    }
    return new RealServerStatus(
        generation,
        conditions.build(),
        passing + "/" + checks.size(),
        reason,
        checks.isEmpty() ? null : checks);
  }

  /**
   * The status of one VrrpInstance: its directors' states and priorities, the master, what it
   * carries, and the Ready, Programmed and Conflict conditions.
   *
   * @param runs whether a director runs the instance as the model wants it (its agent applied it)
   */
  static VrrpInstanceStatus vrrpInstance(
      VrrpInstance vi,
      VrrpInstanceResult result,
      Function<String, DirectorObservation> directors,
      Predicate<DirectorObservation> runs,
      Instant now) {
    VrrpInstanceStatus previous = vi.getStatus();
    String instance = result.vrrpInstance();
    List<DirectorStatus> statuses = new ArrayList<>();
    List<String> claimants = new ArrayList<>();
    List<String> pending = new ArrayList<>();
    for (DirectorAssignment d : result.directors()) {
      DirectorObservation o = directors.apply(d.node());
      String state = o.vrrpState(instance);
      if ("MASTER".equals(state)) {
        claimants.add(d.node());
      }
      if (!runs.test(o)) {
        pending.add(d.node() + " (" + o.appliedDescription() + ")");
      }
      statuses.add(new DirectorStatus(d.node(), d.priority(), state, null));
    }
    List<String> masters = confirmedMasters(claimants, directors, instance);
    String master = master(masters, previous == null ? null : previous.master());
    Verdict programmed =
        programmed(
            result.errors(),
            result.policyViolations(),
            result.conflicts(),
            result.programmedGeneration(),
            result.directors().isEmpty(),
            result.generation(),
            result.directors().size(),
            pending);
    Verdict ready = ready(programmed, masters, master, instance);
    Conditions conditions =
        new Conditions(previous == null ? null : previous.conditions(), result.generation(), now);
    conditions.add(READY, ready.ok(), ready.reason(), ready.message());
    conditions.add(PROGRAMMED, programmed.ok(), programmed.reason(), programmed.message());
    conflictCondition(conditions, result.conflicts());
    Integer vrid = result.virtualRouterId();
    if (vrid == null && previous != null) {
      vrid = previous.virtualRouterId();
    }
    return new VrrpInstanceStatus(
        result.generation(),
        vrid,
        master,
        List.copyOf(statuses),
        result.advertisedAddresses(),
        result.excludedAddresses(),
        result.members().stream().map(ObjectKey::name).toList(),
        conditions.build());
  }

  /**
   * Drops a MASTER claim that its own agent has not confirmed since another director became MASTER:
   * an agent killed while master leaves a MASTER status behind, and the backup taking over is a
   * failover, not a split brain. Two agents that both keep reporting MASTER are a split brain.
   */
  static List<String> confirmedMasters(
      List<String> claimants, Function<String, DirectorObservation> directors, String instance) {
    if (claimants.size() < 2) {
      return claimants;
    }
    List<String> confirmed = new ArrayList<>();
    for (String a : claimants) {
      var heartbeat = directors.apply(a).heartbeat();
      boolean stale = false;
      for (String b : claimants) {
        if (a.equals(b) || heartbeat.isEmpty()) {
          continue;
        }
        var since = directors.apply(b).stateSince(instance);
        if (since.isPresent() && heartbeat.get().isBefore(since.get())) {
          stale = true;
        }
      }
      if (!stale) {
        confirmed.add(a);
      }
    }
    return confirmed;
  }

  private static Long previousProgrammed(VirtualServerStatus previous, String node) {
    if (previous == null || previous.directors() == null) {
      return null;
    }
    return previous.directors().stream()
        .filter(d -> node.equals(d.node()))
        .map(DirectorStatus::programmedGeneration)
        .filter(g -> g != null)
        .findFirst()
        .orElse(null);
  }

  private static void conflictCondition(Conditions conditions, List<Conflict> conflicts) {
    if (conflicts.isEmpty()) {
      conditions.add(CONFLICT, false, "NoConflict", "");
    } else {
      conditions.add(
          CONFLICT, true, conflictReason(conflicts.getFirst().kind()), conflictMessage(conflicts));
    }
  }

  private static String conflictReason(Conflict.Kind kind) {
    return switch (kind) {
      case VIP_PORT -> "VipPortInUse";
      case VRID -> "VirtualRouterIdInUse";
      case VRRP_SETTINGS -> "SharedVipSettingsDiffer";
    };
  }

  private static String conflictMessage(List<Conflict> conflicts) {
    return conflicts.stream().map(Conflict::toString).collect(Collectors.joining("; "));
  }
}
