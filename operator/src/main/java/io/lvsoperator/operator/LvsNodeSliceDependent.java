package io.lvsoperator.operator;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.dependent.BulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.Matcher.Result;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.lvsoperator.api.v1alpha1.LvsNodeSlice;
import io.lvsoperator.api.v1alpha1.LvsNodeSliceSpec;
import io.lvsoperator.compiler.NodeSlices;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's {@code LvsNodeSlice}s, a bulk dependent resource of its {@code Node} keyed by slice
 * name: labelled {@code lvsoperator.io/node=<node>}, owned by the Node, their specs as {@link
 * NodeSlices#split} plans them (design doc §3). JOSDK creates the missing ones, patches those that
 * differ (in the map's order, which is the plan's: the slices an entry moves into before those it
 * leaves), and deletes the ones no longer desired.
 *
 * <p>JOSDK deletes extra slices before it writes the others. So that an entry moving out of a slice
 * that goes away is never missing from every slice, a slice the plan deletes while it still holds
 * entries stays one more reconcile, emptied and written after the slices gaining its entries; the
 * next reconcile (its own write's event, at the latest the resync) deletes it.
 */
final class LvsNodeSliceDependent extends CRUDKubernetesDependentResource<LvsNodeSlice, Node>
    implements BulkDependentResource<LvsNodeSlice, Node, String> {
  private static final Logger LOG = LoggerFactory.getLogger(LvsNodeSliceDependent.class);

  /** The informer's index of slices by node (the label). */
  static final String BY_NODE = "node";

  private final OperatorMetrics metrics;
  private final BiConsumer<LvsNodeSlice, LvsNodeSlice> agentReports;

  /**
   * @param agentReports hears every change an agent makes to a slice's status (before, after)
   */
  LvsNodeSliceDependent(
      OperatorMetrics metrics, BiConsumer<LvsNodeSlice, LvsNodeSlice> agentReports) {
    super(LvsNodeSlice.class, "lvsnodeslices");
    this.metrics = metrics;
    this.agentReports = agentReports;
  }

  /** The node's slices as the informer (and JOSDK's cache of our own writes) holds them. */
  @Override
  public Map<String, LvsNodeSlice> getSecondaryResources(Node node, Context<Node> context) {
    Map<String, LvsNodeSlice> out = new HashMap<>();
    for (LvsNodeSlice s : eventSource().orElseThrow().getSecondaryResources(node)) {
      out.put(s.getMetadata().getName(), s);
    }
    return out;
  }

  /** The specs of the node's slices, for the plan. */
  Map<String, LvsNodeSliceSpec> existing(Node node, Context<Node> context) {
    Map<String, LvsNodeSliceSpec> out = new HashMap<>();
    getSecondaryResources(node, context)
        .forEach(
            (name, s) ->
                out.put(
                    name,
                    s.getSpec() == null
                        ? new LvsNodeSliceSpec(node.getMetadata().getName(), List.of())
                        : s.getSpec()));
    return out;
  }

  @Override
  public Map<String, LvsNodeSlice> desiredResources(Node node, Context<Node> context) {
    NodeConfigPlan plan = NodeConfigPlan.of(context);
    String nodeName = node.getMetadata().getName();
    Map<String, LvsNodeSlice> desired = new LinkedHashMap<>();
    for (NodeSlices.Write w : plan.split().writes()) {
      if (w.kind() == NodeSlices.Write.Kind.PUT) {
        desired.put(w.name(), slice(nodeName, w.name(), w.spec()));
      } else if (!plan.existing().get(w.name()).entries().isEmpty()) {
        // Deleted once it is empty, so the slices gaining its entries are written first.
        desired.put(w.name(), slice(nodeName, w.name(), new LvsNodeSliceSpec(nodeName, null)));
      }
    }
    plan.split()
        .slices()
        .forEach((name, spec) -> desired.putIfAbsent(name, slice(nodeName, name, spec)));
    return desired;
  }

  private static LvsNodeSlice slice(String node, String name, LvsNodeSliceSpec spec) {
    LvsNodeSlice slice = new LvsNodeSlice();
    slice.setMetadata(new ObjectMetaBuilder().withName(name).withLabels(labels(node)).build());
    slice.setSpec(spec);
    return slice;
  }

  private static Map<String, String> labels(String node) {
    return Map.of(NodeOwned.MANAGED_BY, NodeOwned.OPERATOR, LvsNodeSlice.NODE_LABEL, node);
  }

  @Override
  public Result<LvsNodeSlice> match(
      LvsNodeSlice actual, LvsNodeSlice desired, Node node, Context<Node> context) {
    return Result.computed(
        NodeOwned.matches(
            actual, actual.getSpec(), desired.getSpec(), desired.getMetadata().getLabels(), node),
        desired);
  }

  @Override
  public LvsNodeSlice create(LvsNodeSlice desired, Node node, Context<Node> context) {
    LvsNodeSlice created = super.create(desired, node, context);
    written("created", created, desired, node);
    return created;
  }

  /**
   * Writes a changed slice. When only some entries changed (the same VirtualServers in the same
   * order, our labels and owner in place), a JSON patch replaces just those entries, each guarded
   * by a test of its VirtualServer: a slice holds about 60 entries, and one changed VirtualServer
   * costs its entry's bytes, not the slice's. Otherwise, or when a guard fails (someone else
   * changed the slice), the whole spec is written: a JSON patch, or a server-side apply when that
   * is on.
   */
  @Override
  public LvsNodeSlice update(
      LvsNodeSlice actual, LvsNodeSlice desired, Node node, Context<Node> context) {
    List<Map<String, Object>> entryOps = entryPatch(actual, desired, node);
    LvsNodeSlice updated = null;
    if (entryOps != null) {
      var client = context.getClient();
      try {
        updated =
            client
                .resource(actual)
                .patch(
                    PatchContext.of(PatchType.JSON),
                    client.getKubernetesSerialization().asJson(entryOps));
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          throw e;
        }
        LOG.info(
            "event=lvsnodeslice_entry_patch_refused node={} slice={} code={} action=write_whole",
            node.getMetadata().getName(),
            desired.getMetadata().getName(),
            e.getCode());
      }
    }
    if (updated == null) {
      updated =
          useSSA(context)
              ? super.update(actual, desired, node, context)
              : NodeOwned.patchSpec(
                  context.getClient(),
                  actual,
                  desired.getSpec(),
                  desired.getMetadata().getLabels(),
                  node);
    }
    written("updated", updated, desired, node);
    return updated;
  }

  /**
   * A JSON patch that replaces the entries that differ, each after a test that the slice still
   * holds the same VirtualServer there; null when more than entries changed (an entry came or went,
   * or the order, labels or owner differ).
   */
  static List<Map<String, Object>> entryPatch(
      LvsNodeSlice actual, LvsNodeSlice desired, Node node) {
    if (actual.getSpec() == null
        || !Objects.equals(actual.getSpec().node(), desired.getSpec().node())
        || !NodeOwned.labelled(actual, desired.getMetadata().getLabels())
        || !NodeOwned.ownedBy(actual, node)) {
      return null;
    }
    List<LvsNodeSliceSpec.Entry> before = actual.getSpec().entries();
    List<LvsNodeSliceSpec.Entry> after = desired.getSpec().entries();
    if (before.size() != after.size()) {
      return null;
    }
    List<Map<String, Object>> ops = new ArrayList<>();
    for (int i = 0; i < after.size(); i++) {
      LvsNodeSliceSpec.Source was = before.get(i).source();
      LvsNodeSliceSpec.Source is = after.get(i).source();
      if (was == null
          || is == null
          || !was.namespace().equals(is.namespace())
          || !was.name().equals(is.name())) {
        return null;
      }
      if (!before.get(i).equals(after.get(i))) {
        String at = "/spec/entries/" + i;
        ops.add(Map.of("op", "test", "path", at + "/source/namespace", "value", was.namespace()));
        ops.add(Map.of("op", "test", "path", at + "/source/name", "value", was.name()));
        ops.add(Map.of("op", "replace", "path", at, "value", after.get(i)));
      }
    }
    return ops.isEmpty() ? null : ops;
  }

  private void written(String how, LvsNodeSlice written, LvsNodeSlice desired, Node node) {
    metrics.write("LvsNodeSlice");
    LOG.info(
        "event=lvsnodeslice_{} node={} slice={} generation={} entries={}",
        how,
        node.getMetadata().getName(),
        desired.getMetadata().getName(),
        written.getMetadata().getGeneration(),
        desired.getSpec().entries().size());
  }

  @Override
  public void deleteTargetResource(
      Node node, LvsNodeSlice slice, String name, Context<Node> context) {
    context.getClient().resource(slice).delete();
    metrics.write("LvsNodeSliceDelete");
    LOG.info("event=lvsnodeslice_deleted node={} slice={}", node.getMetadata().getName(), name);
  }

  @Override
  protected InformerEventSource<LvsNodeSlice, Node> createEventSource(
      EventSourceContext<Node> context) {
    var configuration =
        InformerEventSourceConfiguration.from(LvsNodeSlice.class, Node.class)
            .withName("lvsnodeslices")
            .withWatchAllNamespaces()
            .withLabelSelector(LvsNodeSlice.NODE_LABEL)
            .withSecondaryToPrimaryMapper(
                slice -> {
                  String node = NodeOwned.labels(slice).get(LvsNodeSlice.NODE_LABEL);
                  return node == null ? Set.of() : Set.of(new ResourceID(node));
                })
            // An agent's status write changes nothing this dependent writes.
            .withOnUpdateFilter(
                (now, before) ->
                    NodeOwned.writtenPartsDiffer(now, now.getSpec(), before, before.getSpec()))
            .build();
    var source =
        new ReportingInformer<>(configuration, context, LvsNodeSlice::getStatus, agentReports);
    source.addIndexers(
        Map.of(
            BY_NODE,
            slice -> {
              String node = NodeOwned.labels(slice).get(LvsNodeSlice.NODE_LABEL);
              return node == null ? List.of() : List.of(node);
            }));
    setEventSource(source);
    return source;
  }
}
