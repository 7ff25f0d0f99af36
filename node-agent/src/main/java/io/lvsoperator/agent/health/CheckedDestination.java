package io.lvsoperator.agent.health;

/**
 * One real server of a {@link CheckedService}.
 *
 * @param address its address, as compiled
 * @param port its port
 * @param weight the configured weight, used while it is up and not drained
 * @param drain drained: weight 0 whatever the checks say
 */
public record CheckedDestination(String address, int port, int weight, boolean drain) {}
