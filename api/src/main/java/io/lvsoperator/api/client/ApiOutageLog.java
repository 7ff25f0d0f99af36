package io.lvsoperator.api.client;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports an API server outage quietly, for the operator and the agent alike: the first failure of
 * each distinct kind (cause and message) with its stack trace, every later one as one line with a
 * count ({@code event=api_unreachable ... repeats=N}), and the end of the outage once ({@code
 * event=api_reachable failures=N seconds=S}). It sees every request of the client it is installed
 * on (informer lists and watches, status writes, the Lease), as an HTTP client interceptor, so the
 * Kubernetes client's own per-retry warnings (Reflector, LeaderElector; about 40 lines of stack
 * each) can be turned off in the logging configuration.
 *
 * <p>A failure is a connection that could not be made or broke, or an answer of 401, 403 or 5xx;
 * any other answer means the API server is back.
 */
public final class ApiOutageLog implements Interceptor {
  private static final Logger log = LoggerFactory.getLogger(ApiOutageLog.class);
  private static final int MAX_KINDS = 32;

  private final LongSupplier nanoTime;
  // Guarded by this: kind of failure -> how often it happened in the current outage.
  private final Map<String, Long> kinds = new LinkedHashMap<>();
  private long failures;
  private long outageStartNanos;

  ApiOutageLog(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /** {@code builder} with this log installed on its HTTP client. */
  public static KubernetesClientBuilder installOn(KubernetesClientBuilder builder) {
    ApiOutageLog outages = new ApiOutageLog(System::nanoTime);
    return builder.withHttpClientBuilderConsumer(
        http -> http.addOrReplaceInterceptor("lvs-api-outage-log", outages));
  }

  @Override
  public void afterConnectionFailure(HttpRequest request, Throwable failure) {
    failed(request, describe(failure), failure);
  }

  @Override
  public void after(
      HttpRequest request,
      HttpResponse<?> response,
      AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    int code = response.code();
    if (code == 401 || code == 403 || code >= 500) {
      failed(request, "HTTP " + code, null);
    } else {
      reachable();
    }
  }

  /** Counts one failure; returns how many of its kind this outage has seen, this one included. */
  synchronized long failed(HttpRequest request, String kind, Throwable failure) {
    if (failures == 0) {
      outageStartNanos = nanoTime.getAsLong();
    }
    failures++;
    Long seen = kinds.get(kind);
    long n = seen == null ? 1 : seen + 1;
    if (seen != null || kinds.size() < MAX_KINDS) {
      kinds.put(kind, n);
    }
    String what = request == null ? "" : request.method() + " " + request.uri().getPath();
    if (n == 1 && failure != null) {
      log.warn("event=api_unreachable error=\"{}\" request=\"{}\" first=true", kind, what, failure);
    } else {
      log.warn("event=api_unreachable error=\"{}\" request=\"{}\" repeats={}", kind, what, n);
    }
    return n;
  }

  synchronized void reachable() {
    if (failures == 0) {
      return;
    }
    log.info(
        "event=api_reachable failures={} seconds={}",
        failures,
        Duration.ofNanos(nanoTime.getAsLong() - outageStartNanos).toMillis() / 1000.0);
    failures = 0;
    kinds.clear();
  }

  /** The innermost cause and its message, on one line: what repeats across retries. */
  static String describe(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? "" : ": " + root.getMessage();
    return (root.getClass().getSimpleName() + message).replaceAll("[\\r\\n\"]+", " ");
  }
}
