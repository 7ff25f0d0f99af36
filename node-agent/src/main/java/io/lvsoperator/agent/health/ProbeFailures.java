package io.lvsoperator.agent.health;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import java.net.ConnectException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/** Turns probe exceptions into the short reasons users see in status. */
final class ProbeFailures {

  private ProbeFailures() {}

  static String timeout(long timeoutMs) {
    return "timeout after " + timeoutMs + "ms";
  }

  static String reason(Throwable error, long timeoutMs) {
    Throwable cause = unwrap(error);
    if (cause instanceof ConnectTimeoutException) {
      return timeout(timeoutMs);
    }
    if (cause instanceof SSLException) {
      return "TLS handshake failed: " + message(rootCause(cause));
    }
    String message = message(cause);
    String lower = message.toLowerCase(Locale.ROOT);
    if (lower.contains("connection refused")) {
      return "connection refused";
    }
    if (lower.contains("connection reset")) {
      return "connection reset";
    }
    if (lower.contains("no route to host")) {
      return "no route to host";
    }
    if (lower.contains("network is unreachable")) {
      return "network unreachable";
    }
    if (lower.contains("broken pipe")) {
      return "connection reset";
    }
    if (cause instanceof ConnectException) {
      return "connect failed: " + message;
    }
    return "I/O error: " + message;
  }

  private static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof DecoderException || t instanceof java.util.concurrent.CompletionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static Throwable rootCause(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }

  private static String message(Throwable t) {
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }
}
