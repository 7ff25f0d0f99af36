package io.lvsoperator.testing.rbac;

import static io.lvsoperator.testing.rbac.RequestAttributes.nonResource;
import static io.lvsoperator.testing.rbac.RequestAttributes.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestAttributesTest {
  private static final String VS =
      "/apis/lvsoperator.io/v1alpha1/namespaces/default/virtualservers";
  private static final String LVSNODES = "/apis/lvsoperator.io/v1alpha1/lvsnodes";

  static Stream<Arguments> requests() {
    return Stream.of(
        // GET: a name is get, a collection list, ?watch=true watch
        row(
            "GET",
            VS + "/web",
            resource("get", "lvsoperator.io", "virtualservers", "", "default", "web")),
        row("GET", VS, resource("list", "lvsoperator.io", "virtualservers", "", "default", "")),
        row(
            "GET",
            VS + "?watch=true&resourceVersion=7",
            resource("watch", "lvsoperator.io", "virtualservers", "", "default", "")),
        row(
            "GET",
            VS + "?watch=1",
            resource("watch", "lvsoperator.io", "virtualservers", "", "default", "")),
        row(
            "GET",
            VS + "?watch=false",
            resource("list", "lvsoperator.io", "virtualservers", "", "default", "")),
        row(
            "HEAD",
            VS + "/web",
            resource("get", "lvsoperator.io", "virtualservers", "", "default", "web")),
        // across all namespaces: no namespace
        row(
            "GET",
            "/apis/lvsoperator.io/v1alpha1/virtualservers",
            resource("list", "lvsoperator.io", "virtualservers", "", "", "")),
        // a metadata.name field selector names the object of a list or watch
        row(
            "GET",
            LVSNODES + "?fieldSelector=metadata.name%3Dlvs1",
            resource("list", "lvsoperator.io", "lvsnodes", "", "", "lvs1")),
        row(
            "GET",
            LVSNODES + "?fieldSelector=metadata.name%3D%3Dlvs1&watch=true",
            resource("watch", "lvsoperator.io", "lvsnodes", "", "", "lvs1")),
        row(
            "GET",
            LVSNODES + "?fieldSelector=metadata.name%21%3Dlvs1",
            resource("list", "lvsoperator.io", "lvsnodes", "", "", "")),
        row(
            "GET",
            LVSNODES + "?fieldSelector=spec.x%3Dy",
            resource("list", "lvsoperator.io", "lvsnodes", "", "", "")),
        // writes
        row("POST", VS, resource("create", "lvsoperator.io", "virtualservers", "", "default", "")),
        row(
            "PUT",
            VS + "/web",
            resource("update", "lvsoperator.io", "virtualservers", "", "default", "web")),
        row(
            "PATCH",
            VS + "/web",
            resource("patch", "lvsoperator.io", "virtualservers", "", "default", "web")),
        row(
            "DELETE",
            VS + "/web",
            resource("delete", "lvsoperator.io", "virtualservers", "", "default", "web")),
        row(
            "DELETE",
            VS,
            resource("deletecollection", "lvsoperator.io", "virtualservers", "", "default", "")),
        // subresources, cluster scope, the core group
        row(
            "PATCH",
            VS + "/web/status",
            resource("patch", "lvsoperator.io", "virtualservers", "status", "default", "web")),
        row(
            "PUT",
            LVSNODES + "/lvs1/status",
            resource("update", "lvsoperator.io", "lvsnodes", "status", "", "lvs1")),
        row("GET", "/api/v1/nodes", resource("list", "", "nodes", "", "", "")),
        row(
            "POST",
            "/api/v1/namespaces/default/events",
            resource("create", "", "events", "", "default", "")),
        row(
            "GET",
            "/apis/coordination.k8s.io/v1/namespaces/lvs-system/leases/lead",
            resource("get", "coordination.k8s.io", "leases", "", "lvs-system", "lead")),
        row(
            "POST",
            "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
            resource("create", "authorization.k8s.io", "selfsubjectrulesreviews", "", "", "")),
        // a namespace is itself a resource; status and finalize are its subresources
        row(
            "GET",
            "/api/v1/namespaces/default",
            resource("get", "", "namespaces", "", "default", "default")),
        row(
            "PUT",
            "/api/v1/namespaces/default/finalize",
            resource("update", "", "namespaces", "finalize", "default", "default")),
        row("GET", "/api/v1/namespaces", resource("list", "", "namespaces", "", "", "")),
        // the legacy watch prefix
        row(
            "GET",
            "/api/v1/watch/namespaces/default/secrets",
            resource("watch", "", "secrets", "", "default", "")),
        row(
            "GET",
            "/api/v1/watch/namespaces/default/secrets/s",
            resource("watch", "", "secrets", "", "default", "s")),
        // discovery and everything outside /api and /apis: non-resource, verb = the method
        row("GET", "/version", nonResource("get", "/version")),
        row("GET", "/apis", nonResource("get", "/apis")),
        row(
            "GET",
            "/apis/lvsoperator.io/v1alpha1",
            nonResource("get", "/apis/lvsoperator.io/v1alpha1")),
        row("GET", "/api/v1", nonResource("get", "/api/v1")),
        row("POST", "/metrics", nonResource("post", "/metrics")));
  }

  private static Arguments row(String method, String uri, RequestAttributes expected) {
    return Arguments.of(method, uri, expected);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("requests")
  void derivesTheAttributesTheApiServerDerives(
      String method, String uri, RequestAttributes expected) {
    assertThat(RequestAttributes.fromHttp(method, uri)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/v1/watch", "/apis/apps/v1/watch"})
  void aSpecialVerbWithoutAResourceIsAnError(String path) {
    assertThatThrownBy(() -> RequestAttributes.fromHttp("GET", path))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(path)
        .hasMessageContaining("watch needs a resource");
  }

  @ParameterizedTest
  @MethodSource("requests")
  void printsAsVerbGroupResourceNamespaceName(
      String method, String uri, RequestAttributes attributes) {
    String printed = attributes.toString();
    assertThat(printed).startsWith(attributes.verb() + " ");
    if (attributes.resourceRequest()) {
      assertThat(printed).contains("/" + attributes.resourcePath());
    }
  }
}
