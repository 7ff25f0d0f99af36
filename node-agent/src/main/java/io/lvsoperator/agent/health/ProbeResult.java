package io.lvsoperator.agent.health;

import java.util.Objects;

/**
 * The outcome of one probe of a real server. A failure always carries a reason meant for humans
 * ("HTTP status 500", "connection refused", "timeout after 500ms").
 */
public record ProbeResult(boolean healthy, String reason) {

  private static final ProbeResult OK = new ProbeResult(true, null);

  public ProbeResult {
    if (!healthy) {
      Objects.requireNonNull(reason, "a failed probe needs a reason");
    }
  }

  public static ProbeResult ok() {
    return OK;
  }

  public static ProbeResult failed(String reason) {
    return new ProbeResult(false, reason);
  }
}
