/**
 * IPVS over generic netlink: {@link io.lvsoperator.agent.ipvs.IpvsClient} on records, the pure
 * {@link io.lvsoperator.agent.ipvs.IpvsPlanner}, and {@link io.lvsoperator.agent.ipvs.IpvsSync}
 * which applies the plan to the services the agent owns and never flushes.
 */
package io.lvsoperator.agent.ipvs;
