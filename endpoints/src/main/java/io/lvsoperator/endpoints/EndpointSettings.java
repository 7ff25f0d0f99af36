package io.lvsoperator.endpoints;

import java.net.InetAddress;
import java.time.Duration;

/**
 * Where and how the endpoints listen.
 *
 * @param address the address to bind; {@code 0.0.0.0} for every address of the host
 * @param port 1-65535, or 0 for any free port (tests)
 * @param readTimeout how long a request may take to arrive once its first byte has: a client that
 *     sends a byte a second is closed after this
 * @param idleTimeout how long a connection may wait without a request (after connecting or after a
 *     response)
 * @param maxConnections open connections at most; one more evicts the oldest that is waiting, so a
 *     crowd of idle or slow clients cannot keep a fresh probe out
 */
public record EndpointSettings(
    InetAddress address, int port, Duration readTimeout, Duration idleTimeout, int maxConnections) {
  public static final Duration READ_TIMEOUT = Duration.ofSeconds(2);
  public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(10);
  public static final int MAX_CONNECTIONS = 64;

  public EndpointSettings {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " is not a port (1-65535)");
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections: " + maxConnections + " is below 1");
    }
  }

  /** The defaults above on {@code address} and {@code port}. */
  public static EndpointSettings of(InetAddress address, int port) {
    return new EndpointSettings(address, port, READ_TIMEOUT, IDLE_TIMEOUT, MAX_CONNECTIONS);
  }

  /**
   * A port given as text by a flag or a variable {@code name}: "AGENT_HTTP_PORT: 99999 is not a
   * port (1-65535)" when it is not one.
   */
  public static int port(String name, String text) {
    if (text == null || !text.matches("[0-9]{1,5}")) {
      throw new IllegalArgumentException(name + ": " + text + " is not a port (1-65535)");
    }
    int port = Integer.parseInt(text);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(name + ": " + text + " is not a port (1-65535)");
    }
    return port;
  }

  /** An address given as text: an IP literal, never a name looked up in DNS. */
  public static InetAddress address(String name, String text) {
    try {
      if (text == null || text.isEmpty()) {
        throw new IllegalArgumentException("empty");
      }
      return InetAddress.ofLiteral(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          name + ": " + text + " is not an IP address (0.0.0.0 for every address)");
    }
  }
}
