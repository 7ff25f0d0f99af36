package io.lvsoperator.compiler;

import io.lvsoperator.api.v1alpha1.HealthCheckType;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.api.v1alpha1.Patterns;
import io.lvsoperator.api.v1alpha1.VirtualServerSpec;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/** Checks {@code spec.healthCheck} and resolves keepalived's timing terms to milliseconds. */
final class HealthCheckValidator {
  private static final String P = "spec.healthCheck";
  private static final Pattern STATUS = Pattern.compile("^([1-5][0-9][0-9])(-([1-5][0-9][0-9]))?$");
  private static final Pattern HTTP_PATH = Pattern.compile(Patterns.HTTP_PATH);
  private static final Pattern HTTP_HOST = Pattern.compile(Patterns.HTTP_HOST);

  /** What an absent health check means: a TCP connect check with fast defaults. */
  static final LvsNodeSpec.CompiledHealthCheck DEFAULT =
      new LvsNodeSpec.CompiledHealthCheck(
          HealthCheckType.TCP,
          null,
          null,
          null,
          null,
          null,
          null,
          Defaults.CHECK_INTERVAL_MS,
          Defaults.CHECK_TIMEOUT_MS,
          null,
          Defaults.CHECK_INTERVAL_MS,
          Defaults.CHECK_RISE,
          Defaults.CHECK_FALL);

  private HealthCheckValidator() {}

  static LvsNodeSpec.CompiledHealthCheck validate(
      VirtualServerSpec.HealthCheck hc, FieldErrors errors) {
    if (hc == null) {
      return DEFAULT;
    }
    HealthCheckType type = hc.type();
    if (type == null) {
      errors.add(P + ".type", null, "is required");
      type = HealthCheckType.TCP;
    }
    boolean http = type == HealthCheckType.HTTP_GET || type == HealthCheckType.HTTPS_GET;
    checkHttpOnlyFields(hc, type, http, errors);
    List<String> expected = expectedStatus(hc, http, errors);
    if (hc.port() != null && (hc.port() < 1 || hc.port() > 65535)) {
      errors.add(P + ".port", hc.port().toString(), "is not a port (1-65535)");
    }
    int interval = errors.duration(P + ".delayLoop", hc.delayLoop(), Defaults.CHECK_INTERVAL_MS, 1);
    int timeout =
        errors.duration(P + ".connectTimeout", hc.connectTimeout(), Defaults.CHECK_TIMEOUT_MS, 1);
    int delayBeforeRetry =
        errors.duration(P + ".delayBeforeRetry", hc.delayBeforeRetry(), interval, 0);
    Integer retry = hc.retry();
    if (retry != null) {
      errors.range(P + ".retry", retry, 0, 100);
    }
    // keepalived declares a server down after the first failure and `retry` more; it brings it
    // back on the first success. A config that uses keepalived's terms gets keepalived's behaviour.
    int rise = errors.count(P + ".rise", hc.rise(), retry != null ? 1 : Defaults.CHECK_RISE);
    int fall =
        retry != null ? retry + 1 : errors.count(P + ".fall", hc.fall(), Defaults.CHECK_FALL);
    return new LvsNodeSpec.CompiledHealthCheck(
        type,
        http ? Objects.requireNonNullElse(hc.path(), "/") : null,
        expected,
        hc.host(),
        hc.bodyContains(),
        hc.caBundle(),
        hc.port(),
        interval,
        timeout,
        retry,
        delayBeforeRetry,
        rise,
        fall);
  }

  private static void checkHttpOnlyFields(
      VirtualServerSpec.HealthCheck hc, HealthCheckType type, boolean http, FieldErrors errors) {
    if (hc.path() != null && !http) {
      errors.add(P + ".path", hc.path(), "applies only to HTTP_GET and HTTPS_GET");
    }
    if (hc.path() != null && !hc.path().startsWith("/")) {
      errors.add(P + ".path", hc.path(), "must start with /");
    } else if (hc.path() != null && !HTTP_PATH.matcher(hc.path()).matches()) {
      errors.add(
          P + ".path",
          hc.path(),
          "must be printable ASCII without spaces or control characters (it goes into the"
              + " request line; percent-encode the rest)");
    }
    if (hc.host() != null && !HTTP_HOST.matcher(hc.host()).matches()) {
      errors.add(
          P + ".host",
          hc.host(),
          "must be printable ASCII without spaces or control characters (it is sent as the Host"
              + " header), at most 253");
    }
    if (hc.caBundle() != null && type != HealthCheckType.HTTPS_GET) {
      errors.add(P + ".caBundle", "(PEM)", "applies only to HTTPS_GET");
    } else if (hc.caBundle() != null) {
      PemCertificates.check(P + ".caBundle", hc.caBundle(), errors);
    }
  }

  /** The healthy status codes of an HTTP check (default 200-299); null for other checks. */
  private static List<String> expectedStatus(
      VirtualServerSpec.HealthCheck hc, boolean http, FieldErrors errors) {
    if (!http) {
      if (hc.expectedStatus() != null) {
        errors.add(
            P + ".expectedStatus",
            String.join(",", hc.expectedStatus()),
            "applies only to HTTP_GET and HTTPS_GET");
      }
      return null;
    }
    List<String> expected =
        hc.expectedStatus() == null ? Defaults.EXPECTED_STATUS : hc.expectedStatus();
    for (int i = 0; i < expected.size(); i++) {
      String s = expected.get(i);
      String path = P + ".expectedStatus[" + i + "]";
      var m = s == null ? null : STATUS.matcher(s);
      if (m == null || !m.matches()) {
        errors.add(path, s, "is not a status code or range like 200-299");
      } else if (m.group(3) != null
          && Integer.parseInt(m.group(3)) < Integer.parseInt(m.group(1))) {
        errors.add(path, s, "is a range that ends before it starts");
      }
    }
    // A null item is reported above; the compiled check (never used then) must not hold it.
    return expected.stream().filter(Objects::nonNull).toList();
  }
}
