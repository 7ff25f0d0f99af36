package io.lvsoperator.helm;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.lvsoperator.testing.chart.HelmChart;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The chart as real Helm renders it (helm-java runs Helm's own Go code in-process): the objects of
 * one {@code helm template}, parsed into Fabric8's typed model.
 */
record RenderedChart(String yaml, List<HasMetadata> objects) {

  static final Path CHART = HelmChart.CHART;
  static final String RELEASE = "lvs-operator";
  static final String NAMESPACE = "lvs-system";

  static final String KUBE_VERSION = HelmChart.KUBE_VERSION;

  /** Renders with the chart's defaults plus {@code sets} (helm --set KEY=VALUE). */
  static RenderedChart render(Map<String, Object> sets) {
    return render(sets, KUBE_VERSION);
  }

  static RenderedChart render(Map<String, Object> sets, String kubeVersion) {
    String yaml = HelmChart.template(RELEASE, NAMESPACE, kubeVersion, sets);
    return new RenderedChart(yaml, HelmChart.objects(yaml));
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
