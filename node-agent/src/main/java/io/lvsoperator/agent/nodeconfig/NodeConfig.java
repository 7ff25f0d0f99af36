package io.lvsoperator.agent.nodeconfig;

import io.lvsoperator.api.v1alpha1.LvsNodeHeadSpec;
import io.lvsoperator.api.v1alpha1.LvsNodeSliceSpec;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.compiler.NodeSlices;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One node's config as the API server holds it (or as the cache kept it): the head, the slices and
 * the VRRP passwords the head's {@code authPassKey}s name.
 *
 * @param head the {@code LvsNode} spec, null when there is no LvsNode
 * @param headGeneration its {@code metadata.generation}, 0 without a head
 * @param slices the node's slices by name
 * @param passwords the values of the {@code lvs-vrrp-auth} Secret by key, empty when there is none
 */
public record NodeConfig(
    LvsNodeSpec head,
    long headGeneration,
    SortedMap<String, Slice> slices,
    Map<String, String> passwords) {

  public NodeConfig {
    slices = new TreeMap<>(slices);
    passwords = Map.copyOf(passwords);
  }

  /** One slice and the generation it is. */
  public record Slice(long generation, LvsNodeSliceSpec spec) {}

  /** Neither head nor slices. */
  public static final NodeConfig NONE = new NodeConfig(null, 0, new TreeMap<>(), Map.of());

  public boolean hasHead() {
    return head != null;
  }

  /**
   * Whether the head is a complete spec (VirtualServers' services, VIPs and passwords inline), as
   * an operator that writes no slices writes it: it is then applied as it is, slices ignored.
   */
  public boolean headIsComplete() {
    return head != null
        && (!head.ipvsServices().isEmpty()
            || !head.realServerVips().isEmpty()
            || !head.sources().isEmpty()
            || head.vrrpInstances().stream()
                .anyMatch(
                    i ->
                        i.authPass() != null
                            || i.vips().stream().anyMatch(v -> v.source() != null)
                            || i.excludedVips().stream().anyMatch(v -> v.source() != null)));
  }

  /** Whether the head names a password, so the Secret must have been read before applying. */
  public boolean needsPasswords() {
    return head != null
        && !headIsComplete()
        && head.vrrpInstances().stream().anyMatch(i -> i.authPassKey() != null);
  }

  /**
   * The complete spec: the head as it is when it is complete, else {@link NodeSlices#merge} of the
   * head (none: no VRRP instances) and the slices.
   *
   * @throws IllegalArgumentException when a password the head names is not in {@code passwords}
   */
  public LvsNodeSpec spec() {
    if (headIsComplete()) {
      return head;
    }
    LvsNodeHeadSpec h =
        head == null
            ? new LvsNodeHeadSpec(List.of(), List.of())
            : new LvsNodeHeadSpec(head.vrrpInstances(), head.syncGroups());
    List<LvsNodeSliceSpec> specs = new ArrayList<>(slices.size());
    slices.values().forEach(s -> specs.add(s.spec()));
    return NodeSlices.merge(h, specs, passwords);
  }

  /** The same config with these passwords. */
  public NodeConfig withPasswords(Map<String, String> newPasswords) {
    return new NodeConfig(head, headGeneration, slices, newPasswords);
  }
}
