package io.lvsoperator.compiler;

import java.util.List;

/**
 * The compiler's verdict on one RealServer object: its errors, and the VirtualServers it serves.
 */
public record RealServerResult(
    ObjectKey key, List<FieldError> errors, List<ObjectKey> virtualServers) {
  public RealServerResult {
    errors = List.copyOf(errors);
    virtualServers = List.copyOf(virtualServers);
  }
}
