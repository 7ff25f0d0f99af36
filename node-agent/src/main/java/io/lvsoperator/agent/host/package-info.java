/**
 * Host adapters: everything that touches the running kernel. {@code ffm} is the only package that
 * uses {@code java.lang.foreign}; {@code netlink} and {@code rtnl} speak netlink over it; {@code
 * ipvs}, {@code vrrp}, {@code arp} and {@code dr} implement the pure packages' ports on them.
 * {@code AgentLayersTest} keeps the pure packages from importing anything here.
 */
package io.lvsoperator.agent.host;
