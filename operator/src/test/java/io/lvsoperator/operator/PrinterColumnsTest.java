package io.lvsoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tiny JSONPath evaluator the printer-column checks rely on must itself be right. */
class PrinterColumnsTest {
  @Test
  void evaluatesPlainPathsAndTheConditionFilter() throws Exception {
    var json =
        new ObjectMapper()
            .readTree(
                """
                {"spec": {"vip": "10.0.0.1", "port": 80},
                 "status": {"conditions": [
                   {"type": "Programmed", "status": "False"},
                   {"type": "Ready", "status": "True"}]}}
                """);
    assertThat(PrinterColumns.evaluate(json, ".spec.vip"))
        .extracting(n -> n.asText())
        .containsExactly("10.0.0.1");
    assertThat(PrinterColumns.evaluate(json, ".spec.port"))
        .extracting(n -> n.asText())
        .containsExactly("80");
    assertThat(PrinterColumns.evaluate(json, ".status.conditions[?(@.type==\"Ready\")].status"))
        .extracting(n -> n.asText())
        .containsExactly("True");
    assertThat(PrinterColumns.evaluate(json, ".status.master")).isEmpty();
    assertThat(PrinterColumns.evaluate(json, ".status.conditions[?(@.type==\"Gone\")].status"))
        .isEqualTo(List.of());
  }
}
