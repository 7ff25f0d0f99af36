package io.lvsoperator.operator;

import io.lvsoperator.testing.chart.ChartRbac;
import io.lvsoperator.testing.rbac.RbacAudit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The API requests of every {@link TestingCluster} closed in this JVM, each with the chart values
 * its operators' settings correspond to, so that {@link ChartRbacIT} can check, after all the
 * end-to-end tests, that the chart grants nothing that none of them used.
 */
final class ChartRbacLedger {

  /** One cluster's requests and the chart rendering they were judged against. */
  record Run(Map<String, Object> values, ChartRbac chart, List<RbacAudit.Call> calls) {}

  private static final List<Run> RUNS = new ArrayList<>();

  private ChartRbacLedger() {}

  static synchronized void add(Run run) {
    RUNS.add(run);
  }

  static synchronized List<Run> runs() {
    return List.copyOf(RUNS);
  }
}
