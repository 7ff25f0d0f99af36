package io.lvsoperator.keepalived.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvsoperator.api.v1alpha1.Patterns;
import org.junit.jupiter.api.Test;

class VrrpFieldsTest {
  @Test
  void theImportAcceptsThePasswordsTheApiAccepts() {
    assertThat(VrrpFields.AUTH_PASS_REGEX).isEqualTo(Patterns.VRRP_AUTH_PASS);
  }
}
