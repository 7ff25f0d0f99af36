package io.lvsoperator.compiler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.lvsoperator.api.v1alpha1.VrrpInstance;
import java.util.Comparator;

/**
 * The order in which objects win clashes: oldest first ({@code creationTimestamp}); objects without
 * one (standalone manifests) after, VrrpInstances before VirtualServers, then by key.
 */
final class Age {
  private Age() {}

  static final Comparator<HasMetadata> OLDEST_FIRST =
      Comparator.comparing(
              (HasMetadata o) -> o.getMetadata().getCreationTimestamp(),
              Comparator.nullsLast(Comparator.naturalOrder()))
          .thenComparingInt(o -> o instanceof VrrpInstance ? 0 : 1)
          .thenComparing(ObjectKey::of);
}
