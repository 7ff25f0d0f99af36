package io.lvsoperator.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectRulesReviewStatusBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.lvsoperator.testing.rbac.PolicyRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.function.Consumer;

/**
 * The mock API server's dispatcher, remembering every request it answers with the bearer token that
 * made it, whichever process sent it: the operator in this JVM and the agents in their own. It also
 * answers SelfSubjectRulesReviews as a real API server would, with the rules that apply to the
 * caller ({@link #answerRulesReviews}): JOSDK refuses to elect a leader unless they allow create,
 * update and get on Leases, and a blanket answer would hide a chart that does not.
 */
final class RecordingDispatcher extends KubernetesMixedDispatcher {

  /**
   * One HTTP request: its bearer token ("" without one), method, target (path and query), and body
   * (null when not kept: requests of the test itself, reads, or bodies switched off).
   */
  record Request(String token, String method, String uri, String body) {}

  /** The rules that apply to the bearer of {@code token} in {@code namespace}. */
  interface RulesReview {
    List<PolicyRule> rules(String token, String namespace);
  }

  private static final String RULES_REVIEWS =
      "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";
  private static final ObjectMapper JSON = new ObjectMapper();

  private volatile RulesReview rulesReview = (token, namespace) -> List.of();
  private final List<Request> requests = new ArrayList<>();
  private volatile boolean keepBodies = true;

  private final Consumer<RecordedRequest> listener;

  RecordingDispatcher(
      Map<ServerRequest, Queue<ServerResponse>> responses, Consumer<RecordedRequest> listener) {
    super(responses);
    this.listener = listener;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String authorization = request.getHeader("Authorization");
    String token =
        authorization != null && authorization.startsWith("Bearer ")
            ? authorization.substring("Bearer ".length())
            : "";
    String body =
        keepBodies && !token.equals(TestingCluster.TEST_TOKEN) && !request.getMethod().equals("GET")
            ? bodyOf(request)
            : null;
    synchronized (requests) {
      requests.add(new Request(token, request.getMethod(), request.getPath(), body));
    }
    listener.accept(request);
    if (request.getMethod().equals("POST") && request.getPath().startsWith(RULES_REVIEWS)) {
      return rulesReview(token, request.getUtf8Body());
    }
    return super.dispatch(request);
  }

  /** The body, read without consuming it (the API server reads it next). */
  private static String bodyOf(RecordedRequest request) {
    return request.getBody() == null
        ? null
        : new String(request.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Whether to keep request bodies (a benchmark writing gigabytes turns it off). */
  void keepBodies(boolean keep) {
    this.keepBodies = keep;
  }

  void answerRulesReviews(RulesReview review) {
    this.rulesReview = review;
  }

  private MockResponse rulesReview(String token, String body) {
    String namespace;
    try {
      namespace = JSON.readTree(body).path("spec").path("namespace").asText("");
    } catch (java.io.IOException e) {
      return new MockResponse().setResponseCode(400).setBody("unreadable review: " + e);
    }
    SubjectRulesReviewStatusBuilder status =
        new SubjectRulesReviewStatusBuilder().withIncomplete(false);
    for (PolicyRule rule : rulesReview.rules(token, namespace)) {
      if (rule.nonResourceURLs().isEmpty()) {
        status
            .addNewResourceRule()
            .withApiGroups(rule.apiGroups())
            .withResources(rule.resources())
            .withVerbs(rule.verbs())
            .withResourceNames(rule.resourceNames())
            .endResourceRule();
      } else {
        status
            .addNewNonResourceRule()
            .withNonResourceURLs(rule.nonResourceURLs())
            .withVerbs(rule.verbs())
            .endNonResourceRule();
      }
    }
    SelfSubjectRulesReview review =
        new SelfSubjectRulesReviewBuilder()
            .withNewSpec()
            .withNamespace(namespace)
            .endSpec()
            .withStatus(status.build())
            .build();
    return new MockResponse()
        .setResponseCode(201)
        .setHeader("Content-Type", "application/json")
        .setBody(Serialization.asJson(review));
  }

  List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }
}
