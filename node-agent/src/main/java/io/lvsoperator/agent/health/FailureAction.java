package io.lvsoperator.agent.health;

/** What a down real server's IPVS destination becomes. */
public enum FailureAction {
  /** Removed from the service (keepalived's default). */
  REMOVE,
  /** Kept at weight 0, so its connections drain (keepalived: {@code inhibit_on_failure}). */
  WEIGHT_ZERO
}
