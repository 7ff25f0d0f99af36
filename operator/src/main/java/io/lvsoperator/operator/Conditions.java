package io.lvsoperator.operator;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Conditions in Kubernetes API-convention form. {@code lastTransitionTime} moves only when a
 * condition's status changes, so a status recomputed from unchanged input is byte-identical and is
 * not written again.
 */
final class Conditions {
  static final String TRUE = "True";
  static final String FALSE = "False";
  static final String UNKNOWN = "Unknown";

  private final List<Condition> previous;
  private final long observedGeneration;
  private final String now;
  private final List<Condition> built = new ArrayList<>();

  Conditions(List<Condition> previous, long observedGeneration, Instant now) {
    this.previous = previous == null ? List.of() : previous;
    this.observedGeneration = observedGeneration;
    this.now = rfc3339(now);
  }

  static String rfc3339(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  Conditions add(String type, boolean status, String reason, String message) {
    return add(type, status ? TRUE : FALSE, reason, message);
  }

  Conditions add(String type, String status, String reason, String message) {
    String since =
        find(previous, type)
            .filter(c -> status.equals(c.getStatus()) && c.getLastTransitionTime() != null)
            .map(Condition::getLastTransitionTime)
            .orElse(now);
    built.add(
        new ConditionBuilder()
            .withType(type)
            .withStatus(status)
            .withReason(reason)
            .withMessage(message == null ? "" : message)
            .withObservedGeneration(observedGeneration)
            .withLastTransitionTime(since)
            .build());
    return this;
  }

  List<Condition> build() {
    return List.copyOf(built);
  }

  static Optional<Condition> find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return Optional.empty();
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
  }

  static String reason(List<Condition> conditions, String type) {
    return find(conditions, type).map(Condition::getReason).orElse(null);
  }
}
