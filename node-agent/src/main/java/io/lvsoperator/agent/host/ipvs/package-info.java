/**
 * The kernel's IPVS over generic netlink: {@link io.lvsoperator.agent.host.ipvs.GenlIpvsClient}
 * implements the pure {@code io.lvsoperator.agent.ipvs.IpvsClient} with {@link
 * io.lvsoperator.agent.host.ipvs.IpvsCodec}, and {@link
 * io.lvsoperator.agent.host.ipvs.KernelIpvsProgrammer} is the node core's IPVS port on it.
 */
package io.lvsoperator.agent.host.ipvs;
