package io.lvsoperator.operator;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core/v1 Events about an object. An identical event (same object, reason and message)
 * within the dedupe window is dropped, so a transition recomputed from a lagging cache is reported
 * once.
 */
final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  static final String COMPONENT = "lvs-operator";

  private final KubernetesClient client;
  private final String instance;
  private final Duration dedupeWindow;
  private final Clock clock;
  private final Map<String, Instant> recent = new HashMap<>();
  private long written;

  EventRecorder(KubernetesClient client, String instance, Duration dedupeWindow, Clock clock) {
    this.client = client;
    this.instance = instance;
    this.dedupeWindow = dedupeWindow;
    this.clock = clock;
  }

  /** Returns true when the event was written. */
  synchronized boolean record(HasMetadata about, TransitionEvents.Note note) {
    Instant now = clock.instant();
    for (Iterator<Instant> it = recent.values().iterator(); it.hasNext(); ) {
      if (it.next().plus(dedupeWindow).isBefore(now)) {
        it.remove();
      }
    }
    String key =
        about.getMetadata().getUid()
            + "|"
            + note.type()
            + "|"
            + note.reason()
            + "|"
            + note.message();
    if (recent.containsKey(key)) {
      return false;
    }
    String time = Conditions.rfc3339(now);
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withName(
                about.getMetadata().getName()
                    + "."
                    + UUID.randomUUID().toString().replace("-", "").substring(0, 16))
            .withNamespace(about.getMetadata().getNamespace())
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(about.getApiVersion())
                    .withKind(about.getKind())
                    .withNamespace(about.getMetadata().getNamespace())
                    .withName(about.getMetadata().getName())
                    .withUid(about.getMetadata().getUid())
                    .build())
            .withType(note.type())
            .withReason(note.reason())
            .withMessage(note.message())
            .withFirstTimestamp(time)
            .withLastTimestamp(time)
            .withCount(1)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent(COMPONENT)
            .withReportingInstance(instance)
            .build();
    try {
      client.v1().events().inNamespace(about.getMetadata().getNamespace()).resource(event).create();
      recent.put(key, now);
      written++;
      LOG.info(
          "event=emitted kind={} object={}/{} type={} reason={} message=\"{}\"",
          about.getKind(),
          about.getMetadata().getNamespace(),
          about.getMetadata().getName(),
          note.type(),
          note.reason(),
          note.message());
      return true;
    } catch (KubernetesClientException e) {
      LOG.warn(
          "event=emit-failed object={}/{} reason={} code={} error=\"{}\"",
          about.getMetadata().getNamespace(),
          about.getMetadata().getName(),
          note.reason(),
          e.getCode(),
          e.getMessage());
      return false;
    }
  }

  synchronized long written() {
    return written;
  }
}
