package io.lvsoperator.compiler;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
            .forEach(
                (k, v) ->
                    out.put(
                        new SecretKey(ns, name, k),
                        new String(Base64.getMimeDecoder().decode(v), StandardCharsets.UTF_8)));
      }
      if (s.getStringData() != null) {
        s.getStringData().forEach((k, v) -> out.put(new SecretKey(ns, name, k), v));
      }
    }
    return out;
  }
}
