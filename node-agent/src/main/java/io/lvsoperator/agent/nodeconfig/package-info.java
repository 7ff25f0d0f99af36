/**
 * Where a node's desired state comes from in Kubernetes mode, without Kubernetes: the node's head
 * (its {@code LvsNode}), its slices ({@code LvsNodeSlice}s) and the VRRP passwords ({@code
 * lvs-vrrp-auth}) as one {@link io.lvsoperator.agent.nodeconfig.NodeConfig}; when to apply it
 * ({@link io.lvsoperator.agent.nodeconfig.NodeConfigFollower}: after the initial lists, debounced,
 * deletions that empty the node confirmed by a second read); the disk cache ({@link
 * io.lvsoperator.agent.nodeconfig.NodeConfigCache}); and what each slice's status says ({@link
 * io.lvsoperator.agent.nodeconfig.SliceStatuses}). The process wiring feeds it from informers and
 * writes what it decides.
 */
package io.lvsoperator.agent.nodeconfig;
