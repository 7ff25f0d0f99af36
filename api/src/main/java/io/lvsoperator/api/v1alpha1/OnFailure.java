package io.lvsoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a failed health check does to the real server's IPVS destination. */
public enum OnFailure {
  /** Remove the destination from the IPVS service (keepalived's default). */
  @JsonProperty("remove")
  REMOVE,
  /**
   * Keep the destination with weight 0, so existing connections drain (keepalived: {@code
   * inhibit_on_failure}).
   */
  @JsonProperty("weight-zero")
  WEIGHT_ZERO
}
