/**
 * VRRP on a real host: the raw-socket transport (IP protocol 112), link tracking over rtnetlink,
 * and the effects of a state change (VIPs through rtnetlink, gratuitous ARP). The state machine and
 * codec they serve are pure, in {@code io.lvsoperator.agent.vrrp}.
 */
package io.lvsoperator.agent.host.vrrp;
