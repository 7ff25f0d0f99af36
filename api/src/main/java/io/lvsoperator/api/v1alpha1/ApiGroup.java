package io.lvsoperator.api.v1alpha1;

/** The API group and version of every lvs-operator resource. */
public final class ApiGroup {
  private ApiGroup() {}

  public static final String GROUP = "lvsoperator.io";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;
}
