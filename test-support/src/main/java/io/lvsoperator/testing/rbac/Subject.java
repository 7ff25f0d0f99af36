package io.lvsoperator.testing.rbac;

/** A subject of a RoleBinding or ClusterRoleBinding: a User, a Group or a ServiceAccount. */
public record Subject(String kind, String name, String namespace) {

  public static Subject serviceAccount(String namespace, String name) {
    return new Subject("ServiceAccount", name, namespace);
  }

  public static Subject group(String name) {
    return new Subject("Group", name, "");
  }

  public boolean matches(Identity identity) {
    return switch (kind) {
      case "User" -> identity.user().equals(name);
      case "Group" -> identity.groups().contains(name);
      case "ServiceAccount" ->
          identity.user().equals("system:serviceaccount:" + namespace + ":" + name);
      default -> throw new IllegalArgumentException("subject kind " + kind + " is not RBAC's");
    };
  }

  @Override
  public String toString() {
    return kind + " " + (namespace.isEmpty() ? name : namespace + "/" + name);
  }
}
