package io.lvsoperator.testing.chart;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.lvsoperator.testing.rbac.Grant;
import io.lvsoperator.testing.rbac.Identity;
import io.lvsoperator.testing.rbac.PolicyRule;
import io.lvsoperator.testing.rbac.RbacPolicy;
import io.lvsoperator.testing.rbac.Subject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The access a rendered chart gives: its Roles and ClusterRoles as bound by its RoleBindings and
 * ClusterRoleBindings ({@link #policy}), and the identities its workloads run as: the operator
 * Deployment's and the agent DaemonSets' ServiceAccounts.
 */
public record ChartRbac(RbacPolicy policy, Identity operator, Identity agent) {

  private static final String COMPONENT = "app.kubernetes.io/component";

  /** Renders the chart (release {@code lvs-operator}) with {@code sets} and reads its access. */
  public static ChartRbac render(String namespace, Map<String, Object> sets) {
    return of(
        HelmChart.objects(
            HelmChart.template("lvs-operator", namespace, HelmChart.KUBE_VERSION, sets)));
  }

  public static ChartRbac of(Collection<HasMetadata> objects) {
    return new ChartRbac(
        policy(objects),
        workloadIdentity(objects, Deployment.class, "operator"),
        workloadIdentity(objects, DaemonSet.class, "agent"));
  }

  /**
   * The grants of the RBAC objects among {@code objects}. A binding to a role that is not among
   * them, or an aggregated ClusterRole, is an error: the policy would not be the whole truth.
   */
  public static RbacPolicy policy(Collection<HasMetadata> objects) {
    Map<String, List<io.fabric8.kubernetes.api.model.rbac.PolicyRule>> clusterRoles =
        new HashMap<>();
    Map<String, List<io.fabric8.kubernetes.api.model.rbac.PolicyRule>> roles = new HashMap<>();
    for (HasMetadata o : objects) {
      if (o instanceof ClusterRole cr) {
        if (cr.getAggregationRule() != null) {
          throw new IllegalArgumentException(
              "ClusterRole/" + name(o) + " aggregates other roles: not evaluated here");
        }
        clusterRoles.put(name(o), rules(cr.getRules()));
      } else if (o instanceof Role r) {
        roles.put(o.getMetadata().getNamespace() + "/" + name(o), rules(r.getRules()));
      }
    }
    List<Grant> grants = new ArrayList<>();
    for (HasMetadata o : objects) {
      if (o instanceof ClusterRoleBinding b) {
        RoleRef ref = b.getRoleRef();
        if (!"ClusterRole".equals(ref.getKind())) {
          throw new IllegalArgumentException(
              "ClusterRoleBinding/" + name(o) + " refers to a " + ref.getKind());
        }
        add(grants, "ClusterRole", ref.getName(), clusterRoles, o, "", b.getSubjects());
      } else if (o instanceof RoleBinding b) {
        RoleRef ref = b.getRoleRef();
        String ns = o.getMetadata().getNamespace();
        if ("ClusterRole".equals(ref.getKind())) {
          add(grants, "ClusterRole", ref.getName(), clusterRoles, o, ns, b.getSubjects());
        } else {
          add(grants, "Role", ns + "/" + ref.getName(), roles, o, ns, b.getSubjects());
        }
      }
    }
    return new RbacPolicy(grants);
  }

  private static void add(
      List<Grant> grants,
      String roleKind,
      String roleKey,
      Map<String, List<io.fabric8.kubernetes.api.model.rbac.PolicyRule>> roles,
      HasMetadata binding,
      String scope,
      List<io.fabric8.kubernetes.api.model.rbac.Subject> subjects) {
    List<io.fabric8.kubernetes.api.model.rbac.PolicyRule> rules = roles.get(roleKey);
    String via = binding.getKind() + "/" + qualified(binding);
    if (rules == null) {
      throw new IllegalArgumentException(
          via + " refers to " + roleKind + "/" + roleKey + ", absent");
    }
    for (var s : subjects) {
      Subject subject = subject(s, scope, via);
      for (int i = 0; i < rules.size(); i++) {
        grants.add(
            new Grant(
                roleKind + "/" + roleKey + " rules[" + i + "] via " + via,
                subject,
                scope,
                convert(rules.get(i))));
      }
    }
  }

  private static Subject subject(
      io.fabric8.kubernetes.api.model.rbac.Subject s, String bindingNamespace, String via) {
    String ns = Objects.requireNonNullElse(s.getNamespace(), "");
    if ("ServiceAccount".equals(s.getKind()) && ns.isEmpty()) {
      if (bindingNamespace.isEmpty()) {
        throw new IllegalArgumentException(
            via + ": ServiceAccount " + s.getName() + " without namespace");
      }
      ns = bindingNamespace;
    }
    return new Subject(s.getKind(), s.getName(), "ServiceAccount".equals(s.getKind()) ? ns : "");
  }

  private static PolicyRule convert(io.fabric8.kubernetes.api.model.rbac.PolicyRule r) {
    return new PolicyRule(
        list(r.getApiGroups()),
        list(r.getResources()),
        list(r.getVerbs()),
        list(r.getResourceNames()),
        list(r.getNonResourceURLs()));
  }

  private static List<io.fabric8.kubernetes.api.model.rbac.PolicyRule> rules(
      List<io.fabric8.kubernetes.api.model.rbac.PolicyRule> rules) {
    return rules == null ? List.of() : List.copyOf(rules);
  }

  private static List<String> list(List<String> values) {
    return values == null ? List.of() : List.copyOf(values);
  }

  private static <T extends HasMetadata> Identity workloadIdentity(
      Collection<HasMetadata> objects, Class<T> type, String component) {
    Set<Identity> found =
        objects.stream()
            .filter(type::isInstance)
            .filter(o -> component.equals(labels(o).get(COMPONENT)))
            .map(
                o ->
                    Identity.serviceAccount(
                        o.getMetadata().getNamespace(),
                        Objects.requireNonNullElse(podSpec(o).getServiceAccountName(), "default")))
            .collect(Collectors.toSet());
    if (found.size() != 1) {
      throw new IllegalArgumentException(
          "expected one ServiceAccount for the " + component + " workloads, found " + found);
    }
    return found.iterator().next();
  }

  private static PodSpec podSpec(HasMetadata o) {
    return switch (o) {
      case Deployment d -> d.getSpec().getTemplate().getSpec();
      case DaemonSet d -> d.getSpec().getTemplate().getSpec();
      default -> throw new IllegalArgumentException(o.getKind() + " has no pod template here");
    };
  }

  private static Map<String, String> labels(HasMetadata o) {
    return Objects.requireNonNullElse(o.getMetadata().getLabels(), Map.of());
  }

  private static String name(HasMetadata o) {
    return o.getMetadata().getName();
  }

  private static String qualified(HasMetadata o) {
    String ns = o.getMetadata().getNamespace();
    return ns == null || ns.isEmpty() ? name(o) : ns + "/" + name(o);
  }
}
