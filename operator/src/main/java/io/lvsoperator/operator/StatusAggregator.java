package io.lvsoperator.operator;

import io.lvsoperator.api.v1alpha1.RealServer;
import io.lvsoperator.api.v1alpha1.RealServerStatus;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import io.lvsoperator.api.v1alpha1.VirtualServerStatus;
import io.lvsoperator.api.v1alpha1.VirtualServerStatus.DirectorStatus;
import io.lvsoperator.api.v1alpha1.VirtualServerStatus.RealServerHealth;
import io.lvsoperator.compiler.Conflict;
import io.lvsoperator.compiler.DirectorAssignment;
import io.lvsoperator.compiler.FieldError;
import io.lvsoperator.compiler.ObjectKey;
import io.lvsoperator.compiler.RealServerResult;
import io.lvsoperator.compiler.ResolvedRealServer;
import io.lvsoperator.compiler.VirtualServerResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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

  private StatusAggregator() {}

  /**
   * The status of one VirtualServer.
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
    long generation = result.generation();
    ObjectKey key = result.key();
    String instance = result.vrrpInstance();

    List<DirectorStatus> directorStatuses = new ArrayList<>();
    List<String> masters = new ArrayList<>();
    List<String> pending = new ArrayList<>();
    List<String> degraded = new ArrayList<>();
    String degradedReason = null;
    for (String missing : result.missingDirectors()) {
      degraded.add("director " + missing + " does not exist");
      degradedReason = degradedReason == null ? "DirectorMissing" : degradedReason;
    }
    List<DirectorObservation> observed = new ArrayList<>();
    for (DirectorAssignment d : result.directors()) {
      DirectorObservation o = directors.apply(d.node());
      observed.add(o);
      String state = o.vrrpState(instance);
      if ("MASTER".equals(state)) {
        masters.add(d.node());
      }
      Long programmed = previousProgrammed(previous, d.node());
      if (o.appliedCurrentSpec()) {
        programmed = o.sourceGeneration(key).orElse(programmed);
      }
      boolean current = o.appliedCurrentSpec() && o.sourceGeneration(key).orElse(-1L) == generation;
      if (!current) {
        pending.add(d.node() + " (" + o.appliedDescription() + ")");
      }
      directorStatuses.add(new DirectorStatus(d.node(), d.priority(), state, programmed));
      if (!o.exists()) {
        degraded.add("director " + d.node() + " does not exist");
        degradedReason = degradedReason == null ? "DirectorMissing" : degradedReason;
      } else if (!o.ready()) {
        degraded.add("director " + d.node() + " is NotReady");
        degradedReason = degradedReason == null ? "DirectorNotReady" : degradedReason;
      } else if (o.silent()) {
        degraded.add("the agent on " + d.node() + " does not report");
        degradedReason = degradedReason == null ? "AgentSilent" : degradedReason;
      } else if ("FAULT".equals(state)) {
        degraded.add("director " + d.node() + " is in FAULT");
        degradedReason = degradedReason == null ? "DirectorFault" : degradedReason;
      }
    }
    masters = confirmedMasters(masters, directors, instance);
    String previousMaster = previous == null ? null : previous.master();
    String master;
    if (masters.size() == 1) {
      master = masters.getFirst();
    } else if (masters.contains(previousMaster)) {
      master =
          previousMaster; // split brain: the column keeps the master it had; SplitBrain says more
    } else {
      master = null;
    }

    List<RealServerHealth> realServers = new ArrayList<>();
    int healthyCount = 0;
    for (ResolvedRealServer rs : result.realServers()) {
      List<String> up = new ArrayList<>();
      List<String> down = new ArrayList<>();
      String reason = null;
      for (DirectorObservation o : observed) {
        var h = o.health(rs.address(), rs.port());
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
      boolean healthy = master != null ? up.contains(master) : !up.isEmpty();
      healthyCount += healthy ? 1 : 0;
      if (!down.isEmpty()) {
        degraded.add(
            "real server "
                + rs.address()
                + ":"
                + rs.port()
                + " is down on "
                + String.join(", ", down)
                + (reason == null ? "" : ": " + reason));
        degradedReason = degradedReason == null ? "RealServerDown" : degradedReason;
      }
      realServers.add(new RealServerHealth(rs.address(), rs.port(), up, down, reason));
    }
    int total = result.realServers().size();

    Conditions conditions =
        new Conditions(previous == null ? null : previous.conditions(), generation, now);
    String programmedReason;
    String programmedMessage;
    boolean isProgrammed = false;
    if (!result.errors().isEmpty()) {
      programmedReason = REASON_INVALID_SPEC;
      programmedMessage =
          result.errors().stream().map(FieldError::toString).collect(Collectors.joining("; "))
              + (result.programmedGeneration() != null
                  ? "; generation " + result.programmedGeneration() + " keeps running"
                  : "; nothing runs for it");
    } else if (!result.conflicts().isEmpty()) {
      programmedReason = "Conflict";
      programmedMessage = "held back: " + conflictMessage(result.conflicts());
    } else if (result.programmedGeneration() == null) {
      programmedReason = "NotPlaced";
      programmedMessage = "the compiler placed it on no node";
    } else if (result.directors().isEmpty()) {
      programmedReason = "NoDirectors";
      programmedMessage = "no existing node matches spec.directors";
    } else if (!pending.isEmpty()) {
      programmedReason = "Pending";
      programmedMessage =
          "generation " + generation + " not yet applied on " + String.join(", ", pending);
    } else {
      isProgrammed = true;
      programmedReason = "Programmed";
      programmedMessage =
          "generation " + generation + " applied on " + result.directors().size() + " director(s)";
    }

    String readyReason;
    String readyMessage;
    boolean ready = false;
    if (!isProgrammed) {
      readyReason = programmedReason;
      readyMessage = programmedMessage;
    } else if (masters.size() > 1) {
      readyReason = "SplitBrain";
      readyMessage = String.join(", ", masters) + " all report MASTER";
    } else if (master == null) {
      readyReason = "NoMaster";
      readyMessage = "no director reports MASTER for " + instance;
    } else {
      ready = true;
      readyReason = "Ready";
      readyMessage = "VIP held by " + master;
    }
    conditions.add(READY, ready, readyReason, readyMessage);
    conditions.add(PROGRAMMED, isProgrammed, programmedReason, programmedMessage);
    if (degraded.isEmpty()) {
      conditions.add(DEGRADED, false, "AllHealthy", "");
    } else {
      conditions.add(DEGRADED, true, degradedReason, String.join("; ", degraded));
    }
    if (result.conflicts().isEmpty()) {
      conditions.add(CONFLICT, false, "NoConflict", "");
    } else {
      conditions.add(
          CONFLICT,
          true,
          conflictReason(result.conflicts().getFirst().kind()),
          conflictMessage(result.conflicts()));
    }
    if (masters.size() > 1) {
      conditions.add(
          SPLIT_BRAIN,
          true,
          "MultipleMasters",
          String.join(", ", masters) + " all report MASTER for " + instance);
    } else {
      conditions.add(SPLIT_BRAIN, false, "SingleMaster", "");
    }

    Integer vrid = result.virtualRouterId();
    if (vrid == null && previous != null) {
      vrid = previous.virtualRouterId(); // kept so a held-back object gets its VRID back
    }
    return new VirtualServerStatus(
        generation,
        conditions.build(),
        master,
        vrid,
        List.copyOf(directorStatuses),
        List.copyOf(realServers),
        healthyCount + "/" + total,
        healthyCount,
        total);
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
              .health(resolved.address(), resolved.port())
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
          REASON_INVALID_SPEC,
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
