package io.lvsoperator.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.KubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.Matcher.Result;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The objects one primary owns, as a JOSDK bulk dependent resource keyed by their {@link
 * ResourceID}: created when missing, patched when their spec, our labels or the owner reference
 * differ, deleted when no longer desired. Their informer holds only objects carrying {@code
 * labelSelector}, so objects written by hand are neither cached twice nor touched (a desired object
 * whose name a hand-written one already has fails to be created, and the reconcile of its primary
 * is retried).
 *
 * <p>Writes use the verbs {@code create}, {@code patch} (a JSON patch of the spec, our labels and
 * the owner reference, or a server-side apply when that is on) and {@code delete}.
 */
abstract class OwnedObjects<R extends CustomResource<?, ?>, P extends HasMetadata>
    extends CRUDKubernetesDependentResource<R, P>
    implements CRUDKubernetesBulkDependentResource<R, P>, KubernetesBulkDependentResource<R, P> {
  private static final Logger LOG = LoggerFactory.getLogger(OwnedObjects.class);

  private final String labelSelector;
  private final Set<String> namespaces;
  private final OperatorMetrics metrics;

  /**
   * @param labelSelector what every object this dependent writes carries
   * @param namespaces where they live; empty for every namespace
   */
  OwnedObjects(
      Class<R> type,
      String name,
      String labelSelector,
      Set<String> namespaces,
      OperatorMetrics metrics) {
    super(type, name);
    this.labelSelector = labelSelector;
    this.namespaces = Set.copyOf(namespaces);
    this.metrics = metrics;
  }

  /** The objects {@code primary} should own now, each with name, namespace, labels and spec. */
  abstract List<R> wanted(P primary, Context<P> context);

  @Override
  public Map<ResourceID, R> desiredResources(P primary, Context<P> context) {
    Map<ResourceID, R> out = new LinkedHashMap<>();
    for (R r : wanted(primary, context)) {
      out.put(ResourceID.fromResource(r), r);
    }
    return out;
  }

  @Override
  public Predicate<R> secondaryResourceFilter(P primary, Context<P> context) {
    return r -> ownedBy(r, primary);
  }

  @Override
  public Result<R> match(R actual, R desired, P primary, Context<P> context) {
    boolean matches =
        Objects.equals(actual.getSpec(), desired.getSpec())
            && labels(actual).entrySet().containsAll(labels(desired).entrySet())
            && ownedBy(actual, primary);
    return Result.computed(matches, desired);
  }

  @Override
  public R create(R desired, P primary, Context<P> context) {
    R created = super.create(desired, primary, context);
    metrics.write(resourceType().getSimpleName());
    LOG.info(
        "event=owned_object_created kind={} object={} owner={}/{}",
        resourceType().getSimpleName(),
        ResourceID.fromResource(created),
        primary.getKind(),
        primary.getMetadata().getName());
    return created;
  }

  @Override
  public R update(R actual, R desired, P primary, Context<P> context) {
    R updated;
    if (useSSA(context)) {
      updated = super.update(actual, desired, primary, context);
    } else {
      updated =
          context
              .getClient()
              .resource(actual)
              .patch(
                  PatchContext.of(PatchType.JSON),
                  context
                      .getClient()
                      .getKubernetesSerialization()
                      .asJson(patch(actual, desired, primary)));
    }
    metrics.write(resourceType().getSimpleName());
    LOG.info(
        "event=owned_object_updated kind={} object={} owner={}/{} generation={}",
        resourceType().getSimpleName(),
        ResourceID.fromResource(updated),
        primary.getKind(),
        primary.getMetadata().getName(),
        updated.getMetadata().getGeneration());
    return updated;
  }

  @Override
  public void deleteTargetResource(P primary, R resource, ResourceID key, Context<P> context) {
    super.deleteTargetResource(primary, resource, key, context);
    metrics.write(resourceType().getSimpleName());
    LOG.info(
        "event=owned_object_deleted kind={} object={} owner={}/{}",
        resourceType().getSimpleName(),
        key,
        primary.getKind(),
        primary.getMetadata().getName());
  }

  private List<Map<String, Object>> patch(R actual, R desired, P primary) {
    List<Map<String, Object>> ops = new ArrayList<>();
    ops.add(add("/spec", desired.getSpec()));
    Map<String, String> labels = new LinkedHashMap<>(labels(actual));
    labels.putAll(labels(desired));
    if (!labels.equals(labels(actual))) {
      ops.add(add("/metadata/labels", labels));
    }
    if (!ownedBy(actual, primary)) {
      List<OwnerReference> owners = new ArrayList<>();
      if (actual.getMetadata().getOwnerReferences() != null) {
        owners.addAll(actual.getMetadata().getOwnerReferences());
      }
      owners.add(ownerReference(primary));
      ops.add(add("/metadata/ownerReferences", owners));
    }
    return ops;
  }

  @Override
  protected void addReferenceHandlingMetadata(R desired, P primary) {
    if (!ownedBy(desired, primary)) {
      List<OwnerReference> owners = new ArrayList<>();
      if (desired.getMetadata().getOwnerReferences() != null) {
        owners.addAll(desired.getMetadata().getOwnerReferences());
      }
      owners.add(ownerReference(primary));
      desired.getMetadata().setOwnerReferences(owners);
    }
  }

  /** Its controller: the garbage collector deletes the object with its owner. */
  static OwnerReference ownerReference(HasMetadata owner) {
    OwnerReference ref = new OwnerReference();
    ref.setApiVersion(owner.getApiVersion());
    ref.setKind(owner.getKind());
    ref.setName(owner.getMetadata().getName());
    ref.setUid(owner.getMetadata().getUid());
    ref.setController(true);
    ref.setBlockOwnerDeletion(false);
    return ref;
  }

  static boolean ownedBy(HasMetadata object, HasMetadata owner) {
    return object.getMetadata().getOwnerReferences() != null
        && object.getMetadata().getOwnerReferences().stream()
            .anyMatch(o -> Objects.equals(o.getUid(), owner.getMetadata().getUid()));
  }

  private static Map<String, Object> add(String path, Object value) {
    Map<String, Object> op = new LinkedHashMap<>();
    op.put("op", "add");
    op.put("path", path);
    op.put("value", value);
    return op;
  }

  private static Map<String, String> labels(HasMetadata r) {
    return r.getMetadata().getLabels() == null ? new HashMap<>() : r.getMetadata().getLabels();
  }

  @Override
  protected InformerEventSource<R, P> createEventSource(EventSourceContext<P> context) {
    Class<P> primary = context.getPrimaryResourceClass();
    var builder =
        InformerEventSourceConfiguration.from(resourceType(), primary)
            .withName(name())
            .withLabelSelector(labelSelector)
            .withSecondaryToPrimaryMapper(
                Mappers.fromOwnerReferences(primary, !Namespaced.class.isAssignableFrom(primary)));
    if (namespaces.isEmpty()) {
      builder.withWatchAllNamespaces();
    } else {
      builder.withNamespaces(namespaces);
    }
    var source = new InformerEventSource<>(builder.build(), context);
    setEventSource(source);
    return source;
  }
}
