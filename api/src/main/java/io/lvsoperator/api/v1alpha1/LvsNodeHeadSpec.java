package io.lvsoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * The head of a node's desired state (design doc §3): what is not per VirtualServer. Its VRRP
 * instances carry only their VrrpInstance's own addresses, and {@code authPassKey} instead of the
 * password; the VirtualServers' VIPs, services and loopback VIPs are in the node's {@link
 * LvsNodeSlice}s. Meant to become {@code LvsNode.spec} when the operator and agent switch to
 * slices; until then {@code LvsNode.spec} stays a complete {@link LvsNodeSpec}.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record LvsNodeHeadSpec(
    @JsonPropertyDescription(
            "VRRP instances this node runs as a director: settings, this node's priority, the"
                + " instance's own addresses; authPassKey names the password's Secret key.")
        List<LvsNodeSpec.VrrpInstance> vrrpInstances,
    @JsonPropertyDescription(
            "VRRP instances that change state together (keepalived: vrrp_sync_group).")
        List<LvsNodeSpec.SyncGroup> syncGroups) {

  public LvsNodeHeadSpec {
    vrrpInstances = vrrpInstances == null ? List.of() : List.copyOf(vrrpInstances);
    syncGroups = syncGroups == null ? List.of() : List.copyOf(syncGroups);
  }
}
