package io.lvsoperator.agent.nodeconfig;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lvsoperator.agent.health.HealthCheckKey;
import io.lvsoperator.agent.node.NodeAgent;
import io.lvsoperator.agent.node.NodeAgent.DestinationHealth;
import io.lvsoperator.api.v1alpha1.LvsNodeSliceSpec;
import io.lvsoperator.api.v1alpha1.LvsNodeSliceStatus;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What each slice's status should say, and which slices must be written: a slice's status is the
 * generation applied and the destinations of its services that are not healthy ({@code down[]},
 * {@code pending[]}), so a health change concerns only the slices holding that destination ({@link
 * #healthChanged}), and a slice is written only when what it should say differs from what the API
 * server holds ({@link #observed}). Every status stays under {@link #LIMIT_BYTES}: entries beyond
 * are counted in {@code omitted}. Thread-safe.
 */
public final class SliceStatuses {
  /** Bytes of JSON a status stays under (our limit for any object is 256 KiB, spec included). */
  static final int LIMIT_BYTES = 64 * 1024;

  /** Longest reason written; longer ones are cut. */
  static final int MAX_REASON = 256;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, NodeConfig.Slice> applied = new HashMap<>();
  private final Map<String, Set<HealthCheckKey>> keysOfSlice = new HashMap<>();
  private final Map<HealthCheckKey, Set<String>> slicesOfKey = new HashMap<>();
  private final Set<String> dirty = new LinkedHashSet<>();
  private final Map<String, LvsNodeSliceStatus> observed = new HashMap<>();

  /** The slices of a config just applied: those that are new or changed are to be reported. */
  public synchronized void applied(Map<String, NodeConfig.Slice> slices) {
    for (String name : List.copyOf(applied.keySet())) {
      if (!slices.containsKey(name)) {
        applied.remove(name);
        unindex(name);
        dirty.remove(name);
      }
    }
    slices.forEach(
        (name, slice) -> {
          NodeConfig.Slice before = applied.put(name, slice);
          if (!slice.equals(before)) {
            unindex(name);
            index(name, slice.spec());
            dirty.add(name);
          }
        });
  }

  private void index(String name, LvsNodeSliceSpec spec) {
    Set<HealthCheckKey> keys = new HashSet<>();
    for (LvsNodeSliceSpec.Entry e : spec.entries()) {
      e.ipvsServices().forEach(s -> keys.addAll(NodeAgent.checkKeys(s)));
    }
    keysOfSlice.put(name, keys);
    keys.forEach(k -> slicesOfKey.computeIfAbsent(k, x -> new HashSet<>()).add(name));
  }

  private void unindex(String name) {
    Set<HealthCheckKey> keys = keysOfSlice.remove(name);
    if (keys == null) {
      return;
    }
    for (HealthCheckKey k : keys) {
      Set<String> names = slicesOfKey.get(k);
      if (names != null && names.remove(name) && names.isEmpty()) {
        slicesOfKey.remove(k);
      }
    }
  }

  /** A check's verdict changed: the slices holding a destination it decides are to be reported. */
  public synchronized void healthChanged(HealthCheckKey key) {
    dirty.addAll(slicesOfKey.getOrDefault(key, Set.of()));
  }

  /** What the API server holds as slice {@code name}'s status (null: none). */
  public synchronized void observed(String name, LvsNodeSliceStatus status) {
    observed.put(name, status);
  }

  /** Slice {@code name} is gone from the API server. */
  public synchronized void deleted(String name) {
    observed.remove(name);
  }

  /** A write of {@code name} failed: try it again next time. */
  public synchronized void retry(String name) {
    if (applied.containsKey(name)) {
      dirty.add(name);
    }
  }

  /** Slices waiting to be looked at. */
  public synchronized int pending() {
    return dirty.size();
  }

  /**
   * At most {@code max} statuses to write now, by slice name: those of the slices to be reported
   * whose status should differ from what the API server holds. The slices looked at are no longer
   * to be reported (until the next change); those beyond {@code max} wait for the next call.
   *
   * @param health the health of each destination of a service, as the node agent sees it
   */
  public synchronized Map<String, LvsNodeSliceStatus> due(
      Function<LvsNodeSpec.IpvsService, List<DestinationHealth>> health, int max) {
    Map<String, LvsNodeSliceStatus> out = new LinkedHashMap<>();
    var it = dirty.iterator();
    while (it.hasNext() && out.size() < max) {
      String name = it.next();
      it.remove();
      NodeConfig.Slice slice = applied.get(name);
      if (slice == null) {
        continue;
      }
      LvsNodeSliceStatus status = status(slice, health);
      if (!Objects.equals(status, observed.get(name))) {
        out.put(name, status);
      }
    }
    return out;
  }

  /** The status of {@code slice}: its generation, its unhealthy destinations, bounded. */
  static LvsNodeSliceStatus status(
      NodeConfig.Slice slice, Function<LvsNodeSpec.IpvsService, List<DestinationHealth>> health) {
    TreeMap<String, LvsNodeSliceStatus.Down> down = new TreeMap<>();
    TreeMap<String, LvsNodeSliceStatus.Pending> pending = new TreeMap<>();
    for (LvsNodeSliceSpec.Entry e : slice.spec().entries()) {
      for (LvsNodeSpec.IpvsService s : e.ipvsServices()) {
        for (DestinationHealth d : health.apply(s)) {
          String key = sortKey(d.address(), d.port());
          switch (d.verdict()) {
            case DOWN ->
                down.putIfAbsent(
                    key,
                    new LvsNodeSliceStatus.Down(
                        d.address(),
                        d.port(),
                        cut(d.reason()),
                        d.since() == null ? null : d.since().toString()));
            case PENDING ->
                pending.putIfAbsent(key, new LvsNodeSliceStatus.Pending(d.address(), d.port()));
            case UP -> {}
          }
        }
      }
    }
    pending.keySet().removeAll(down.keySet()); // down by one check, pending by another: down
    int budget = LIMIT_BYTES - 200;
    List<LvsNodeSliceStatus.Down> downs = new ArrayList<>();
    List<LvsNodeSliceStatus.Pending> pendings = new ArrayList<>();
    int omitted = 0;
    for (var d : down.values()) {
      int size = size(d) + 1;
      if (size <= budget) {
        downs.add(d);
        budget -= size;
      } else {
        omitted++;
      }
    }
    for (var p : pending.values()) {
      int size = size(p) + 1;
      if (size <= budget) {
        pendings.add(p);
        budget -= size;
      } else {
        omitted++;
      }
    }
    return new LvsNodeSliceStatus(
        slice.generation(), downs, pendings, omitted == 0 ? null : omitted);
  }

  /** Sorts by address (numeric within a family) and port: zero-padded IPv4 octets. */
  private static String sortKey(String address, int port) {
    String a = address;
    if (address.indexOf(':') < 0) {
      StringBuilder b = new StringBuilder();
      for (String octet : address.split("\\.")) {
        b.append("000".substring(Math.min(3, octet.length()))).append(octet).append('.');
      }
      a = b.toString();
    }
    return a + "#" + String.format("%05d", port);
  }

  private static String cut(String reason) {
    if (reason == null || reason.length() <= MAX_REASON) {
      return reason;
    }
    return reason.substring(0, MAX_REASON - 3) + "...";
  }

  private static int size(Object value) {
    try {
      return JSON.writeValueAsBytes(value).length;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + value, e);
    }
  }
}
