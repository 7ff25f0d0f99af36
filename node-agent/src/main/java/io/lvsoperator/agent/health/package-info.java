/**
 * Health checks of real servers: HTTP_GET, HTTPS_GET and TCP probes on one Netty event loop group,
 * keepalived's timing semantics (delay_loop, connect_timeout, retry, delay_before_retry) with
 * rise/fall hysteresis, checks shared between services, and the pure function that turns check
 * results into the IPVS destinations the agent programs. See docs/health-checks.md.
 */
package io.lvsoperator.agent.health;
