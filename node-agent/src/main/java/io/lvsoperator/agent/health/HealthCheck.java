package io.lvsoperator.agent.health;

import java.util.List;

/**
 * One check definition, with keepalived's timing terms in milliseconds; 0 (or null) means "not set"
 * and takes the default ({@link CheckTiming}). Two destinations with equal definitions, address and
 * port share one check.
 *
 * @param type how the server is probed
 * @param path HTTP path, null for "/"
 * @param expectedStatus healthy status codes and ranges ({@link StatusCodeMatcher}), empty for 200
 * @param host Host header and TLS server name, null for the address
 * @param bodyContains a substring the body must contain, null for none
 * @param caBundle PEM CA bundle that verifies HTTPS, null for no verification
 * @param port the port probed, null for the destination's
 * @param intervalMs pause after a check completes (delay_loop)
 * @param timeoutMs bound of one probe (connect_timeout)
 * @param retry keepalived's retry, null when not given (then {@code fall} counts)
 * @param delayBeforeRetryMs pause after a failure of a server still up
 * @param rise successes to come up
 * @param fall failures to go down
 */
public record HealthCheck(
    CheckType type,
    String path,
    List<String> expectedStatus,
    String host,
    String bodyContains,
    String caBundle,
    Integer port,
    int intervalMs,
    int timeoutMs,
    Integer retry,
    int delayBeforeRetryMs,
    int rise,
    int fall) {

  public HealthCheck {
    expectedStatus = expectedStatus == null ? List.of() : List.copyOf(expectedStatus);
  }
}
