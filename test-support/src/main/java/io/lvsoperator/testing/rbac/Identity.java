package io.lvsoperator.testing.rbac;

import java.util.Set;

/**
 * Who made a request, as the API server's authenticator reports it: a user name and the groups it
 * belongs to. RBAC subjects match either.
 */
public record Identity(String user, Set<String> groups) {

  public Identity {
    groups = Set.copyOf(groups);
  }

  /**
   * A ServiceAccount's identity: {@code system:serviceaccount:NS:NAME}, in the groups every service
   * account token carries.
   */
  public static Identity serviceAccount(String namespace, String name) {
    return new Identity(
        "system:serviceaccount:" + namespace + ":" + name,
        Set.of("system:serviceaccounts", "system:serviceaccounts:" + namespace, AUTHENTICATED));
  }

  /** The group of every authenticated request (Kubernetes binds its default roles to it). */
  public static final String AUTHENTICATED = "system:authenticated";

  @Override
  public String toString() {
    return user;
  }
}
