package io.lvsoperator.operator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import io.lvsoperator.api.v1alpha1.VirtualServerSpec;
import io.lvsoperator.api.v1alpha1.VrrpInstance;
import io.lvsoperator.api.v1alpha1.VrrpInstanceSpec;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last spec of each VirtualServer that passed validation, kept in its own {@code
 * status.lastGoodSpec}: it survives operator restarts and leader changes, goes away with the
 * object, and is written with the status patch the operator makes anyway (no write to the object
 * itself, so no {@code patch} on virtualservers). The compiler runs an invalid VirtualServer as
 * this version, so bad input never reaches a node. The Flink operator keeps its last reconciled and
 * last stable spec in the status the same way.
 */
final class LastGoodSpecs {
  private static final Logger LOG = LoggerFactory.getLogger(LastGoodSpecs.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private LastGoodSpecs() {}

  /** What the field holds. */
  record Stored(long generation, VirtualServerSpec spec) {}

  /** What a VrrpInstance's field holds. */
  record StoredInstance(long generation, VrrpInstanceSpec spec) {}

  static String encode(VirtualServer vs) {
    return json(vs, new Stored(generation(vs), vs.getSpec()));
  }

  static String encode(VrrpInstance vi) {
    return json(vi, new StoredInstance(generation(vi), vi.getSpec()));
  }

  private static long generation(HasMetadata resource) {
    Long generation = resource.getMetadata().getGeneration();
    return generation == null ? 0 : generation;
  }

  private static String json(HasMetadata about, Object stored) {
    try {
      return JSON.writeValueAsString(stored);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "encode last good spec of " + about.getMetadata().getName(), e);
    }
  }

  /** The last good version of a VrrpInstance, as {@link #decode(VirtualServer)} does it. */
  static Optional<VrrpInstance> decode(VrrpInstance vi) {
    String text = vi.getStatus() == null ? null : vi.getStatus().lastGoodSpec();
    if (text == null) {
      return Optional.empty();
    }
    try {
      StoredInstance stored = JSON.readValue(text, StoredInstance.class);
      VrrpInstance last = new VrrpInstance();
      last.setMetadata(
          new ObjectMetaBuilder(vi.getMetadata()).withGeneration(stored.generation()).build());
      last.setSpec(stored.spec());
      last.setStatus(vi.getStatus());
      return Optional.of(last);
    } catch (JsonProcessingException e) {
      LOG.warn(
          "event=last_good_unreadable object={}/{} field=status.lastGoodSpec error=\"{}\"",
          vi.getMetadata().getNamespace(),
          vi.getMetadata().getName(),
          e.getOriginalMessage());
      return Optional.empty();
    }
  }

  static Optional<String> current(VirtualServer vs) {
    return Optional.ofNullable(vs.getStatus() == null ? null : vs.getStatus().lastGoodSpec());
  }

  /**
   * The last good version of a VirtualServer: its metadata with the stored generation, the stored
   * spec, and its current status (so its allocated VRID stays sticky).
   */
  static Optional<VirtualServer> decode(VirtualServer vs) {
    Optional<String> text = current(vs);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      Stored stored = JSON.readValue(text.get(), Stored.class);
      VirtualServer last = new VirtualServer();
      last.setMetadata(
          new ObjectMetaBuilder(vs.getMetadata()).withGeneration(stored.generation()).build());
      last.setSpec(stored.spec());
      last.setStatus(vs.getStatus());
      return Optional.of(last);
    } catch (JsonProcessingException e) {
      LOG.warn(
          "event=last_good_unreadable object={}/{} field=status.lastGoodSpec error=\"{}\"",
          vs.getMetadata().getNamespace(),
          vs.getMetadata().getName(),
          e.getOriginalMessage());
      return Optional.empty();
    }
  }
}
