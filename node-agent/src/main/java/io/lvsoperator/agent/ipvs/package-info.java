/**
 * IPVS on records, pure: {@link io.lvsoperator.agent.ipvs.IpvsClient} (the kernel table as a port;
 * {@code host.ipvs.GenlIpvsClient} implements it over generic netlink), the {@link
 * io.lvsoperator.agent.ipvs.IpvsPlanner} that computes the operations, and {@link
 * io.lvsoperator.agent.ipvs.IpvsSync} which applies the plan to the services the agent owns and
 * never flushes.
 */
package io.lvsoperator.agent.ipvs;
