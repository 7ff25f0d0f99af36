package io.lvsoperator.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.Validation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The optional ValidatingAdmissionPolicy, rendered by Helm and its CEL evaluated as the API server
 * would (match condition, then variables, then validations): an agent may write only the LvsNode of
 * the node its token is bound to, and only that node's LvsNodeSlices.
 */
class AdmissionPolicyTest {
  private static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("request", SimpleType.DYN)
          .addVar("object", SimpleType.DYN)
          .addVar("variables", SimpleType.DYN)
          .build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();
  private static final String AGENT = "system:serviceaccount:lvs-system:lvs-operator-agent";

  private static ValidatingAdmissionPolicy policy;
  private static ValidatingAdmissionPolicyBinding binding;

  @BeforeAll
  static void render() throws Exception {
    RenderedChart r = RenderedChart.render(Map.of("admissionPolicy.enabled", true));
    policy = r.all(ValidatingAdmissionPolicy.class).getFirst();
    binding = r.all(ValidatingAdmissionPolicyBinding.class).getFirst();
  }

  @Test
  void policyCoversLvsNodeWritesAndIsBoundToDeny() {
    assertThat(policy.getSpec().getFailurePolicy()).isEqualTo("Fail");
    var rule = policy.getSpec().getMatchConstraints().getResourceRules().getFirst();
    assertThat(rule.getApiGroups()).containsExactly("lvsoperator.io");
    assertThat(rule.getResources())
        .containsExactlyInAnyOrder(
            "lvsnodes", "lvsnodes/status", "lvsnodeslices", "lvsnodeslices/status");
    assertThat(rule.getOperations()).contains("UPDATE");
    assertThat(binding.getSpec().getPolicyName()).isEqualTo(policy.getMetadata().getName());
    assertThat(binding.getSpec().getValidationActions()).containsExactly("Deny");
  }

  @Test
  void olderClustersGetAClearErrorInsteadOfAPolicyThatDeniesEverything() {
    assertThatThrownBy(
            () -> RenderedChart.render(Map.of("admissionPolicy.enabled", true), "1.29.4"))
        .hasMessageContaining("admissionPolicy.enabled needs Kubernetes 1.30 or later")
        .hasMessageContaining("v1.29.4");
  }

  @Test
  void agentMayWriteItsOwnNode() throws Exception {
    assertThat(
            admit(AGENT, Map.of("authentication.kubernetes.io/node-name", List.of("lvs1")), "lvs1"))
        .isNull();
  }

  @Test
  void agentMayNotWriteAnotherNode() throws Exception {
    assertThat(
            admit(AGENT, Map.of("authentication.kubernetes.io/node-name", List.of("lvs1")), "lvs2"))
        .isEqualTo("the agent on node lvs1 may write only LvsNode lvs1, not lvs2");
  }

  @Test
  void agentMayWriteTheSlicesOfItsNodeOnly() throws Exception {
    Map<String, List<String>> lvs1 =
        Map.of("authentication.kubernetes.io/node-name", List.of("lvs1"));
    assertThat(admitSlice(AGENT, lvs1, "lvs1-0", "lvs1")).isNull();
    assertThat(admitSlice(AGENT, lvs1, "lvs2-0", "lvs2"))
        .isEqualTo(
            "the agent on node lvs1 may write only the LvsNodeSlices of node lvs1, not lvs2-0 of node lvs2");
    assertThat(admitSlice(AGENT, lvs1, "lvs1-9", null))
        .as("a slice that names no node")
        .contains("not lvs1-9 of node ");
  }

  @Test
  void agentTokenWithoutANodeIsDenied() throws Exception {
    assertThat(admit(AGENT, Map.of(), "lvs1")).contains("not bound to a node");
    assertThat(admit(AGENT, null, "lvs1")).contains("not bound to a node");
  }

  @Test
  void otherUsersAreNotMatched() throws Exception {
    assertThat(admit("system:serviceaccount:lvs-system:lvs-operator-operator", Map.of(), "lvs2"))
        .isNull();
    assertThat(admit("system:serviceaccount:other:lvs-operator-agent", Map.of(), "lvs2")).isNull();
  }

  /** Null when admitted, else the denial message: a write of LvsNode {@code objectName}. */
  private static String admit(String user, Map<String, List<String>> extra, String objectName)
      throws Exception {
    return admit(user, extra, "lvsnodes", Map.of("metadata", Map.of("name", objectName)));
  }

  /** As {@link #admit}, for LvsNodeSlice {@code name} of node {@code node} (null: none given). */
  private static String admitSlice(
      String user, Map<String, List<String>> extra, String name, String node) throws Exception {
    Map<String, Object> object = new HashMap<>();
    object.put("metadata", Map.of("name", name));
    object.put("spec", node == null ? Map.of() : Map.of("node", node));
    return admit(user, extra, "lvsnodeslices", object);
  }

  private static String admit(
      String user, Map<String, List<String>> extra, String resource, Map<String, Object> object)
      throws Exception {
    Map<String, Object> userInfo = new HashMap<>();
    userInfo.put("username", user);
    if (extra != null) {
      userInfo.put("extra", extra);
    }
    Map<String, Object> vars = new HashMap<>();
    vars.put(
        "request",
        Map.of(
            "userInfo",
            userInfo,
            "operation",
            "UPDATE",
            "resource",
            Map.of("group", "lvsoperator.io", "resource", resource)));
    vars.put("object", object);
    for (var condition : policy.getSpec().getMatchConditions()) {
      if (!Boolean.TRUE.equals(eval(condition.getExpression(), vars))) {
        return null;
      }
    }
    // As the API server does: each variable may use the ones before it.
    Map<String, Object> variables = new HashMap<>();
    vars.put("variables", variables);
    for (var v : policy.getSpec().getVariables()) {
      variables.put(v.getName(), eval(v.getExpression(), vars));
    }
    for (Validation v : policy.getSpec().getValidations()) {
      if (!Boolean.TRUE.equals(eval(v.getExpression(), vars))) {
        return (String) eval(v.getMessageExpression(), vars);
      }
    }
    return null;
  }

  private static Object eval(String expression, Map<String, Object> vars) throws Exception {
    var ast = COMPILER.compile(expression).getAst();
    return RUNTIME.createProgram(ast).eval(vars);
  }
}
