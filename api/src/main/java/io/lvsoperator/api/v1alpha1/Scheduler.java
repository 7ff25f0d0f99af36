package io.lvsoperator.api.v1alpha1;

/**
 * IPVS scheduling algorithm (keepalived: {@code lb_algo}; ipvsadm: {@code -s}). The constants are
 * the kernel's own scheduler names, so they are passed to IPVS as they are.
 */
public enum Scheduler {
  /** Round robin. */
  rr,
  /** Weighted round robin. */
  wrr,
  /** Least connections. */
  lc,
  /** Weighted least connections (the IPVS default). */
  wlc,
  /** Locality-based least connections. */
  lblc,
  /** Locality-based least connections with replication. */
  lblcr,
  /** Destination hashing. */
  dh,
  /** Source hashing. */
  sh,
  /** Maglev hashing. */
  mh,
  /** Shortest expected delay. */
  sed,
  /** Never queue. */
  nq,
  /** Weighted failover. */
  fo,
  /** Weighted overflow. */
  ovf
}
