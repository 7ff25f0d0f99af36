package io.lvsoperator.operator.loadbalancer;

/** The names a LoadBalancer Service and the objects made for it carry. */
public final class LoadBalancerNames {
  private LoadBalancerNames() {}

  /** spec.loadBalancerClass of the Services this operator serves. */
  public static final String LOAD_BALANCER_CLASS = "lvsoperator.io/lvs";

  /** Annotation naming the AddressPool a Service takes its address from. */
  public static final String POOL_ANNOTATION = "lvsoperator.io/address-pool";

  /** Annotation asking for one address (like the deprecated spec.loadBalancerIP). */
  public static final String ADDRESS_ANNOTATION = "lvsoperator.io/load-balancer-ip";

  /** Label on the objects made for a Service: the Service's name. */
  public static final String SERVICE_LABEL = "lvsoperator.io/service";

  /** Label on the VrrpInstances made for a pool: the pool's name. */
  public static final String POOL_LABEL = "lvsoperator.io/address-pool";

  /** The label kube-proxy's and the endpoint controller's EndpointSlices carry. */
  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  /** Nodes with this label never receive load-balancer traffic (as in cloud providers). */
  public static final String EXCLUDE_LABEL =
      "node.kubernetes.io/exclude-from-external-load-balancers";

  /** The VrrpInstance that carries pool {@code pool}'s addresses in a namespace. */
  public static String vrrpInstanceName(String pool) {
    String name = "lb-" + pool;
    if (name.length() <= 253) {
      return name;
    }
    return name.substring(0, 236) + "-" + shortHash(pool);
  }

  /** The VirtualServer serving a Service's ports of one protocol. */
  public static String virtualServerName(String service, String protocol) {
    return service + "-" + protocol.toLowerCase(java.util.Locale.ROOT);
  }

  private static String shortHash(String text) {
    try {
      byte[] d =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(d, 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
