package io.lvsoperator.testing.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The chart as real Helm renders it: helm-java runs Helm's own Go code in-process, so {@code
 * template} here is {@code helm template}, and the objects are parsed into Fabric8's typed model.
 */
public final class HelmChart {

  /** The chart, seen from any module directory (Maven runs tests there). */
  public static final Path CHART = Path.of("..", "helm", "lvs-operator");

  /** The Kubernetes version templates see (Helm's offline default is far older). */
  public static final String KUBE_VERSION = "1.32.0";

  private static final YAMLMapper YAML = new YAMLMapper();

  private HelmChart() {}

  /** {@code helm template RELEASE CHART --namespace NAMESPACE --kube-version KUBE --set K=V...}. */
  public static String template(
      String release, String namespace, String kubeVersion, Map<String, Object> sets) {
    TemplateCommand template =
        new Helm(CHART)
            .template()
            .withName(release)
            .withNamespace(namespace)
            .withKubeVersion(kubeVersion);
    sets.forEach(template::set);
    return template.call();
  }

  /** The objects of a multi-document YAML, typed by Fabric8 (Role, Deployment, ...). */
  public static List<HasMetadata> objects(String yaml) {
    List<HasMetadata> objects = new ArrayList<>();
    try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc == null || doc.isNull() || doc.isEmpty()) {
          continue;
        }
        HasMetadata object = Serialization.unmarshal(doc.toString());
        objects.add(Objects.requireNonNull(object, () -> "unparsed document: " + doc));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("parse rendered chart", e);
    }
    return List.copyOf(objects);
  }
}
