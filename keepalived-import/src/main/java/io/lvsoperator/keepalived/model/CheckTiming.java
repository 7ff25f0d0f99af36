package io.lvsoperator.keepalived.model;

import java.math.BigDecimal;

/**
 * The checker settings keepalived lets a virtual_server, a real_server and a checker each set, the
 * inner one winning; every field may be null (not written at this level).
 */
public record CheckTiming(
    Setting<BigDecimal> delayLoop,
    Setting<BigDecimal> connectTimeout,
    Setting<Integer> retry,
    Setting<BigDecimal> delayBeforeRetry,
    Setting<Boolean> inhibitOnFailure,
    Setting<String> virtualhost) {

  public static CheckTiming none() {
    return new CheckTiming(null, null, null, null, null, null);
  }

  /** This level's settings, the ones it does not set taken from {@code outer}. */
  public CheckTiming over(CheckTiming outer) {
    return new CheckTiming(
        delayLoop != null ? delayLoop : outer.delayLoop,
        connectTimeout != null ? connectTimeout : outer.connectTimeout,
        retry != null ? retry : outer.retry,
        delayBeforeRetry != null ? delayBeforeRetry : outer.delayBeforeRetry,
        inhibitOnFailure != null ? inhibitOnFailure : outer.inhibitOnFailure,
        virtualhost != null ? virtualhost : outer.virtualhost);
  }
}
