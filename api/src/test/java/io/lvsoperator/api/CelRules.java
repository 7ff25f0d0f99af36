package io.lvsoperator.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a CRD's {@code x-kubernetes-validations} CEL rules against an object, as the API server
 * would: each rule runs with {@code self} bound to the value at the rule's place in the schema. The
 * mock API server does not do this, so the tests do.
 */
final class CelRules {
  private static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("self", SimpleType.DYN)
          .build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  private CelRules() {}

  /** Messages of the rules {@code value} breaks, each prefixed with the path of its place. */
  static List<String> violations(JsonNode schema, JsonNode value) throws Exception {
    List<String> out = new ArrayList<>();
    walk(schema, value, "", out);
    return out;
  }

  private static void walk(JsonNode schema, JsonNode value, String path, List<String> out)
      throws Exception {
    if (value == null || value.isMissingNode() || value.isNull()) {
      return;
    }
    for (JsonNode rule : schema.path("x-kubernetes-validations")) {
      CelAbstractSyntaxTree ast = COMPILER.compile(rule.path("rule").asText()).getAst();
      Object result = RUNTIME.createProgram(ast).eval(Map.of("self", toCel(value)));
      if (!Boolean.TRUE.equals(result)) {
        out.add(path + ": " + rule.path("message").asText());
      }
    }
    if (value.isObject()) {
      for (var e : schema.path("properties").properties()) {
        walk(e.getValue(), value.get(e.getKey()), path + "." + e.getKey(), out);
      }
    }
    if (value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        walk(schema.get("items"), value.get(i), path + "[" + i + "]", out);
      }
    }
  }

  /** JSON to CEL values: integers are int64, objects are maps. */
  static Object toCel(JsonNode n) {
    if (n.isObject()) {
      Map<String, Object> m = new LinkedHashMap<>();
      n.properties().forEach(e -> m.put(e.getKey(), toCel(e.getValue())));
      return m;
    }
    if (n.isArray()) {
      List<Object> l = new ArrayList<>();
      n.forEach(x -> l.add(toCel(x)));
      return l;
    }
    if (n.isIntegralNumber()) {
      return n.asLong();
    }
    if (n.isNumber()) {
      return n.asDouble();
    }
    if (n.isBoolean()) {
      return n.asBoolean();
    }
    return n.asText();
  }
}
