package io.lvsoperator.compiler;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Kubernetes label selector semantics (matchLabels AND matchExpressions). */
final class LabelSelectors {
  private static final Set<String> OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist");

  private LabelSelectors() {}

  /**
   * Reports what Kubernetes refuses in a label selector at {@code path}: a null label value, an
   * expression without key, an operator other than In, NotIn, Exists and DoesNotExist, In/NotIn
   * without values, Exists/DoesNotExist with values. A selector with an error selects nothing.
   */
  static void check(String path, LabelSelector selector, FieldErrors errors) {
    if (selector == null) {
      return;
    }
    labels(path + ".matchLabels", selector.getMatchLabels(), errors);
    List<LabelSelectorRequirement> expressions = selector.getMatchExpressions();
    if (expressions == null) {
      return;
    }
    for (int i = 0; i < expressions.size(); i++) {
      LabelSelectorRequirement r = expressions.get(i);
      String p = path + ".matchExpressions[" + i + "]";
      if (r == null) {
        errors.add(p, "null", "is not a selector requirement");
        continue;
      }
      if (r.getKey() == null || r.getKey().isEmpty()) {
        errors.add(p + ".key", null, "is required");
      }
      List<String> values = r.getValues() == null ? List.of() : r.getValues();
      for (int j = 0; j < values.size(); j++) {
        if (values.get(j) == null) {
          errors.add(p + ".values[" + j + "]", "null", "is not a label value");
        }
      }
      String op = r.getOperator();
      if (op == null || !OPERATORS.contains(op)) {
        errors.add(p + ".operator", op, "is not In, NotIn, Exists or DoesNotExist");
      } else if ((op.equals("In") || op.equals("NotIn")) && values.isEmpty()) {
        errors.add(p + ".values", null, "must not be empty with operator " + op);
      } else if ((op.equals("Exists") || op.equals("DoesNotExist")) && !values.isEmpty()) {
        errors.add(p + ".values", String.join(",", values), "must be empty with operator " + op);
      }
    }
  }

  /** Reports null keys and values of a label map (matchLabels, nodeSelector) at {@code path}. */
  static void labels(String path, Map<String, String> labels, FieldErrors errors) {
    if (labels == null) {
      return;
    }
    for (var e : labels.entrySet()) {
      if (e.getKey() == null || e.getKey().isEmpty()) {
        errors.add(path, null, "has an empty label key");
      } else if (e.getValue() == null) {
        errors.add(path + "." + e.getKey(), "null", "is not a label value");
      }
    }
  }

  static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    Map<String, String> l = labels == null ? Map.of() : labels;
    if (selector.getMatchLabels() != null) {
      for (var e : selector.getMatchLabels().entrySet()) {
        if (!e.getValue().equals(l.get(e.getKey()))) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        if (!matches(r, l)) {
          return false;
        }
      }
    }
    return true;
  }

  static boolean matches(Map<String, String> selector, Map<String, String> labels) {
    Map<String, String> l = labels == null ? Map.of() : labels;
    return selector.entrySet().stream().allMatch(e -> e.getValue().equals(l.get(e.getKey())));
  }

  private static boolean matches(LabelSelectorRequirement r, Map<String, String> labels) {
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    String v = labels.get(r.getKey());
    return switch (r.getOperator()) {
      case "In" -> v != null && values.contains(v);
      case "NotIn" -> v == null || !values.contains(v);
      case "Exists" -> labels.containsKey(r.getKey());
      case "DoesNotExist" -> !labels.containsKey(r.getKey());
      default -> false;
    };
  }
}
