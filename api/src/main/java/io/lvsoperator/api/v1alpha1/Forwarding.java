package io.lvsoperator.api.v1alpha1;

/** IPVS packet forwarding method (keepalived: {@code lb_kind}; ipvsadm: -g, -m, -i). */
public enum Forwarding {
  /** Direct routing ("gatewaying"): the real server answers the client itself. */
  DR,
  /** Masquerading: the director rewrites destination and source addresses. */
  NAT,
  /** IP-in-IP tunnelling. */
  TUN
}
