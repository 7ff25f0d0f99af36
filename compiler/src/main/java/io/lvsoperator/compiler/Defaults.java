package io.lvsoperator.compiler;

import io.lvsoperator.api.v1alpha1.Forwarding;
import io.lvsoperator.api.v1alpha1.Protocol;
import io.lvsoperator.api.v1alpha1.Scheduler;
import java.util.List;

/** Every default the compiler fills in, in one place (docs/crd-reference.md lists them). */
final class Defaults {
  private Defaults() {}

  static final Protocol PROTOCOL = Protocol.TCP;
  static final Scheduler SCHEDULER = Scheduler.wlc;
  static final Forwarding FORWARDING = Forwarding.DR;
  static final int WEIGHT = 1;
  static final String PERSISTENCE_NETMASK = "255.255.255.255";

  static final String INTERFACE = "eth0";
  static final int VRRP_VERSION = 3;
  static final int ADVERT_INTERVAL_V3_MS = 100;
  static final int ADVERT_INTERVAL_V2_MS = 1000;
  static final int VIP_PREFIX_LENGTH = 32;
  static final int GARP_REPEAT = 5;
  static final int GARP_INTERVAL_MS = 100;
  static final int NOTIFY_TIMEOUT_MS = 10_000;
  static final int QUORUM = 1;
  static final int HYSTERESIS = 0;

  static final int CHECK_INTERVAL_MS = 500;
  static final int CHECK_TIMEOUT_MS = 500;
  static final int CHECK_RISE = 2;
  static final int CHECK_FALL = 2;
  static final List<String> EXPECTED_STATUS = List.of("200-299");

  /** Priorities given to directors by list order; past the end, the last one repeats. */
  static final int[] PRIORITY_BY_ORDER = {150, 100, 50, 40, 30, 20, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1};

  static int priorityByOrder(int index) {
    return PRIORITY_BY_ORDER[Math.min(index, PRIORITY_BY_ORDER.length - 1)];
  }
}
