package io.lvsoperator.operator;

import io.lvsoperator.api.v1alpha1.LvsNodeSlice;
import io.lvsoperator.api.v1alpha1.LvsNodeSliceSpec;
import io.lvsoperator.api.v1alpha1.LvsNodeSliceStatus;
import io.lvsoperator.compiler.ObjectKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one node's agent reports in the status of that node's slices, indexed for lookups: for each
 * VirtualServer, the slices that hold it, the generation each holds, whether the agent has applied
 * that slice, and which of its destinations the agent finds down or has not decided yet. A slice's
 * status lists only the destinations that are not healthy ({@code down[]}, {@code pending[]}), so a
 * destination of a slice the agent reports on is healthy unless listed (or unless the agent left
 * some out to keep the status small: {@code omitted}).
 */
final class SliceReport {
  static final SliceReport NONE = new SliceReport(Map.of());

  /** One slice as the agent reports it. */
  record Slice(
      String name,
      Long generation,
      Long observedGeneration,
      boolean applied,
      boolean reported,
      boolean partial,
      Map<String, LvsNodeSliceStatus.Down> down,
      Set<String> pending) {}

  /** A slice holding a VirtualServer, at the VirtualServer's generation it holds. */
  record Held(long generation, Slice slice) {}

  private final Map<ObjectKey, List<Held>> byVirtualServer;

  private SliceReport(Map<ObjectKey, List<Held>> byVirtualServer) {
    this.byVirtualServer = byVirtualServer;
  }

  static SliceReport of(List<LvsNodeSlice> slices) {
    Map<ObjectKey, List<Held>> by = new HashMap<>();
    for (LvsNodeSlice s : slices) {
      LvsNodeSliceSpec spec = s.getSpec();
      if (spec == null) {
        continue;
      }
      Slice slice = slice(s);
      for (LvsNodeSliceSpec.Entry e : spec.entries()) {
        if (e.source() == null) {
          continue;
        }
        by.computeIfAbsent(
                new ObjectKey(e.source().namespace(), e.source().name()), k -> new ArrayList<>(1))
            .add(new Held(e.source().generation(), slice));
      }
    }
    return new SliceReport(by);
  }

  private static Slice slice(LvsNodeSlice s) {
    LvsNodeSliceStatus status = s.getStatus();
    Long generation = s.getMetadata().getGeneration();
    boolean reported = status != null && status.observedGeneration() != null;
    boolean applied = reported && status.observedGeneration().equals(generation);
    Map<String, LvsNodeSliceStatus.Down> down = new HashMap<>();
    Set<String> pending = new HashSet<>();
    boolean partial = false;
    if (status != null) {
      if (status.down() != null) {
        for (LvsNodeSliceStatus.Down d : status.down()) {
          if (d != null && d.address() != null && d.port() != null) {
            down.putIfAbsent(d.address() + ":" + d.port(), d);
          }
        }
      }
      if (status.pending() != null) {
        for (LvsNodeSliceStatus.Pending p : status.pending()) {
          if (p != null && p.address() != null && p.port() != null) {
            pending.add(p.address() + ":" + p.port());
          }
        }
      }
      partial = status.omitted() != null && status.omitted() > 0;
    }
    return new Slice(
        s.getMetadata().getName(),
        generation,
        reported ? status.observedGeneration() : null,
        applied,
        reported,
        partial,
        down,
        pending);
  }

  /**
   * The VirtualServer's generation the agent has applied from the slices: the highest generation a
   * slice it has applied holds (an entry moving between slices is in both for a moment).
   */
  Optional<Long> appliedGeneration(ObjectKey virtualServer) {
    Long best = null;
    for (Held h : byVirtualServer.getOrDefault(virtualServer, List.of())) {
      if (h.slice().applied() && (best == null || h.generation() > best)) {
        best = h.generation();
      }
    }
    return Optional.ofNullable(best);
  }

  /** For messages: the slices holding the VirtualServer, and what the agent applied of each. */
  String describe(ObjectKey virtualServer) {
    List<Held> held = byVirtualServer.getOrDefault(virtualServer, List.of());
    if (held.isEmpty()) {
      return "no LvsNodeSlice holds it";
    }
    List<String> parts = new ArrayList<>();
    for (Held h : held) {
      Slice s = h.slice();
      parts.add(
          "generation "
              + h.generation()
              + " in LvsNodeSlice "
              + s.name()
              + ", applied generation "
              + (s.observedGeneration() == null ? "none" : s.observedGeneration())
              + " of "
              + s.generation());
    }
    return String.join("; ", parts);
  }

  /**
   * A destination of the VirtualServer as the agent reports it: down (with the reason), healthy (a
   * slice holding it is reported on and does not list it), or unknown (not decided yet, not
   * reported, or possibly among what the agent left out).
   */
  Optional<Verdict> destination(ObjectKey virtualServer, String address, int port) {
    String key = address + ":" + port;
    boolean known = false;
    for (Held h : byVirtualServer.getOrDefault(virtualServer, List.of())) {
      Slice s = h.slice();
      LvsNodeSliceStatus.Down d = s.down().get(key);
      if (d != null) {
        return Optional.of(new Verdict(false, d.reason(), d.since()));
      }
      if (s.reported() && !s.partial() && !s.pending().contains(key)) {
        known = true;
      }
    }
    return known ? Optional.of(new Verdict(true, null, null)) : Optional.empty();
  }

  /** A destination's health as reported. */
  record Verdict(boolean healthy, String reason, String since) {}
}
