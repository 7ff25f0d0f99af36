package io.lvsoperator.operator;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Matcher.Result;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.lvsoperator.api.v1alpha1.LvsNodeSlice;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VRRP PASS passwords, by reference (design doc §4): Secret {@code lvs-vrrp-auth} in the
 * operator's namespace, one key per instance source, which the heads name in {@code authPassKey}
 * and the agents read by name. No password is in any custom resource.
 *
 * <p>One Secret serves every node, so it is a dependent of every Node's workflow, reconciled first
 * (a head never names a key the Secret lacks): its desired data is the same from any Node, so the
 * Node reconciles agree and all but the first find it matching. It holds the keys the model's heads
 * name and, until the heads in the cache stop naming them, the keys they still name (so an agent
 * whose head is not rewritten yet still finds its password); nothing else. It carries no owner (it
 * is shared) and is never deleted.
 */
final class VrrpAuthSecretDependent extends KubernetesDependentResource<Secret, Node>
    implements Creator<Secret, Node>, Updater<Secret, Node>, SecondaryToPrimaryMapper<Secret> {
  private static final Logger LOG = LoggerFactory.getLogger(VrrpAuthSecretDependent.class);

  /** The Secret's name (the agents read it by this name). */
  static final Map<String, String> LABELS = Map.of(NodeOwned.MANAGED_BY, NodeOwned.OPERATOR);

  private final String namespace;
  private final ClusterCaches caches;
  private final OperatorMetrics metrics;
  private final Supplier<Set<String>> nodesWithConfig;

  /**
   * @param namespace the operator's namespace
   * @param nodesWithConfig the nodes to reconcile when someone else changes the Secret
   */
  VrrpAuthSecretDependent(
      String namespace,
      ClusterCaches caches,
      OperatorMetrics metrics,
      Supplier<Set<String>> nodesWithConfig) {
    super(Secret.class, "vrrp-auth-secret");
    this.namespace = namespace;
    this.caches = caches;
    this.metrics = metrics;
    this.nodesWithConfig = nodesWithConfig;
  }

  @Override
  public Optional<Secret> getSecondaryResource(Node node, Context<Node> context) {
    return eventSource()
        .orElseThrow()
        .get(new ResourceID(LvsNodeSlice.VRRP_AUTH_SECRET, namespace));
  }

  @Override
  protected ResourceID targetSecondaryResourceID(Node node, Context<Node> context) {
    return new ResourceID(LvsNodeSlice.VRRP_AUTH_SECRET, namespace);
  }

  /**
   * Writes only when there is a password to hold or a Secret that holds some. (Not a workflow
   * precondition: one that fails would delete the slices and heads that depend on it.) One Node at
   * a time: the Node reconciles run in parallel, and each would otherwise create the missing Secret
   * (all but one then failing with a conflict) instead of finding the first one's write in JOSDK's
   * cache.
   */
  @Override
  public synchronized ReconcileResult<Secret> reconcile(Node node, Context<Node> context) {
    if (NodeConfigPlan.of(context).snapshot().authPasswords().isEmpty()
        && getSecondaryResource(node, context).isEmpty()) {
      return ReconcileResult.noOperation(null);
    }
    return super.reconcile(node, context);
  }

  @Override
  protected Secret desired(Node node, Context<Node> context) {
    SortedMap<String, String> values =
        new TreeMap<>(NodeConfigPlan.of(context).snapshot().authPasswords());
    Map<String, String> current =
        getSecondaryResource(node, context).map(VrrpAuthSecretDependent::values).orElse(Map.of());
    caches
        .lvsNodes()
        .forEach(
            head -> {
              if (head.getSpec() == null) {
                return;
              }
              head.getSpec().vrrpInstances().stream()
                  .map(i -> i.authPassKey())
                  .filter(k -> k != null && !values.containsKey(k) && current.containsKey(k))
                  .forEach(k -> values.put(k, current.get(k)));
            });
    Secret secret = new Secret();
    secret.setMetadata(
        new ObjectMetaBuilder()
            .withName(LvsNodeSlice.VRRP_AUTH_SECRET)
            .withNamespace(namespace)
            .withLabels(LABELS)
            .build());
    secret.setType("Opaque");
    secret.setData(encode(values));
    return secret;
  }

  static Map<String, String> values(Secret secret) {
    SortedMap<String, String> out = new TreeMap<>();
    if (secret.getData() != null) {
      secret
          .getData()
          .forEach(
              (k, v) -> {
                try {
                  out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                  out.put(k, ""); // someone else's garbage: differs from what we want, rewritten
                }
              });
    }
    if (secret.getStringData() != null) {
      out.putAll(secret.getStringData());
    }
    return out;
  }

  private static Map<String, String> encode(Map<String, String> values) {
    SortedMap<String, String> out = new TreeMap<>();
    values.forEach(
        (k, v) ->
            out.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return out;
  }

  @Override
  public Result<Secret> match(Secret actual, Secret desired, Node node, Context<Node> context) {
    boolean matches =
        Objects.equals(values(actual), values(desired)) && NodeOwned.labelled(actual, LABELS);
    return Result.computed(matches, desired);
  }

  @Override
  protected void addReferenceHandlingMetadata(Secret desired, Node node) {
    // Shared by every Node: no owner, no annotation naming one primary.
  }

  @Override
  public Secret create(Secret desired, Node node, Context<Node> context) {
    Secret created = super.create(desired, node, context);
    written(desired);
    return created;
  }

  @Override
  public Secret update(Secret actual, Secret desired, Node node, Context<Node> context) {
    Secret updated;
    if (useSSA(context)) {
      updated = super.update(actual, desired, node, context);
    } else {
      Map<String, String> labels = new TreeMap<>(NodeOwned.labels(actual));
      labels.putAll(LABELS);
      List<Map<String, Object>> ops =
          List.of(
              Map.of("op", "add", "path", "/data", "value", desired.getData()),
              Map.of("op", "add", "path", "/metadata/labels", "value", labels));
      var client = context.getClient();
      updated =
          client
              .resource(actual)
              .patch(
                  PatchContext.of(PatchType.JSON), client.getKubernetesSerialization().asJson(ops));
    }
    written(desired);
    return updated;
  }

  /** Counts and logs a write: the keys, never the values. */
  private void written(Secret desired) {
    metrics.write("Secret");
    LOG.info(
        "event=secret_written secret={}/{} keys={}",
        namespace,
        LvsNodeSlice.VRRP_AUTH_SECRET,
        desired.getData().keySet().stream().sorted().toList());
  }

  @Override
  public Set<ResourceID> toPrimaryResourceIDs(Secret secret) {
    return nodesWithConfig.get().stream()
        .map(ResourceID::new)
        .collect(java.util.stream.Collectors.toSet());
  }

  @Override
  protected InformerEventSource<Secret, Node> createEventSource(EventSourceContext<Node> context) {
    var configuration =
        InformerEventSourceConfiguration.from(Secret.class, Node.class)
            .withName("vrrp-auth-secret")
            .withNamespaces(namespace)
            // By name: the operator may list and watch this one Secret (resourceNames), no other.
            .withFieldSelector(
                new FieldSelector(
                    new FieldSelector.Field("metadata.name", LvsNodeSlice.VRRP_AUTH_SECRET)))
            .withSecondaryToPrimaryMapper(this)
            .build();
    var source = new InformerEventSource<>(configuration, context);
    setEventSource(source);
    return source;
  }
}
