package io.lvsoperator.testing.rbac;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What an authorizer decides on: the attributes the API server derives from an HTTP request
 * (Kubernetes' {@code RequestInfo}). A resource request has a verb (get, list, watch, create,
 * update, patch, delete, deletecollection), an API group ("" for the core group), a resource, maybe
 * a subresource, a namespace ("" for cluster scope and for requests across all namespaces) and a
 * name ("" for collections); a non-resource request has a path and the lower-cased HTTP method as
 * its verb.
 */
public record RequestAttributes(
    boolean resourceRequest,
    String verb,
    String apiGroup,
    String resource,
    String subresource,
    String namespace,
    String name,
    String path) {

  private static final Set<String> SPECIAL_VERBS = Set.of("proxy", "watch");
  private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

  public static RequestAttributes resource(
      String verb,
      String apiGroup,
      String resource,
      String subresource,
      String namespace,
      String name) {
    return new RequestAttributes(true, verb, apiGroup, resource, subresource, namespace, name, "");
  }

  public static RequestAttributes nonResource(String verb, String path) {
    return new RequestAttributes(false, verb, "", "", "", "", "", path);
  }

  /**
   * The attributes of an HTTP request, derived as the API server derives them: GET on a name is
   * get, on a collection list, or watch with {@code ?watch=true} (or under the legacy {@code
   * /watch/} prefix); POST create, PUT update, PATCH patch, DELETE on a name delete and on a
   * collection deletecollection. A list or watch whose field selector requires {@code
   * metadata.name=X} carries the name X, so {@code resourceNames} rules can allow it.
   *
   * @param uri the request target: path and optional query, e.g. {@code
   *     /apis/lvsoperator.io/v1alpha1/lvsnodes?fieldSelector=metadata.name%3Dlvs1&watch=true}
   */
  public static RequestAttributes fromHttp(String method, String uri) {
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    String query = q < 0 ? "" : uri.substring(q + 1);
    List<String> parts = split(path);
    RequestAttributes nonResource = nonResource(method.toLowerCase(java.util.Locale.ROOT), path);
    if (parts.size() < 3) {
      return nonResource;
    }
    String prefix = parts.getFirst();
    if (!prefix.equals("api") && !prefix.equals("apis")) {
      return nonResource;
    }
    List<String> rest = parts.subList(1, parts.size());
    String group = "";
    if (prefix.equals("apis")) {
      if (rest.size() < 3) {
        return nonResource;
      }
      group = rest.getFirst();
      rest = rest.subList(1, rest.size());
    }
    rest = rest.subList(1, rest.size()); // the version
    String verb;
    if (SPECIAL_VERBS.contains(rest.getFirst())) {
      if (rest.size() < 2) {
        throw new IllegalArgumentException(
            uri + ": " + rest.getFirst() + " needs a resource after it");
      }
      verb = rest.getFirst();
      rest = rest.subList(1, rest.size());
    } else {
      verb =
          switch (method.toUpperCase(java.util.Locale.ROOT)) {
            case "POST" -> "create";
            case "GET", "HEAD" -> "get";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> "";
          };
    }
    String namespace = "";
    if (rest.getFirst().equals("namespaces")) {
      if (rest.size() > 1) {
        namespace = rest.get(1);
        if (rest.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(rest.get(2))) {
          rest = rest.subList(2, rest.size());
        }
      }
    }
    String resource = rest.getFirst();
    String name = rest.size() >= 2 ? rest.get(1) : "";
    String subresource = rest.size() >= 3 && !verb.equals("proxy") ? rest.get(2) : "";
    if (name.isEmpty() && verb.equals("get")) {
      verb =
          queryParameter(query, "watch").map(RequestAttributes::isTrue).orElse(false)
              ? "watch"
              : "list";
    }
    if (name.isEmpty() && (verb.equals("list") || verb.equals("watch"))) {
      name =
          queryParameter(query, "fieldSelector").flatMap(RequestAttributes::exactName).orElse("");
    }
    if (name.isEmpty() && verb.equals("delete")) {
      verb = "deletecollection";
    }
    return resource(verb, group, resource, subresource, namespace, name);
  }

  /** {@code resource} or {@code resource/subresource}, as RBAC rules name it. */
  public String resourcePath() {
    return subresource.isEmpty() ? resource : resource + "/" + subresource;
  }

  @Override
  public String toString() {
    if (!resourceRequest) {
      return verb + " " + path;
    }
    return verb
        + " "
        + (apiGroup.isEmpty() ? "core" : apiGroup)
        + "/"
        + resourcePath()
        + (namespace.isEmpty() ? "" : " namespace=" + namespace)
        + (name.isEmpty() ? "" : " name=" + name);
  }

  private static List<String> split(String path) {
    String trimmed = path;
    while (trimmed.startsWith("/")) {
      trimmed = trimmed.substring(1);
    }
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed.isEmpty() ? List.of() : new ArrayList<>(Arrays.asList(trimmed.split("/", -1)));
  }

  private static Optional<String> queryParameter(String query, String key) {
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      if (k.equals(key)) {
        return Optional.of(
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return Optional.empty();
  }

  /** Go's strconv.ParseBool, which the API server's query decoding uses. */
  private static boolean isTrue(String value) {
    return Set.of("1", "t", "T", "true", "TRUE", "True").contains(value);
  }

  /** The value a field selector requires {@code metadata.name} to equal exactly, if any. */
  private static Optional<String> exactName(String selector) {
    for (String term : selector.split(",")) {
      if (term.contains("!=")) {
        continue;
      }
      String[] kv = term.contains("==") ? term.split("==", 2) : term.split("=", 2);
      if (kv.length == 2 && kv[0].strip().equals("metadata.name") && !kv[1].isBlank()) {
        return Optional.of(kv[1].strip());
      }
    }
    return Optional.empty();
  }
}
