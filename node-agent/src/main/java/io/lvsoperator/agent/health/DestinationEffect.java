package io.lvsoperator.agent.health;

/**
 * What the checks did to one configured destination.
 *
 * @param configured the destination as configured
 * @param health its health (UP when its service has no check)
 * @param reason why it is down, null when up
 * @param inIpvs whether it stays in the IPVS service
 * @param weight the weight it gets, 0 when drained or down with weight-zero; meaningless when not
 *     {@code inIpvs}
 */
public record DestinationEffect(
    CheckedDestination configured,
    ServerHealth health,
    String reason,
    boolean inIpvs,
    int weight) {}
