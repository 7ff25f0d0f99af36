package io.lvsoperator.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * How a reconciler writes its primary's status. With server-side apply (the default) it is JOSDK's
 * {@code UpdateControl.patchStatus}. Without it (SERVER_SIDE_APPLY=false, e.g. against Fabric8's
 * mock API server, which refuses apply patches) JOSDK would send a JSON Patch computed from the
 * cached copy to the new status: when that copy is older than the server's (a write the informer
 * has not delivered yet), the patch names list items the server no longer has and is refused (422)
 * until the cache catches up. Here the status is instead replaced whole, by one JSON Patch {@code
 * add /status} (RFC 6902: add replaces an existing member), through JOSDK's {@link
 * PrimaryUpdateAndCacheUtils}, which also puts the response in the primary's cache for the next
 * reconcile. Same verb and subresource (patch, status), so the chart's rules are unchanged.
 */
final class StatusPatches {

  private StatusPatches() {}

  /**
   * The update control that writes {@code status}, already set on {@code primary}, to the API
   * server.
   */
  static <P extends HasMetadata> UpdateControl<P> patchStatus(
      P primary, Object status, Context<P> context) {
    if (context
        .getControllerConfiguration()
        .getConfigurationService()
        .useSSAToPatchPrimaryResource()) {
      return UpdateControl.patchStatus(primary);
    }
    String patch =
        context
            .getClient()
            .getKubernetesSerialization()
            .asJson(List.of(Map.of("op", "add", "path", "/status", "value", status)));
    PrimaryUpdateAndCacheUtils.updateAndCacheResource(
        primary,
        context,
        UnaryOperator.identity(),
        r ->
            context
                .getClient()
                .resource(r)
                .subresource("status")
                .patch(PatchContext.of(PatchType.JSON), patch));
    return UpdateControl.noUpdate();
  }
}
