package io.lvsoperator.api.v1alpha1;

/**
 * How a real server is checked (keepalived: {@code HTTP_GET}, {@code SSL_GET}, {@code TCP_CHECK}).
 */
public enum HealthCheckType {
  HTTP_GET,
  HTTPS_GET,
  TCP,
  NONE
}
