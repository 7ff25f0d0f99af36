package io.lvsoperator.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.Validation;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's TenantPolicy ValidatingAdmissionPolicy, rendered by Helm and evaluated as the API
 * server would: once per TenantPolicy (the binding's paramRef selects them all), variables then
 * validations, the first failing validation's message. Kubernetes' IP and CIDR CEL library ({@code
 * ip}, {@code cidr}, {@code isCIDR}, {@code containsIP}, {@code isLoopback}, {@code
 * isLinkLocalUnicast}) is not in cel-java: this test declares it with the semantics of the
 * Kubernetes documentation (host bits of a CIDR ignored; IPv4 and IPv6 never contain each other).
 */
class TenantAdmissionPolicyTest {
  private static final OpaqueType CIDR = OpaqueType.create("net.CIDR");
  private static final OpaqueType IP = OpaqueType.create("net.IP");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addLibraries(CelExtensions.strings())
          .addFunctionDeclarations(
              CelFunctionDecl.newFunctionDeclaration(
                  "isCIDR",
                  CelOverloadDecl.newGlobalOverload("is_cidr", SimpleType.BOOL, SimpleType.STRING)),
              CelFunctionDecl.newFunctionDeclaration(
                  "cidr", CelOverloadDecl.newGlobalOverload("cidr", CIDR, SimpleType.STRING)),
              CelFunctionDecl.newFunctionDeclaration(
                  "ip", CelOverloadDecl.newGlobalOverload("ip", IP, SimpleType.STRING)),
              CelFunctionDecl.newFunctionDeclaration(
                  "containsIP",
                  CelOverloadDecl.newMemberOverload(
                      "cidr_contains_ip_string", SimpleType.BOOL, CIDR, SimpleType.STRING)),
              CelFunctionDecl.newFunctionDeclaration(
                  "isLoopback",
                  CelOverloadDecl.newMemberOverload("ip_is_loopback", SimpleType.BOOL, IP)),
              CelFunctionDecl.newFunctionDeclaration(
                  "isLinkLocalUnicast",
                  CelOverloadDecl.newMemberOverload(
                      "ip_is_link_local_unicast", SimpleType.BOOL, IP)))
          .addVar("request", SimpleType.DYN)
          .addVar("object", SimpleType.DYN)
          .addVar("params", SimpleType.DYN)
          .addVar("variables", SimpleType.DYN)
          .build();

  private static final CelRuntime RUNTIME =
      CelRuntimeFactory.standardCelRuntimeBuilder()
          .addLibraries(CelExtensions.strings())
          .addFunctionBindings(
              CelFunctionBinding.from("is_cidr", String.class, t -> Cidr.parse(t) != null),
              CelFunctionBinding.from("cidr", String.class, TenantAdmissionPolicyTest::cidr),
              CelFunctionBinding.from("ip", String.class, TenantAdmissionPolicyTest::ip),
              CelFunctionBinding.from(
                  "cidr_contains_ip_string", Cidr.class, String.class, (c, a) -> c.contains(ip(a))),
              CelFunctionBinding.from(
                  "ip_is_loopback", InetAddress.class, InetAddress::isLoopbackAddress),
              CelFunctionBinding.from(
                  "ip_is_link_local_unicast", InetAddress.class, InetAddress::isLinkLocalAddress))
          .build();

  /** A parsed CIDR: network bytes and prefix length. */
  record Cidr(byte[] network, int bits) {
    static Cidr parse(String text) {
      int slash = text.indexOf('/');
      if (slash < 0 || !text.substring(slash + 1).matches("[0-9]{1,3}")) {
        return null;
      }
      try {
        byte[] a = InetAddress.ofLiteral(text.substring(0, slash)).getAddress();
        int bits = Integer.parseInt(text.substring(slash + 1));
        return bits > a.length * 8 ? null : new Cidr(a, bits);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }

    boolean contains(InetAddress address) {
      byte[] a = address.getAddress();
      if (a.length != network.length) {
        return false;
      }
      for (int i = 0; i < bits; i++) {
        int mask = 0x80 >> (i % 8);
        if ((a[i / 8] & mask) != (network[i / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }

  private static Cidr cidr(String text) {
    Cidr c = Cidr.parse(text);
    if (c == null) {
      throw new IllegalArgumentException("network address parse error during conversion: " + text);
    }
    return c;
  }

  private static InetAddress ip(String text) {
    return InetAddress.ofLiteral(text);
  }

  static final String TEAM_A =
      """
      metadata: {name: team-a}
      spec:
        namespaces: [team-a]
        vipRanges: [10.0.10.0/24, "fd00:10::/64", "not-a-range::/200"]
        realServerRanges: [10.0.20.0/24, 127.0.0.0/8, "fe80::/10"]
        directorNodes: {names: [lvs1]}
      """;

  private static ValidatingAdmissionPolicy policy;
  private static ValidatingAdmissionPolicyBinding binding;

  @BeforeAll
  static void render() {
    RenderedChart r = RenderedChart.render(Map.of("tenantPolicy.admission.enabled", true));
    policy =
        r.all(ValidatingAdmissionPolicy.class).stream()
            .filter(p -> p.getMetadata().getName().endsWith("-tenant-policy"))
            .findFirst()
            .orElseThrow();
    binding =
        r.all(ValidatingAdmissionPolicyBinding.class).stream()
            .filter(b -> b.getSpec().getPolicyName().equals(policy.getMetadata().getName()))
            .findFirst()
            .orElseThrow();
  }

  @Test
  void everyTenantPolicyIsAParamAndTheBindingDenies() {
    assertThat(policy.getSpec().getParamKind().getKind()).isEqualTo("TenantPolicy");
    assertThat(policy.getSpec().getFailurePolicy()).isEqualTo("Fail");
    var rule = policy.getSpec().getMatchConstraints().getResourceRules().getFirst();
    assertThat(rule.getResources())
        .as("status writes (the operator's) are not matched")
        .containsExactlyInAnyOrder("virtualservers", "vrrpinstances", "realservers");
    assertThat(binding.getSpec().getParamRef().getSelector()).isNotNull();
    assertThat(binding.getSpec().getParamRef().getSelector().getMatchLabels()).isNullOrEmpty();
    assertThat(binding.getSpec().getParamRef().getParameterNotFoundAction()).isEqualTo("Allow");
    assertThat(binding.getSpec().getValidationActions()).containsExactly("Deny");
    assertThat(RenderedChart.render(Map.of()).all(ValidatingAdmissionPolicy.class)).isEmpty();
  }

  @Test
  void olderClustersGetAClearError() {
    assertThatThrownBy(
            () -> RenderedChart.render(Map.of("tenantPolicy.admission.enabled", true), "1.29.4"))
        .hasMessageContaining("tenantPolicy.admission.enabled needs Kubernetes 1.30 or later");
  }

  static String vs(String extra) {
    return """
        kind: VirtualServer
        spec:
          vip: 10.0.10.1
          port: 80
          directors: {nodes: [{name: lvs1}]}
          realServers: [{address: 10.0.20.1}]
        """
        + extra.indent(2);
  }

  @Test
  void aNamespaceThePolicyDoesNotNameIsNotChecked() throws Exception {
    assertThat(admit("default", vs("").replace("10.0.10.1", "192.0.2.1"), TEAM_A)).isNull();
    assertThat(admit("team-a", vs(""), TEAM_A)).isNull();
  }

  @Test
  void vipsOutsideTheRangesAreRefused() throws Exception {
    assertThat(admit("team-a", vs("").replace("10.0.10.1", "10.0.11.1"), TEAM_A))
        .isEqualTo(
            "10.0.11.1 is outside the VIP ranges of TenantPolicy team-a (10.0.10.0/24,"
                + " fd00:10::/64)");
    assertThat(admit("team-a", vs("").replace("10.0.10.1", "fd00:10::9"), TEAM_A)).isNull();
    assertThat(admit("team-a", vs("").replace("10.0.10.1", "fd00:11::9"), TEAM_A))
        .startsWith("fd00:11::9 is outside the VIP ranges");
    assertThat(admit("team-a", vs("additionalAddresses: [{address: 10.0.10.250-255}]"), TEAM_A))
        .isNull();
    String narrow = TEAM_A.replace("10.0.10.0/24", "10.0.10.0/25");
    assertThat(admit("team-a", vs("additionalAddresses: [{address: 10.0.10.120-130}]"), narrow))
        .isEqualTo(
            "10.0.10.120-130 is outside the VIP ranges of TenantPolicy team-a (10.0.10.0/25,"
                + " fd00:10::/64)");
  }

  @Test
  void loopbackAndLinkLocalAreNeverVips() throws Exception {
    String wide = TEAM_A.replace("[10.0.10.0/24,", "[0.0.0.0/0,");
    assertThat(admit("team-a", vs("").replace("10.0.10.1", "127.0.0.1"), wide))
        .isEqualTo(
            "127.0.0.1 is loopback or link-local, never a VIP, refused by TenantPolicy team-a");
    String vri =
        """
        kind: VrrpInstance
        spec:
          directors: {nodes: [{name: lvs1}]}
          addresses: [{address: 10.0.10.9}]
          excludedAddresses: [{address: 169.254.0.1}]
        """;
    assertThat(admit("team-a", vri, wide))
        .isEqualTo(
            "169.254.0.1 is loopback or link-local, never a VIP, refused by TenantPolicy team-a");
    assertThat(admit("team-a", vri.replace("169.254.0.1", "10.0.10.10"), TEAM_A)).isNull();
  }

  @Test
  void realServersOutsideTheRangesOrSpecialUnlessAllowed() throws Exception {
    assertThat(admit("team-a", vs("").replace("10.0.20.1", "10.0.21.1"), TEAM_A))
        .isEqualTo(
            "real server 10.0.21.1 is outside the real-server ranges of TenantPolicy team-a"
                + " (10.0.20.0/24, 127.0.0.0/8, fe80::/10)");
    assertThat(admit("team-a", vs("").replace("10.0.20.1", "127.0.0.1"), TEAM_A))
        .isEqualTo(
            "real server 127.0.0.1 is loopback or link-local, refused by TenantPolicy team-a");
    assertThat(admit("team-a", vs("sorryServer: {address: 'fe80::1'}"), TEAM_A))
        .isEqualTo("real server fe80::1 is loopback or link-local, refused by TenantPolicy team-a");
    String lenient = TEAM_A + "  allow: [Loopback, LinkLocal]\n";
    assertThat(admit("team-a", vs("sorryServer: {address: 'fe80::1'}"), lenient)).isNull();
    assertThat(admit("team-a", vs("").replace("10.0.20.1", "127.0.0.1"), lenient)).isNull();
    String rs = "kind: RealServer\nspec: {address: 10.9.9.9, port: 80, virtualServer: web}\n";
    assertThat(admit("team-a", rs, TEAM_A))
        .startsWith("real server 10.9.9.9 is outside the real-server ranges");
  }

  @Test
  void directorsNotAllowedByName() throws Exception {
    String two = vs("").replace("[{name: lvs1}]", "[{name: lvs1}, {name: lvs2}]");
    assertThat(admit("team-a", two, TEAM_A))
        .isEqualTo("director lvs2 is not a director node TenantPolicy team-a allows");
    String byLabel = TEAM_A.replace("{names: [lvs1]}", "{nodeSelector: {role: director}}");
    assertThat(admit("team-a", two, byLabel))
        .as("labels are the operator's to judge (the Node is not in the request)")
        .isNull();
  }

  @Test
  void realServerNodesNotAllowedByName() throws Exception {
    String dr = vs("").replace("[{address: 10.0.20.1}]", "[{address: 10.0.20.1, node: web1}]");
    assertThat(admit("team-a", dr, TEAM_A))
        .isEqualTo("node web1 is not a real-server node TenantPolicy team-a allows");
    assertThat(admit("team-a", dr, TEAM_A + "  realServerNodes: {names: [web1]}\n")).isNull();
    String rs = "kind: RealServer\nspec: {address: 10.0.20.2, port: 80, node: lvs1}\n";
    assertThat(admit("team-a", rs, TEAM_A))
        .isEqualTo("node lvs1 is not a real-server node TenantPolicy team-a allows");
    assertThat(admit("team-a", rs, TEAM_A + "  realServerNodes: {nodeSelector: {role: dr}}\n"))
        .as("labels are the operator's to judge")
        .isNull();
    assertThat(admit("team-a", rs.replace(", node: lvs1", ""), TEAM_A)).isNull();
  }

  @Test
  void everyPolicyNamingTheNamespaceMustAllow() throws Exception {
    String other =
        """
        metadata: {name: team-a-lab}
        spec:
          namespaces: [team-a]
          vipRanges: [10.0.10.0/28]
          realServerRanges: [10.0.20.0/24]
          directorNodes: {names: [lvs1]}
        """;
    assertThat(admit("team-a", vs(""), TEAM_A, other)).isNull();
    assertThat(admit("team-a", vs("").replace("10.0.10.1", "10.0.10.100"), TEAM_A, other))
        .isEqualTo(
            "10.0.10.100 is outside the VIP ranges of TenantPolicy team-a-lab (10.0.10.0/28)");
  }

  /**
   * Null when every TenantPolicy admits the object (as the API server runs the policy once per
   * param), else the first denial's message.
   */
  private static String admit(String namespace, String objectYaml, String... policies)
      throws Exception {
    Map<String, Object> object = yaml(objectYaml);
    Map<String, Object> request = new HashMap<>();
    request.put("namespace", namespace);
    request.put("operation", "CREATE");
    request.put("kind", Map.of("group", "lvsoperator.io", "kind", object.get("kind")));
    for (String p : policies) {
      Map<String, Object> vars = new HashMap<>();
      vars.put("request", request);
      vars.put("object", object);
      vars.put("params", yaml(p));
      Map<String, Object> variables = new LinkedHashMap<>();
      vars.put("variables", variables);
      for (var v : policy.getSpec().getVariables()) {
        variables.put(v.getName(), eval(v.getExpression(), vars));
      }
      for (Validation v : policy.getSpec().getValidations()) {
        if (!Boolean.TRUE.equals(eval(v.getExpression(), vars))) {
          return (String) eval(v.getMessageExpression(), vars);
        }
      }
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(String text) throws Exception {
    return (Map<String, Object>) longs(YAML.readValue(text, Map.class));
  }

  /** CEL's int is a Java long. */
  private static Object longs(Object o) {
    if (o instanceof Integer i) {
      return i.longValue();
    }
    if (o instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put((String) k, longs(v)));
      return out;
    }
    if (o instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(x -> out.add(longs(x)));
      return out;
    }
    return o;
  }

  private static Object eval(String expression, Map<String, Object> vars) throws Exception {
    var ast = COMPILER.compile(expression).getAst();
    return RUNTIME.createProgram(ast).eval(vars);
  }
}
