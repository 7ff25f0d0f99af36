package io.lvsoperator.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.ResourceEventAware;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.util.Collection;
import java.util.function.BiConsumer;

/**
 * One controller's door for changes seen elsewhere: JOSDK's inbound event source, through which
 * {@link ChangeRouting} asks this controller to reconcile some of its primaries. It also hears
 * every add, update and delete of this controller's own primaries (JOSDK broadcasts them to event
 * sources that are {@link ResourceEventAware}, deletes included, which reach no reconcile without a
 * finalizer) and passes them on as (before, after), null for "did not exist".
 */
final class Trigger<P extends HasMetadata> extends SimpleInboundEventSource<P>
    implements ResourceEventAware<P> {
  private final BiConsumer<P, P> onPrimaryChange;

  Trigger(String name, BiConsumer<P, P> onPrimaryChange) {
    super(name);
    this.onPrimaryChange = onPrimaryChange;
  }

  void reconcile(Collection<ResourceID> primaries) {
    primaries.forEach(this::propagateEvent);
  }

  @Override
  public void onResourceCreated(P resource) {
    onPrimaryChange.accept(null, resource);
  }

  @Override
  public void onResourceUpdated(P newResource, P oldResource) {
    onPrimaryChange.accept(oldResource, newResource);
  }

  @Override
  public void onResourceDeleted(P resource) {
    onPrimaryChange.accept(resource, null);
  }
}
