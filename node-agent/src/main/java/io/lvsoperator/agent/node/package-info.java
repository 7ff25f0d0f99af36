/**
 * The pure node core: {@link io.lvsoperator.agent.node.NodeAgent} applies one node's desired state
 * (an {@code LvsNodeSpec}) to the VRRP engine, the health monitor and, through small ports ({@link
 * io.lvsoperator.agent.node.IpvsProgrammer}, {@link io.lvsoperator.agent.node.LoopbackVips}), the
 * kernel, and reports what it observes. No FFM, no netlink, no Kubernetes client: the host adapters
 * under {@code io.lvsoperator.agent.host} plug into it, and tests use fakes.
 */
package io.lvsoperator.agent.node;
