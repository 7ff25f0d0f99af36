package io.lvsoperator.compiler;

import io.lvsoperator.api.v1alpha1.TenantPolicy;
import io.lvsoperator.api.v1alpha1.TenantPolicySpec;
import io.lvsoperator.api.v1alpha1.TenantPolicySpec.SpecialAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The TenantPolicies of a cluster, read once per compile: which VIP ranges, real-server ranges and
 * director nodes the objects of each namespace may use.
 *
 * <p>A namespace that several policies name must satisfy every one of them (the intersection): a
 * policy can only narrow what a namespace may do, so adding one never opens anything, and the
 * chart's ValidatingAdmissionPolicy, which the API server evaluates once per policy, decides the
 * same way. A namespace that no policy names is not restricted, unless {@code required} (chart
 * value {@code tenantPolicy.required}): then nothing of it runs.
 *
 * <p>An entry of a policy that does not parse (a CIDR the CRD's loose pattern let through) allows
 * nothing and is reported in {@link #problems()}: a typo narrows, never widens.
 */
public final class TenantPolicies {
  /** No policy, nothing required: every namespace may do anything (the default install). */
  public static final TenantPolicies NONE = new TenantPolicies(List.of(), false, List.of());

  private final List<Rule> rules;
  private final boolean required;
  private final List<String> problems;
  private final Map<String, List<Rule>> byNamespace = new HashMap<>();

  private TenantPolicies(List<Rule> rules, boolean required, List<String> problems) {
    this.rules = List.copyOf(rules);
    this.required = required;
    this.problems = List.copyOf(problems);
    for (Rule r : this.rules) {
      r.namespaces().forEach(ns -> byNamespace.computeIfAbsent(ns, k -> new ArrayList<>()).add(r));
    }
  }

  /**
   * @param policies every TenantPolicy (null entries and duplicates of a name are skipped)
   * @param required whether a namespace no policy names may run nothing
   */
  public static TenantPolicies of(List<TenantPolicy> policies, boolean required) {
    List<Rule> rules = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Set<String> seen = new java.util.HashSet<>();
    List<TenantPolicy> sorted =
        policies == null
            ? List.of()
            : policies.stream()
                .filter(Objects::nonNull)
                .filter(p -> p.getMetadata() != null && p.getMetadata().getName() != null)
                .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                .toList();
    for (TenantPolicy p : sorted) {
      if (seen.add(p.getMetadata().getName())) {
        rules.add(Rule.of(p.getMetadata().getName(), p.getSpec(), problems));
      }
    }
    return new TenantPolicies(rules, required, problems);
  }

  /** Whether a namespace no policy names may run nothing. */
  public boolean required() {
    return required;
  }

  /** Entries of the policies that allow nothing because they do not parse, one line each. */
  public List<String> problems() {
    return problems;
  }

  /** The policies naming this namespace, by name; empty when none does. */
  List<Rule> governing(String namespace) {
    return byNamespace.getOrDefault(namespace, List.of());
  }

  /** One TenantPolicy, parsed. */
  record Rule(
      String name,
      Set<String> namespaces,
      List<Cidr> vipRanges,
      List<Cidr> realServerRanges,
      NodeRule directors,
      NodeRule realServerNodes,
      Set<SpecialAddress> allow) {

    static Rule of(String name, TenantPolicySpec spec, List<String> problems) {
      if (spec == null) {
        problems.add("TenantPolicy " + name + ": spec is missing (it governs no namespace)");
        return new Rule(
            name, Set.of(), List.of(), List.of(), NodeRule.NONE, NodeRule.NONE, Set.of());
      }
      Set<SpecialAddress> allow = EnumSet.noneOf(SpecialAddress.class);
      allow.addAll(spec.allow());
      return new Rule(
          name,
          new LinkedHashSet<>(spec.namespaces()),
          ranges(name, "spec.vipRanges", spec.vipRanges(), problems),
          ranges(name, "spec.realServerRanges", spec.realServerRanges(), problems),
          NodeRule.of(spec.directorNodes()),
          NodeRule.of(spec.realServerNodes()),
          Set.copyOf(allow));
    }

    private static List<Cidr> ranges(
        String policy, String path, List<String> texts, List<String> problems) {
      List<Cidr> out = new ArrayList<>();
      for (int i = 0; i < texts.size(); i++) {
        var cidr = Cidr.parse(texts.get(i));
        if (cidr.isPresent()) {
          out.add(cidr.get());
        } else {
          problems.add(
              "TenantPolicy "
                  + policy
                  + ": "
                  + new FieldError(
                      path + "[" + i + "]",
                      String.valueOf(texts.get(i)),
                      "is not a CIDR like 10.0.10.0/24 or fd00::/64 (it allows nothing)"));
        }
      }
      return List.copyOf(out);
    }

    /** Whether this policy lets a node direct. */
    boolean allowsDirector(NodeInfo node) {
      return directors.allows(node);
    }
  }

  /** Nodes a policy allows for one purpose: by name, or carrying every label of the selector. */
  record NodeRule(Set<String> names, Map<String, String> selector) {
    static final NodeRule NONE = new NodeRule(Set.of(), Map.of());

    static NodeRule of(TenantPolicySpec.AllowedNodes nodes) {
      if (nodes == null) {
        return NONE;
      }
      // AllowedNodes copies its lists and maps (List.copyOf, Map.copyOf): no null gets this far.
      return new NodeRule(Set.copyOf(nodes.names()), nodes.nodeSelector());
    }

    boolean allows(NodeInfo node) {
      return names.contains(node.name())
          || (!selector.isEmpty() && LabelSelectors.matches(selector, node.labels()));
    }
  }
}
