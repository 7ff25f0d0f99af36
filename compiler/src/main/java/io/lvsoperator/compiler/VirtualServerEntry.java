package io.lvsoperator.compiler;

import io.lvsoperator.api.v1alpha1.VirtualServer;
import java.util.ArrayList;
import java.util.List;

/** A VirtualServer on its way through the compiler: what was asked, and what will run. */
final class VirtualServerEntry {
  final VirtualServer current;
  final ObjectKey key;
  final long generation;
  final List<FieldError> errors = new ArrayList<>();

  /**
   * What the TenantPolicies refuse: of the current generation (also in errors), of the last good.
   */
  final List<FieldError> policyViolations = new ArrayList<>();

  final List<Conflict> conflicts = new ArrayList<>();

  /** The version that runs: the current one when valid, else the last good one, else null. */
  ValidVirtualServer valid;

  Long programmedGeneration;
  List<ResolvedRealServer> realServers = List.of();
  InstanceGroup group;

  VirtualServerEntry(VirtualServer current) {
    this.current = current;
    this.key = ObjectKey.of(current);
    this.generation = VirtualServerValidator.generationOf(current);
  }

  /** Valid (or standing in as its last good version) and without conflict. */
  boolean runs() {
    return valid != null && conflicts.isEmpty();
  }

  /** Runs, in an instance that got a VRID: its services reach the nodes. */
  boolean programmed() {
    return runs() && group != null && group.vrid != null;
  }
}
