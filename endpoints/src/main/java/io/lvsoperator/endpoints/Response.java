package io.lvsoperator.endpoints;

/** What an endpoint answers: a status, a content type and a small text body. */
public record Response(int status, String contentType, String body) {
  /** Prometheus' text exposition format. */
  public static final String METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  public static Response text(int status, String body) {
    return new Response(status, "text/plain; charset=utf-8", body);
  }

  public static Response metrics(String body) {
    return new Response(200, METRICS_TYPE, body);
  }
}
