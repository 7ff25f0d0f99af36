package io.lvsoperator.testing.rbac;

import java.util.List;

/**
 * One rule of a Role or ClusterRole, matched as Kubernetes' RBAC authorizer matches it ({@code
 * RuleAllows}): {@code *} matches any verb, group or resource; a resource rule names {@code
 * resource} or {@code resource/subresource} ({@code *}{@code /subresource} matches that subresource
 * of any resource); a rule with {@code resourceNames} allows only requests that carry one of those
 * names (so never a create, nor a list without a {@code metadata.name} field selector); a
 * non-resource URL ending in {@code *} matches by prefix.
 */
public record PolicyRule(
    List<String> apiGroups,
    List<String> resources,
    List<String> verbs,
    List<String> resourceNames,
    List<String> nonResourceURLs) {

  private static final String ALL = "*";

  public PolicyRule {
    apiGroups = List.copyOf(apiGroups);
    resources = List.copyOf(resources);
    verbs = List.copyOf(verbs);
    resourceNames = List.copyOf(resourceNames);
    nonResourceURLs = List.copyOf(nonResourceURLs);
  }

  /** A resource rule. */
  public static PolicyRule of(
      List<String> apiGroups, List<String> resources, List<String> verbs, List<String> names) {
    return new PolicyRule(apiGroups, resources, verbs, names, List.of());
  }

  /** A non-resource rule (ClusterRoles only). */
  public static PolicyRule nonResource(List<String> urls, List<String> verbs) {
    return new PolicyRule(List.of(), List.of(), verbs, List.of(), urls);
  }

  public boolean allows(RequestAttributes request) {
    if (!verbMatches(request.verb())) {
      return false;
    }
    if (!request.resourceRequest()) {
      return nonResourceURLs.stream().anyMatch(url -> urlMatches(url, request.path()));
    }
    return (apiGroups.contains(ALL) || apiGroups.contains(request.apiGroup()))
        && resourceMatches(request)
        && (resourceNames.isEmpty() || resourceNames.contains(request.name()));
  }

  private boolean verbMatches(String verb) {
    return verbs.contains(ALL) || verbs.contains(verb);
  }

  private boolean resourceMatches(RequestAttributes request) {
    for (String resource : resources) {
      if (resource.equals(ALL) || resource.equals(request.resourcePath())) {
        return true;
      }
      if (!request.subresource().isEmpty() && resource.equals("*/" + request.subresource())) {
        return true;
      }
    }
    return false;
  }

  private static boolean urlMatches(String rule, String path) {
    if (rule.equals(ALL) || rule.equals(path)) {
      return true;
    }
    return rule.endsWith(ALL) && path.startsWith(rule.substring(0, rule.length() - 1));
  }
}
