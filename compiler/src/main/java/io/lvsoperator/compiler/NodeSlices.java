package io.lvsoperator.compiler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lvsoperator.api.v1alpha1.LvsNodeHeadSpec;
import io.lvsoperator.api.v1alpha1.LvsNodeSliceSpec;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
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
import java.util.TreeSet;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * Cuts one node's complete {@link LvsNodeSpec} into a head and slices, and puts them back together
 * (design doc §3). Pure: the operator writes what {@link #split} plans, the agent applies what
 * {@link #merge} returns, and {@code merge(split(x)) == x}.
 *
 * <p>The head holds the VRRP instances (settings, this node's priority, the VrrpInstance's own
 * addresses, {@code authPassKey} instead of the password) and sync groups. Each slice holds
 * entries, one per VirtualServer: its addresses in the instances, its IPVS services and its
 * loopback VIPs. Assignment is sticky: an entry stays in its slice while the slice stays within the
 * budget; a new entry, or one its slice had to shed, goes to the fullest slice it fits in, else to
 * a new slice.
 */
public final class NodeSlices {
  /** What a slice's JSON should stay under. */
  public static final int TARGET_BYTES = 128 * 1024;

  /** What no object we write may exceed. */
  public static final int HARD_LIMIT_BYTES = 256 * 1024;

  /** Room for a slice's metadata (name, label, owner reference) and its spec's frame. */
  static final int SLICE_OVERHEAD_BYTES = 512;

  private static final ObjectMapper JSON = new ObjectMapper();

  private NodeSlices() {}

  /** One write, in the order the writes must happen. */
  public record Write(Kind kind, String name, LvsNodeSliceSpec spec) {
    /** Create or replace the slice with {@code spec}, or delete it ({@code spec} null). */
    public enum Kind {
      PUT,
      DELETE
    }
  }

  /**
   * What to write for one node.
   *
   * @param head the node's head (to write before the slices: a slice's addresses name its
   *     instances)
   * @param authPasswords the VRRP passwords the head's {@code authPassKey}s name, for the
   *     lvs-vrrp-auth Secret
   * @param slices every slice of the node after the writes, by name
   * @param writes the slice writes, in order: first the slices that gain an entry, then those that
   *     only change or lose entries, then the deletions; so an entry that moves is in its new slice
   *     before it leaves the old one
   * @param oversized the VirtualServers (namespace/name) whose entry alone exceeds {@link
   *     #HARD_LIMIT_BYTES}: each still has a slice of its own, which the API server may refuse
   */
  public record Plan(
      LvsNodeHeadSpec head,
      SortedMap<String, String> authPasswords,
      SortedMap<String, LvsNodeSliceSpec> slices,
      List<Write> writes,
      List<String> oversized) {}

  /**
   * Plans the head and slices of {@code node}'s {@code spec}, given the node's slices as they are
   * ({@code existing}, by name) and a budget per slice in bytes of JSON.
   *
   * @throws IllegalArgumentException when an item of {@code spec} names no source of it (a spec not
   *     made by the compiler)
   */
  public static Plan split(
      String node, LvsNodeSpec spec, Map<String, LvsNodeSliceSpec> existing, int budgetBytes) {
    return split(node, spec, existing, budgetBytes, NodeSlices::size);
  }

  /**
   * {@link #split(String, LvsNodeSpec, Map, int)} with the bytes of an entry's JSON from {@code
   * entryBytes} (a caller that splits often may remember them: serializing every entry of a node is
   * most of a split's cost).
   */
  public static Plan split(
      String node,
      LvsNodeSpec spec,
      Map<String, LvsNodeSliceSpec> existing,
      int budgetBytes,
      ToIntFunction<LvsNodeSliceSpec.Entry> entryBytes) {
    SortedMap<String, String> passwords = new TreeMap<>();
    LvsNodeHeadSpec head = head(spec, passwords);
    SortedMap<String, LvsNodeSliceSpec.Entry> entries = entries(spec);
    Assignment assignment = new Assignment(node, existing, entries, budgetBytes, entryBytes);
    assignment.place();
    return assignment.plan(head, passwords);
  }

  /**
   * The complete spec of a head and slices. An entry found in two slices (while it moves) counts
   * once, its highest generation; addresses of instances the head does not have are left out.
   *
   * @param authPasswords the values of the lvs-vrrp-auth Secret, by key
   * @throws IllegalArgumentException when a head instance's {@code authPassKey} has no value
   */
  public static LvsNodeSpec merge(
      LvsNodeHeadSpec head,
      Collection<LvsNodeSliceSpec> slices,
      Map<String, String> authPasswords) {
    SortedMap<ObjectKey, LvsNodeSliceSpec.Entry> entries = new TreeMap<>();
    for (LvsNodeSliceSpec slice : slices) {
      for (LvsNodeSliceSpec.Entry e : slice.entries()) {
        ObjectKey k = new ObjectKey(e.source().namespace(), e.source().name());
        entries.merge(k, e, (a, b) -> b.source().generation() > a.source().generation() ? b : a);
      }
    }
    Map<String, List<LvsNodeSpec.Vip>> advertised = new HashMap<>();
    Map<String, List<LvsNodeSpec.Vip>> excluded = new HashMap<>();
    List<LvsNodeSpec.IpvsService> services = new ArrayList<>();
    Set<String> loopback = new TreeSet<>();
    List<LvsNodeSpec.Source> sources = new ArrayList<>();
    entries.forEach(
        (k, e) -> {
          String source = k.toString();
          for (LvsNodeSliceSpec.Vip v : e.vips()) {
            var vip =
                new LvsNodeSpec.Vip(
                    v.address(), v.prefixLength(), v.label(), v.interfaceName(), source);
            (v.excluded() ? excluded : advertised)
                .computeIfAbsent(v.instance(), x -> new ArrayList<>())
                .add(vip);
          }
          e.ipvsServices().forEach(s -> services.add(s.withSource(source)));
          loopback.addAll(e.realServerVips());
          sources.add(
              new LvsNodeSpec.Source(
                  k.namespace(), k.name(), e.source().generation(), e.realServerVips()));
        });
    List<LvsNodeSpec.VrrpInstance> instances = new ArrayList<>();
    for (LvsNodeSpec.VrrpInstance i : head.vrrpInstances()) {
      instances.add(
          whole(
              i,
              advertised.getOrDefault(i.name(), List.of()),
              excluded.getOrDefault(i.name(), List.of()),
              authPasswords));
    }
    instances.sort(Comparator.comparing(LvsNodeSpec.VrrpInstance::name));
    services.sort(NodeSpecEmitter.SERVICE_ORDER);
    return new LvsNodeSpec(
        instances, services, new ArrayList<>(loopback), sources, head.syncGroups());
  }

  /**
   * The head of {@code spec} as {@link #split} plans it: the VRRP instances with their own
   * addresses only and {@code authPassKey} in place of the password, and the sync groups.
   */
  public static LvsNodeHeadSpec head(LvsNodeSpec spec) {
    return head(spec, new TreeMap<>());
  }

  /** The passwords the head of {@code spec} names, by {@code authPassKey}. */
  public static SortedMap<String, String> authPasswords(LvsNodeSpec spec) {
    SortedMap<String, String> passwords = new TreeMap<>();
    for (LvsNodeSpec.VrrpInstance i : spec.vrrpInstances()) {
      if (i.authPass() != null) {
        passwords.put(authPassKey(i), i.authPass());
      }
    }
    return passwords;
  }

  /** The head of {@code spec}: instances with their own addresses only, passwords by key. */
  private static LvsNodeHeadSpec head(LvsNodeSpec spec, Map<String, String> passwords) {
    List<LvsNodeSpec.VrrpInstance> instances = new ArrayList<>();
    for (LvsNodeSpec.VrrpInstance i : spec.vrrpInstances()) {
      String key = null;
      if (i.authPass() != null) {
        key = authPassKey(i);
        passwords.put(key, i.authPass());
      }
      instances.add(
          i.withAddresses(
              i.vips().stream().filter(v -> v.source() == null).toList(),
              i.excludedVips().stream().filter(v -> v.source() == null).toList(),
              null,
              key));
    }
    return new LvsNodeHeadSpec(instances, spec.syncGroups());
  }

  /**
   * The key of an instance's password in the lvs-vrrp-auth Secret: {@code <namespace>.<name>} of
   * its VrrpInstance, or {@code vs_<namespace>.<name>} of the first VirtualServer (by name) of an
   * instance without one. Namespaces hold no '_', so the two kinds never collide.
   */
  static String authPassKey(LvsNodeSpec.VrrpInstance i) {
    if (i.definedBy() != null) {
      return i.definedBy().replace('/', '.');
    }
    return "vs_"
        + Stream.concat(i.vips().stream(), i.excludedVips().stream())
            .map(LvsNodeSpec.Vip::source)
            .filter(Objects::nonNull)
            .min(Comparator.naturalOrder())
            .orElse("instance/" + i.name())
            .replace('/', '.');
  }

  /** A head instance made whole: own addresses first, then the members' by numeric address. */
  private static LvsNodeSpec.VrrpInstance whole(
      LvsNodeSpec.VrrpInstance i,
      List<LvsNodeSpec.Vip> memberVips,
      List<LvsNodeSpec.Vip> memberExcluded,
      Map<String, String> authPasswords) {
    String authPass = null;
    if (i.authPassKey() != null) {
      authPass = authPasswords.get(i.authPassKey());
      if (authPass == null) {
        throw new IllegalArgumentException(
            "vrrpInstances[" + i.name() + "].authPassKey: " + i.authPassKey() + " has no value");
      }
    }
    return i.withAddresses(
        concat(i.vips(), memberVips), concat(i.excludedVips(), memberExcluded), authPass, null);
  }

  private static List<LvsNodeSpec.Vip> concat(
      List<LvsNodeSpec.Vip> own, List<LvsNodeSpec.Vip> members) {
    List<LvsNodeSpec.Vip> sorted = new ArrayList<>(members);
    sorted.sort(Addresses.NUMERIC_VIPS);
    List<LvsNodeSpec.Vip> out = new ArrayList<>(own);
    out.addAll(sorted);
    return out;
  }

  /** One entry per source of {@code spec}, by namespace/name. */
  private static SortedMap<String, LvsNodeSliceSpec.Entry> entries(LvsNodeSpec spec) {
    Map<String, LvsNodeSpec.Source> sources = new LinkedHashMap<>();
    spec.sources().forEach(s -> sources.put(s.key(), s));
    Map<String, List<LvsNodeSliceSpec.Vip>> vips = new HashMap<>();
    Map<String, List<LvsNodeSpec.IpvsService>> services = new HashMap<>();
    for (LvsNodeSpec.VrrpInstance i : spec.vrrpInstances()) {
      for (var v : i.vips()) {
        addVip(sources, vips, i, v, false);
      }
      for (var v : i.excludedVips()) {
        addVip(sources, vips, i, v, true);
      }
    }
    for (int n = 0; n < spec.ipvsServices().size(); n++) {
      var s = spec.ipvsServices().get(n);
      if (s.source() == null || !sources.containsKey(s.source())) {
        throw new IllegalArgumentException(
            "ipvsServices[" + n + "].source: " + s.source() + " names no sources[] entry");
      }
      services.computeIfAbsent(s.source(), k -> new ArrayList<>()).add(s.withSource(null));
    }
    SortedMap<String, LvsNodeSliceSpec.Entry> out = new TreeMap<>();
    sources.forEach(
        (k, s) ->
            out.put(
                k,
                new LvsNodeSliceSpec.Entry(
                    new LvsNodeSliceSpec.Source(s.namespace(), s.name(), s.generation()),
                    vips.getOrDefault(k, List.of()),
                    services.getOrDefault(k, List.of()),
                    s.realServerVips())));
    return out;
  }

  private static void addVip(
      Map<String, LvsNodeSpec.Source> sources,
      Map<String, List<LvsNodeSliceSpec.Vip>> vips,
      LvsNodeSpec.VrrpInstance i,
      LvsNodeSpec.Vip v,
      boolean excluded) {
    if (v.source() == null) {
      return; // the VrrpInstance's own: in the head
    }
    if (!sources.containsKey(v.source())) {
      throw new IllegalArgumentException(
          "vrrpInstances["
              + i.name()
              + "]: VIP "
              + v.address()
              + " names no sources[] entry "
              + v.source());
    }
    vips.computeIfAbsent(v.source(), k -> new ArrayList<>())
        .add(
            new LvsNodeSliceSpec.Vip(
                i.name(), v.address(), v.prefixLength(), v.label(), v.interfaceName(), excluded));
  }

  /** Bytes of {@code value} as JSON. */
  public static int size(Object value) {
    try {
      return JSON.writeValueAsBytes(value).length;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
    }
  }

  /**
   * The name of {@code node}'s slice number {@code n}: {@code <node>-<n>}, hashed when too long.
   */
  static String sliceName(String node, int n) {
    String plain = node + "-" + n;
    if (plain.length() <= 253) {
      return plain;
    }
    CRC32 crc = new CRC32();
    crc.update(node.getBytes(StandardCharsets.UTF_8));
    String hash = String.format("%08x", crc.getValue());
    String prefix = node.substring(0, 253 - hash.length() - 2 - Integer.toString(n).length());
    return prefix + "-" + hash + "-" + n;
  }

  /** Where each entry goes: the node's slices as they are, and as they will be. */
  private static final class Assignment {
    private final String node;
    private final Map<String, LvsNodeSliceSpec> existing;
    private final SortedMap<String, LvsNodeSliceSpec.Entry> entries;
    private final int budget;
    private final Map<String, Integer> sizes = new HashMap<>();

    /** Slice name to the keys of its entries. */
    private final SortedMap<String, TreeSet<String>> slices = new TreeMap<>();

    /** Slices that shed entries this time: no entry goes into them. */
    private final Set<String> shedding = new HashSet<>();

    private final Set<String> oversized = new TreeSet<>();

    /** Bytes of each slice as planned so far. */
    private final Map<String, Integer> filled = new HashMap<>();

    /** The lowest number a new slice may take (numbers in use are skipped). */
    private int nextNumber;

    Assignment(
        String node,
        Map<String, LvsNodeSliceSpec> existing,
        SortedMap<String, LvsNodeSliceSpec.Entry> entries,
        int budget,
        ToIntFunction<LvsNodeSliceSpec.Entry> entryBytes) {
      this.node = node;
      this.existing = existing;
      this.entries = entries;
      this.budget = budget;
      entries.forEach((k, e) -> sizes.put(k, entryBytes.applyAsInt(e) + 1));
    }

    void place() {
      Set<String> placed = new HashSet<>();
      new TreeMap<>(existing)
          .forEach(
              (name, slice) -> {
                TreeSet<String> keys = new TreeSet<>();
                for (LvsNodeSliceSpec.Entry e : slice.entries()) {
                  String k = e.source().namespace() + "/" + e.source().name();
                  if (entries.containsKey(k) && placed.add(k)) {
                    keys.add(k);
                  }
                }
                slices.put(name, keys);
              });
      slices.forEach(
          (name, keys) ->
              filled.put(name, SLICE_OVERHEAD_BYTES + keys.stream().mapToInt(sizes::get).sum()));
      List<String> unplaced = new ArrayList<>();
      for (var slice : slices.entrySet()) {
        // Over the budget: shed the last entries, keeping at least one.
        String name = slice.getKey();
        while (slice.getValue().size() > 1 && filled.get(name) > budget) {
          String shed = slice.getValue().pollLast();
          filled.merge(name, -sizes.get(shed), Integer::sum);
          unplaced.add(shed);
          shedding.add(name);
        }
      }
      for (String k : entries.keySet()) {
        if (!placed.contains(k)) {
          unplaced.add(k);
        }
      }
      unplaced.sort(Comparator.naturalOrder());
      for (String k : unplaced) {
        String name = target(k);
        slices.get(name).add(k);
        filled.merge(name, sizes.get(k), Integer::sum);
      }
    }

    /** The fullest slice {@code k} fits in, else a new one. */
    private String target(String k) {
      String best = null;
      int bestBytes = -1;
      for (var slice : slices.entrySet()) {
        if (shedding.contains(slice.getKey())) {
          continue;
        }
        int now = filled.get(slice.getKey());
        if (now + sizes.get(k) <= budget && now > bestBytes) {
          best = slice.getKey();
          bestBytes = now;
        }
      }
      if (best != null) {
        return best;
      }
      if (SLICE_OVERHEAD_BYTES + sizes.get(k) > HARD_LIMIT_BYTES) {
        oversized.add(k);
      }
      while (slices.containsKey(sliceName(node, nextNumber))
          || existing.containsKey(sliceName(node, nextNumber))) {
        nextNumber++;
      }
      String name = sliceName(node, nextNumber);
      slices.put(name, new TreeSet<>());
      filled.put(name, SLICE_OVERHEAD_BYTES);
      return name;
    }

    Plan plan(LvsNodeHeadSpec head, SortedMap<String, String> passwords) {
      SortedMap<String, LvsNodeSliceSpec> result = new TreeMap<>();
      List<Write> gaining = new ArrayList<>();
      List<Write> changing = new ArrayList<>();
      List<Write> deleting = new ArrayList<>();
      slices.forEach(
          (name, keys) -> {
            LvsNodeSliceSpec before = existing.get(name);
            if (keys.isEmpty()) {
              if (before != null) {
                deleting.add(new Write(Write.Kind.DELETE, name, null));
              }
              return;
            }
            List<LvsNodeSliceSpec.Entry> list = new ArrayList<>();
            keys.forEach(k -> list.add(entries.get(k)));
            LvsNodeSliceSpec after = new LvsNodeSliceSpec(node, list);
            result.put(name, after);
            if (after.equals(before)) {
              return;
            }
            Set<String> had = new HashSet<>();
            if (before != null) {
              before
                  .entries()
                  .forEach(e -> had.add(e.source().namespace() + "/" + e.source().name()));
            }
            boolean gains = keys.stream().anyMatch(k -> !had.contains(k));
            (gains ? gaining : changing).add(new Write(Write.Kind.PUT, name, after));
          });
      List<Write> writes = new ArrayList<>(gaining);
      writes.addAll(changing);
      writes.addAll(deleting);
      return new Plan(head, passwords, result, writes, List.copyOf(oversized));
    }
  }
}
