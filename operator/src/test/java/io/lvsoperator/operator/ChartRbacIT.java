package io.lvsoperator.operator;

import io.lvsoperator.testing.chart.ChartRbac;
import io.lvsoperator.testing.rbac.Grant;
import io.lvsoperator.testing.rbac.Identity;
import io.lvsoperator.testing.rbac.Permission;
import io.lvsoperator.testing.rbac.RbacAudit;
import io.lvsoperator.testing.rbac.RbacPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.platform.suite.api.AfterSuite;
import org.junit.platform.suite.api.SelectClasses;
import org.junit.platform.suite.api.Suite;

/**
 * RBAC proven, not assumed: runs the end-to-end tests against the mock API server (the operator in
 * this JVM, real agent processes in network namespaces), each of which already fails on a request
 * the chart denies (see {@link TestingCluster#close()}); then checks the other direction over all
 * of them: every permission the chart grants its operator and agent ServiceAccounts was used by
 * some request. Judged is the chart as rendered for the tests' operator settings with every
 * namespace watched (the chart's default); requests of tests that watch fewer namespaces were
 * judged against their own rendering and count here as well.
 *
 * <p>A permission no test needs is either removed from the chart or made to be needed by a test;
 * one that only a path the tests cannot reach needs goes into {@link #EXCUSED} with its reason.
 * Every request, allowed or not and by which rule, is written to {@code
 * target/chart-rbac-requests.txt}.
 *
 * <pre>./mvnw -B -pl node-agent,operator -am verify -Dit.test=ChartRbacIT</pre>
 */
@Suite
@SelectClasses({OperatorIT.class, LoadBalancerIT.class, KubernetesEndToEndIT.class})
class ChartRbacIT {

  /**
   * Permissions ({@link Permission#action()}) granted although no request uses them, and why.
   * Everything else the chart grants, some request of the tests used.
   */
  static final Map<String, String> EXCUSED =
      Map.of(
          "update coordination.k8s.io/leases",
          "JOSDK's LeaderElectionManager refuses to start unless a SelfSubjectRulesReview shows"
              + " create, update and get on Leases (the mock answers it from the chart, so"
              + " OperatorIT fails without it); Fabric8's LeaseLock then renews by patch");

  static final Path REPORT = Path.of("target", "chart-rbac-requests.txt");

  @AfterSuite
  static void theChartGrantsNothingThatNoRequestUses() throws IOException {
    List<ChartRbacLedger.Run> runs = ChartRbacLedger.runs();
    List<ChartRbacLedger.Run> everyNamespace =
        runs.stream()
            .filter(r -> r.values().keySet().stream().noneMatch(k -> k.contains("watchNamespaces")))
            .toList();
    if (everyNamespace.isEmpty()) {
      throw new AssertionError("no end-to-end test ran with the chart's default namespaces");
    }
    ChartRbac chart = everyNamespace.getFirst().chart();
    for (ChartRbacLedger.Run r : everyNamespace) {
      if (!r.values().equals(everyNamespace.getFirst().values())) {
        throw new AssertionError(
            "tests judged against different charts: "
                + r.values()
                + " vs "
                + everyNamespace.getFirst().values());
      }
    }
    List<RbacAudit.Call> calls = new ArrayList<>();
    runs.forEach(r -> calls.addAll(r.calls()));
    RbacAudit audit = new RbacAudit(chart.policy(), RbacPolicy.kubernetesDefaults(), calls);
    Files.createDirectories(REPORT.getParent());
    Files.writeString(REPORT, audit.report());
    System.out.println("chart-rbac requests (also in " + REPORT.toAbsolutePath() + "):");
    System.out.print(audit.report());

    List<String> problems = new ArrayList<>();
    audit.denied().forEach(c -> problems.add("denied: " + c));
    Set<Identity> exercised = new LinkedHashSet<>();
    calls.forEach(c -> exercised.add(c.identity()));
    for (Identity workload : List.of(chart.operator(), chart.agent())) {
      if (!exercised.contains(workload)) {
        String note = "no request of " + workload + " was recorded (its tests skipped?)";
        if ("true".equals(System.getenv("CI"))) {
          problems.add(note);
        } else {
          System.out.println("chart-rbac unused grants of " + workload + " not checked: " + note);
        }
      }
    }
    for (Grant g : chart.policy().grants()) {
      if (!g.subject().matches(chart.operator()) && !g.subject().matches(chart.agent())) {
        problems.add("granted to neither the operator nor the agent: " + g.subject() + " by " + g);
      }
    }
    for (Permission p : audit.unused(exercised, EXCUSED)) {
      problems.add("granted but no request used it: " + p);
    }
    // An excuse stays only while it is needed: granted, and unused.
    Set<String> unusedActions =
        audit.unused(exercised, Map.of()).stream()
            .map(Permission::action)
            .collect(Collectors.toSet());
    Set<String> granted =
        chart.policy().permissions().stream().map(Permission::action).collect(Collectors.toSet());
    for (String excused : EXCUSED.keySet()) {
      if (!granted.contains(excused)) {
        problems.add("EXCUSED names what the chart no longer grants: " + excused);
      } else if (!unusedActions.contains(excused)) {
        problems.add("EXCUSED names what a request now uses: " + excused);
      }
    }
    if (!problems.isEmpty()) {
      throw new AssertionError(
          "the chart's RBAC does not match what the operator and the agents do:\n  "
              + problems.stream().collect(Collectors.joining("\n  "))
              + "\n(every request: "
              + REPORT.toAbsolutePath()
              + ")");
    }
  }
}
