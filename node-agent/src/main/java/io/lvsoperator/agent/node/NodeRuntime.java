package io.lvsoperator.agent.node;

import io.lvsoperator.api.v1alpha1.LvsNodeSpec;

/**
 * Applies one node's desired state. Standalone mode and Kubernetes mode both end here, so they
 * behave the same. Implementations apply only the difference from what they run.
 */
public interface NodeRuntime {
  /**
   * Applies {@code spec}, which is config generation {@code generation} (the LvsNode's
   * metadata.generation in Kubernetes mode, the reload count in standalone mode), reported with
   * what was applied.
   */
  void apply(LvsNodeSpec spec, long generation);
}
