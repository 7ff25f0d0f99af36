package io.lvsoperator.operator;

import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.lvsoperator.api.v1alpha1.TenantPolicy;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The TenantPolicy informer (cluster-scoped, all of them), registered with the VirtualServer
 * controller as a secondary source. It maps no policy to a primary itself: each add, update and
 * delete goes, as (before, after), to {@link ChangeRouting#tenantPolicy}, which knows which objects
 * a policy governs before and after the change. The cache is up to date when it is called.
 */
final class TenantPolicySource extends InformerEventSource<TenantPolicy, VirtualServer> {
  private final BiConsumer<TenantPolicy, TenantPolicy> onChange;

  TenantPolicySource(
      EventSourceContext<VirtualServer> context, BiConsumer<TenantPolicy, TenantPolicy> onChange) {
    super(
        InformerEventSourceConfiguration.from(TenantPolicy.class, VirtualServer.class)
            .withName("tenantpolicies")
            .withWatchAllNamespaces()
            .withSecondaryToPrimaryMapper(policy -> Set.of())
            .build(),
        context);
    this.onChange = onChange;
  }

  @Override
  public void onAdd(TenantPolicy policy) {
    super.onAdd(policy);
    onChange.accept(null, policy);
  }

  @Override
  public void onUpdate(TenantPolicy before, TenantPolicy after) {
    super.onUpdate(before, after);
    onChange.accept(before, after);
  }

  @Override
  public void onDelete(TenantPolicy policy, boolean deletedFinalStateUnknown) {
    super.onDelete(policy, deletedFinalStateUnknown);
    onChange.accept(policy, null);
  }
}
