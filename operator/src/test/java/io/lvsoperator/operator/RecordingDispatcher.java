package io.lvsoperator.operator;

import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.function.Consumer;

/**
 * The mock API server's dispatcher, remembering every request it answers with the bearer token that
 * made it, whichever process sent it: the operator in this JVM and the agents in their own.
 */
final class RecordingDispatcher extends KubernetesMixedDispatcher {

  /** One HTTP request: its bearer token ("" without one), method and target (path and query). */
  record Request(String token, String method, String uri) {}

  private final List<Request> requests = new ArrayList<>();

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
    synchronized (requests) {
      requests.add(new Request(token, request.getMethod(), request.getPath()));
    }
    listener.accept(request);
    return super.dispatch(request);
  }

  List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }
}
