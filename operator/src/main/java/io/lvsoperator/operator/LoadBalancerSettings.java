package io.lvsoperator.operator;

import java.util.LinkedHashMap;
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
    Map<String, String> values = new LinkedHashMap<>(env);
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 2) {
        values.put(arg.substring(2, eq).toUpperCase().replace('-', '_'), arg.substring(eq + 1));
      }
    }
    return new LoadBalancerSettings(
        bool(values, "LOAD_BALANCER", true), bool(values, "LOAD_BALANCER_DEFAULT_CLASS", false));
  }

  private static boolean bool(Map<String, String> values, String name, boolean fallback) {
    String v = values.get(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    if (!v.trim().equalsIgnoreCase("true") && !v.trim().equalsIgnoreCase("false")) {
      throw new IllegalArgumentException(name + ": " + v + " is not true or false");
    }
    return Boolean.parseBoolean(v.trim());
  }
}
