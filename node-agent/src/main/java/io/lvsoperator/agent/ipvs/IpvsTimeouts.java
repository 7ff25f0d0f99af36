package io.lvsoperator.agent.ipvs;

/**
 * Connection timeouts in seconds (ipvsadm --set tcp tcpfin udp); 0 in a set request leaves one
 * unchanged.
 */
public record IpvsTimeouts(int tcpSeconds, int tcpFinSeconds, int udpSeconds) {}
