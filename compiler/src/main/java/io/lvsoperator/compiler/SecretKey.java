package io.lvsoperator.compiler;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One key of one Secret. */
public record SecretKey(String namespace, String name, String key) {

  /**
   * Every key of these Secrets with its value: {@code data} decoded from base64, {@code stringData}
   * as written (it wins, as the API server merges it over {@code data}).
   */
  public static Map<SecretKey, String> valuesOf(List<Secret> secrets) {
    Map<SecretKey, String> out = new HashMap<>();
    for (Secret s : secrets) {
      String ns =
          new ObjectKey(s.getMetadata().getNamespace(), s.getMetadata().getName()).namespace();
      String name = s.getMetadata().getName();
      if (s.getData() != null) {
        s.getData()
            .forEach((k, v) -> decoded(v).ifPresent(d -> out.put(new SecretKey(ns, name, k), d)));
      }
      if (s.getStringData() != null) {
        s.getStringData().forEach((k, v) -> out.put(new SecretKey(ns, name, k), v));
      }
    }
    return out;
  }

  /**
   * A {@code data} value decoded, or empty when it is null or not base64: that key then does not
   * exist for the VirtualServer that names it (an error on that object), and every other Secret and
   * object still compiles. The API server only stores base64; standalone refuses it when reading.
   */
  private static Optional<String> decoded(String base64) {
    if (base64 == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new String(Base64.getMimeDecoder().decode(base64), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
