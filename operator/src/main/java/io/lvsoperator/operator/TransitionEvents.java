package io.lvsoperator.operator;

import io.fabric8.kubernetes.api.model.Condition;
import io.lvsoperator.api.v1alpha1.RealServerStatus;
import io.lvsoperator.api.v1alpha1.VirtualServerStatus;
import io.lvsoperator.api.v1alpha1.VirtualServerStatus.RealServerHealth;
import io.lvsoperator.api.v1alpha1.VrrpInstanceStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The transitions a person cares about, found by comparing a VirtualServer's previous status with
 * its new one. Pure; {@link EventRecorder} writes them.
 */
final class TransitionEvents {
  private TransitionEvents() {}

  /** One Kubernetes Event to emit. */
  record Note(String type, String reason, String message) {
    static Note normal(String reason, String message) {
      return new Note("Normal", reason, message);
    }

    static Note warning(String reason, String message) {
      return new Note("Warning", reason, message);
    }
  }

  /** The transitions of a VrrpInstance: the master, a conflict, an invalid update. */
  static List<Note> between(VrrpInstanceStatus before, VrrpInstanceStatus after) {
    List<Note> notes = new ArrayList<>();
    masterNotes(before == null ? null : before.master(), after.master(), after.conditions(), notes);
    conditionNotes(before == null ? null : before.conditions(), after.conditions(), notes);
    return notes;
  }

  static List<Note> between(VirtualServerStatus before, VirtualServerStatus after) {
    List<Note> notes = new ArrayList<>();
    masterNotes(before == null ? null : before.master(), after.master(), after.conditions(), notes);

    Map<String, RealServerHealth> old = new HashMap<>();
    if (before != null && before.realServers() != null) {
      before.realServers().forEach(r -> old.put(r.address() + ":" + r.port(), r));
    }
    if (after.realServers() != null) {
      for (RealServerHealth r : after.realServers()) {
        String endpoint = r.address() + ":" + r.port();
        RealServerHealth o = old.get(endpoint);
        List<String> wasDown = o == null || o.unhealthyOn() == null ? List.of() : o.unhealthyOn();
        for (String node : r.unhealthyOn()) {
          if (!wasDown.contains(node)) {
            notes.add(
                Note.warning(
                    "RealServerDown",
                    endpoint
                        + " is down on "
                        + node
                        + (r.reason() == null ? "" : ": " + r.reason())));
          }
        }
        for (String node : r.healthyOn()) {
          if (wasDown.contains(node)) {
            notes.add(Note.normal("RealServerUp", endpoint + " is up again on " + node));
          }
        }
      }
    }

    conditionNotes(before == null ? null : before.conditions(), after.conditions(), notes);
    return notes;
  }

  private static void masterNotes(
      String oldMaster, String newMaster, List<Condition> after, List<Note> notes) {
    if (Objects.equals(oldMaster, newMaster)) {
      return;
    }
    if (oldMaster != null && newMaster != null) {
      notes.add(Note.normal("MasterMoved", "master moved from " + oldMaster + " to " + newMaster));
    } else if (newMaster != null) {
      notes.add(Note.normal("MasterElected", newMaster + " is master"));
    } else if (!Conditions.isTrue(after, StatusAggregator.SPLIT_BRAIN)) {
      notes.add(Note.warning("MasterLost", oldMaster + " is no longer master; no director is"));
    }
  }

  private static void conditionNotes(
      List<Condition> oldConditions, List<Condition> newConditions, List<Note> notes) {
    for (String type : List.of(StatusAggregator.CONFLICT, StatusAggregator.SPLIT_BRAIN)) {
      if (Conditions.isTrue(newConditions, type) && !Conditions.isTrue(oldConditions, type)) {
        String message = Conditions.find(newConditions, type).map(c -> c.getMessage()).orElse("");
        notes.add(Note.warning(type, message));
      }
    }
    for (String reason :
        List.of(StatusAggregator.REASON_INVALID_SPEC, StatusAggregator.REASON_POLICY_VIOLATION)) {
      reasonNote(oldConditions, newConditions, StatusAggregator.PROGRAMMED, reason, notes);
    }
  }

  /** A RealServer the TenantPolicies of its namespace start refusing. */
  static List<Note> between(RealServerStatus before, RealServerStatus after) {
    List<Note> notes = new ArrayList<>();
    reasonNote(
        before == null ? null : before.conditions(),
        after.conditions(),
        StatusAggregator.ACCEPTED,
        StatusAggregator.REASON_POLICY_VIOLATION,
        notes);
    return notes;
  }

  /** A Warning named {@code reason} when condition {@code type} takes that reason. */
  private static void reasonNote(
      List<Condition> oldConditions,
      List<Condition> newConditions,
      String type,
      String reason,
      List<Note> notes) {
    if (reason.equals(Conditions.reason(newConditions, type))
        && !reason.equals(Conditions.reason(oldConditions, type))) {
      notes.add(
          Note.warning(
              reason, Conditions.find(newConditions, type).map(c -> c.getMessage()).orElse("")));
    }
  }
}
