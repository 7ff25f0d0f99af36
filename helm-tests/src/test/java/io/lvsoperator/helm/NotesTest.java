package io.lvsoperator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import org.junit.jupiter.api.Test;

/** What `helm install` prints: NOTES.txt tells the user what to run next. */
class NotesTest {

  @Test
  void installTellsWhatToRunNext() {
    Release release =
        new Helm(RenderedChart.CHART)
            .install()
            .withName(RenderedChart.RELEASE)
            .withNamespace(RenderedChart.NAMESPACE)
            .withKubeVersion(RenderedChart.KUBE_VERSION)
            .clientOnly()
            .dryRun()
            .call();
    assertThat(release.getOutput())
        .contains("kubectl apply -f examples/reference/")
        .contains("kubectl get virtualservers")
        .contains("kubectl get lvsnodes")
        .contains("DaemonSet lvs-operator-agent")
        .contains("Lease lvs-operator-leader")
        .contains("agent.drRealServers.enabled=true");
  }

  @Test
  void notesFollowTheValues() {
    Release release =
        new Helm(RenderedChart.CHART)
            .install()
            .withName(RenderedChart.RELEASE)
            .withNamespace(RenderedChart.NAMESPACE)
            .withKubeVersion(RenderedChart.KUBE_VERSION)
            .set("agent.drRealServers.enabled", true)
            .set("admissionPolicy.enabled", true)
            .set("operator.watchNamespaces[0]", "team-a")
            .clientOnly()
            .dryRun()
            .call();
    assertThat(release.getOutput())
        .contains("lvs-operator-agent-dr (privileged")
        .contains("watching: team-a")
        .contains("each agent may write only its own node's LvsNode")
        .doesNotContain("agents run unprivileged");
  }
}
