/** Gratuitous ARP: a pure frame encoder and a scheduled sender over an AF_PACKET socket. */
package io.lvsoperator.agent.host.arp;
