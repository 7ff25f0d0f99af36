package io.lvsoperator.operator;

import io.lvsoperator.endpoints.EndpointSettings;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How the operator runs, from environment variables overridden by {@code --name=value} flags.
 *
 * @param watchNamespaces namespaces whose VirtualServers, RealServers and Secrets are served; empty
 *     means all (WATCH_NAMESPACES, comma list)
 * @param leaderElection whether to take the Lease before writing (LEADER_ELECTION, default true)
 * @param leaseName the Lease's name (LEASE_NAME, default lvs-operator)
 * @param leaseNamespace the Lease's namespace (LEASE_NAMESPACE, else POD_NAMESPACE, else the
 *     client's namespace)
 * @param leaseDuration how long a Lease holds without renewal (LEASE_DURATION_SECONDS, default 15);
 *     renewal deadline and retry period derive from it
 * @param identity this replica's name in the Lease (POD_NAME, else the host name)
 * @param http where /healthz, /readyz and /metrics listen (HTTP_PORT, default 8080; HTTP_ADDRESS,
 *     an IP literal, default 0.0.0.0)
 * @param resync how often every VirtualServer is reconciled without any event, which also re-judges
 *     silent agents (RESYNC_SECONDS, default 30)
 * @param agentSilence an agent whose heartbeat is older than this is not trusted
 *     (AGENT_SILENCE_SECONDS, default 60)
 * @param serverSideApply use server-side apply for JOSDK's own patches (SERVER_SIDE_APPLY, default
 *     true; the in-process mock API server of the tests needs false)
 * @param namespace the operator's own namespace, where it writes Secret lvs-vrrp-auth
 *     (POD_NAMESPACE, else the Lease's)
 * @param readSecrets whether the operator may read the Secrets VirtualServers name (READ_SECRETS,
 *     default true; the chart's operator.rbac.readSecrets)
 * @param tenantPolicyRequired a namespace no TenantPolicy names may use nothing
 *     (TENANT_POLICY_REQUIRED, default false)
 */
public record OperatorSettings(
    Set<String> watchNamespaces,
    boolean leaderElection,
    String leaseName,
    String leaseNamespace,
    Duration leaseDuration,
    String identity,
    EndpointSettings http,
    Duration resync,
    Duration agentSilence,
    boolean serverSideApply,
    String namespace,
    boolean readSecrets,
    boolean tenantPolicyRequired) {

  public OperatorSettings {
    watchNamespaces = Set.copyOf(watchNamespaces);
  }

  public static OperatorSettings from(Map<String, String> env, String[] args) {
    Map<String, String> values = values(env, args);
    Set<String> namespaces = new TreeSet<>();
    Arrays.stream(values.getOrDefault("WATCH_NAMESPACES", "").split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .forEach(namespaces::add);
    String leaseNamespace = values.get("LEASE_NAMESPACE");
    if (leaseNamespace == null || leaseNamespace.isBlank()) {
      leaseNamespace = values.get("POD_NAMESPACE");
    }
    String identity = values.get("POD_NAME");
    if (identity == null || identity.isBlank()) {
      identity = values.getOrDefault("HOSTNAME", "lvs-operator");
    }
    return new OperatorSettings(
        namespaces,
        bool(values, "LEADER_ELECTION", true),
        values.getOrDefault("LEASE_NAME", "lvs-operator"),
        leaseNamespace == null || leaseNamespace.isBlank() ? null : leaseNamespace,
        Duration.ofSeconds(integer(values, "LEASE_DURATION_SECONDS", 15)),
        identity,
        EndpointSettings.of(
            EndpointSettings.address("HTTP_ADDRESS", text(values, "HTTP_ADDRESS", "0.0.0.0")),
            EndpointSettings.port("HTTP_PORT", text(values, "HTTP_PORT", "8080"))),
        Duration.ofSeconds(integer(values, "RESYNC_SECONDS", 30)),
        Duration.ofSeconds(integer(values, "AGENT_SILENCE_SECONDS", 60)),
        bool(values, "SERVER_SIDE_APPLY", true),
        text(values, "POD_NAMESPACE", leaseNamespace),
        bool(values, "READ_SECRETS", true),
        bool(values, "TENANT_POLICY_REQUIRED", false));
  }

  private static String text(Map<String, String> values, String name, String fallback) {
    String v = values.get(name);
    return v == null || v.isBlank() ? fallback : v.trim();
  }

  /**
   * The environment overridden by {@code --name=value} flags (--watch-namespaces:
   * WATCH_NAMESPACES).
   */
  static Map<String, String> values(Map<String, String> env, String[] args) {
    Map<String, String> values = new LinkedHashMap<>(env);
    for (String arg : args) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException(
            "argument " + arg + ": expected --name=value, e.g. --watch-namespaces=a,b");
      }
      String name = arg.substring(2, arg.indexOf('=')).toUpperCase().replace('-', '_');
      values.put(name, arg.substring(arg.indexOf('=') + 1));
    }
    return values;
  }

  static boolean bool(Map<String, String> values, String name, boolean fallback) {
    String v = values.get(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    v = v.trim();
    if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
      throw new IllegalArgumentException(name + ": " + v + " is not true or false");
    }
    return Boolean.parseBoolean(v);
  }

  private static int integer(Map<String, String> values, String name, int fallback) {
    String v = values.get(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": " + v + " is not a whole number");
    }
  }
}
