package io.lvsoperator.agent.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatusCodeMatcherTest {

  @ParameterizedTest
  @CsvSource({
    "'', 200, true",
    "'', 204, true",
    "'', 299, true",
    "'', 300, false",
    "'', 199, false",
    "'', 500, false",
    "200, 200, true",
    "200, 201, false",
    "200, 301, false",
    "'200-204,301', 301, true",
    "'200-204,301', 204, true",
    "'200-204,301', 205, false",
    "'404', 404, true"
  })
  void matches(String expected, int status, boolean healthy) {
    List<String> codes = expected.isEmpty() ? List.of() : List.of(expected.split(","));
    assertThat(StatusCodeMatcher.parse(codes).matches(status)).isEqualTo(healthy);
  }

  @Test
  void badEntriesNameIndexAndValue() {
    assertThatThrownBy(() -> StatusCodeMatcher.parse(List.of("200", "abc")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("healthCheck.expectedStatus[1]: 'abc' is not a status code 100-599");
    assertThatThrownBy(() -> StatusCodeMatcher.parse(List.of("299-200")))
        .hasMessage("healthCheck.expectedStatus[0]: '299-200' is an empty range");
    assertThatThrownBy(() -> StatusCodeMatcher.parse(List.of("700")))
        .hasMessage("healthCheck.expectedStatus[0]: '700' is not a status code 100-599");
  }
}
