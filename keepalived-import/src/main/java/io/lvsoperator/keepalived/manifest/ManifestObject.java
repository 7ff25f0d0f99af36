package io.lvsoperator.keepalived.manifest;

import java.util.List;

/**
 * One object the import writes, one file each.
 *
 * @param header comment lines written above the object (without "# ")
 * @param body the whole object: apiVersion, kind, metadata, spec or stringData
 */
public record ManifestObject(String kind, String name, List<String> header, YamlMap body) {
  public ManifestObject {
    header = List.copyOf(header);
  }

  /** {@code virtualserver-web.yaml}. */
  public String fileName() {
    return kind.toLowerCase(java.util.Locale.ROOT) + "-" + name + ".yaml";
  }
}
