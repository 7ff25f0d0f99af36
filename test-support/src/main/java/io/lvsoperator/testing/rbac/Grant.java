package io.lvsoperator.testing.rbac;

/**
 * One rule granted to one subject by one binding: the unit an authorizer walks. {@code namespace}
 * is "" for a ClusterRoleBinding (the rule applies to cluster-scoped requests and in every
 * namespace) and the binding's namespace for a RoleBinding (the rule applies to requests in that
 * namespace only, also when the binding refers to a ClusterRole).
 *
 * @param source where the rule comes from, for reports, e.g. {@code ClusterRole/x rules[2] via
 *     ClusterRoleBinding/x}
 */
public record Grant(String source, Subject subject, String namespace, PolicyRule rule) {

  public boolean allows(Identity identity, RequestAttributes request) {
    return subject.matches(identity) && inScope(request) && rule.allows(request);
  }

  private boolean inScope(RequestAttributes request) {
    if (namespace.isEmpty()) {
      return true;
    }
    // Rules of a RoleBinding never reach cluster-scoped resources or non-resource URLs.
    return request.resourceRequest() && namespace.equals(request.namespace());
  }

  @Override
  public String toString() {
    return source;
  }
}
