package io.lvsoperator.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The chart as real Helm renders it (helm-java runs Helm's own Go code in-process): the objects of
 * one {@code helm template}, parsed into Fabric8's typed model.
 */
record RenderedChart(String yaml, List<HasMetadata> objects) {

  static final Path CHART = Path.of("..", "helm", "lvs-operator");
  static final String RELEASE = "lvs-operator";
  static final String NAMESPACE = "lvs-system";

  /** The Kubernetes version templates see (Helm's offline default is far older). */
  static final String KUBE_VERSION = "1.32.0";

  private static final YAMLMapper YAML = new YAMLMapper();

  /** Renders with the chart's defaults plus {@code sets} (helm --set KEY=VALUE). */
  static RenderedChart render(Map<String, Object> sets) throws IOException {
    return render(sets, KUBE_VERSION);
  }

  static RenderedChart render(Map<String, Object> sets, String kubeVersion) throws IOException {
    TemplateCommand template =
        new Helm(CHART)
            .template()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .withKubeVersion(kubeVersion);
    sets.forEach(template::set);
    String yaml = template.call();
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
    }
    return new RenderedChart(yaml, List.copyOf(objects));
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  <T extends HasMetadata> T one(Class<T> type, String name) {
    List<T> found = all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).toList();
    if (found.size() != 1) {
      throw new AssertionError(
          "expected one " + type.getSimpleName() + " " + name + ", found " + found.size());
    }
    return found.getFirst();
  }

  Deployment operator() {
    return one(Deployment.class, "lvs-operator-operator");
  }

  DaemonSet agent() {
    return one(DaemonSet.class, "lvs-operator-agent");
  }
}
