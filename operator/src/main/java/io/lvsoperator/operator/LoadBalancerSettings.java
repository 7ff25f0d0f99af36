package io.lvsoperator.operator;

import java.util.Map;

/**
 * Whether and how the operator serves {@code type: LoadBalancer} Services, from environment
 * variables overridden by {@code --name=value} flags (as {@link OperatorSettings}).
 *
 * @param enabled run the Service and AddressPool controllers (LOAD_BALANCER, default true)
 * @param defaultClass also serve LoadBalancer Services that name no spec.loadBalancerClass
 *     (LOAD_BALANCER_DEFAULT_CLASS, default false): only where no other load-balancer
 *     implementation serves them
 */
public record LoadBalancerSettings(boolean enabled, boolean defaultClass) {
  public static final LoadBalancerSettings DEFAULT = new LoadBalancerSettings(true, false);

  public static LoadBalancerSettings from(Map<String, String> env, String[] args) {
    Map<String, String> values = OperatorSettings.values(env, args);
    return new LoadBalancerSettings(
        OperatorSettings.bool(values, "LOAD_BALANCER", true),
        OperatorSettings.bool(values, "LOAD_BALANCER_DEFAULT_CLASS", false));
  }
}
