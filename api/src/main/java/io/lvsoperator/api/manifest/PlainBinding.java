package io.lvsoperator.api.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.CustomResource;
import io.lvsoperator.api.v1alpha1.Forwarding;
import io.lvsoperator.api.v1alpha1.HealthCheckType;
import io.lvsoperator.api.v1alpha1.OnFailure;
import io.lvsoperator.api.v1alpha1.Protocol;
import io.lvsoperator.api.v1alpha1.RealServer;
import io.lvsoperator.api.v1alpha1.RealServerSpec;
import io.lvsoperator.api.v1alpha1.Scheduler;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import io.lvsoperator.api.v1alpha1.VirtualServerSpec;
import io.lvsoperator.api.v1alpha1.VirtualServerSpec.ConnectionSync;
import io.lvsoperator.api.v1alpha1.VirtualServerSpec.DirectorNode;
import io.lvsoperator.api.v1alpha1.VirtualServerSpec.Directors;
import io.lvsoperator.api.v1alpha1.VirtualServerSpec.HealthCheck;
import io.lvsoperator.api.v1alpha1.VirtualServerSpec.Notify;
import io.lvsoperator.api.v1alpha1.VirtualServerSpec.Vrrp;
import io.lvsoperator.api.v1alpha1.VrrpInstance;
import io.lvsoperator.api.v1alpha1.VrrpInstanceSpec;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads the documents of a start without Jackson's data binding, in plain code: our kinds ({@code
 * apiVersion}, {@code kind}, {@code metadata} with name, namespace, labels and annotations, and a
 * {@code spec}) and Secrets of string maps. Building Jackson's deserializers for the Fabric8 model
 * (and reflection, which builds method handles and annotation proxies) is most of what reading a
 * start's few manifests costs a fresh JVM, and the start waits for it (figures: docs/benchmarks.md,
 * "Start-up and footprint of the agent").
 *
 * <p>It never decides anything Jackson would decide differently: on whatever it does not read
 * exactly as {@link ManifestReader}'s strict mapper would (an unknown field, a null, a float, a
 * string for an integer, an unknown enum name, a status, a field of a Fabric8 type such as {@code
 * realServerSelector}, a constructor that throws) it returns null and the caller reads the document
 * with Jackson, whose result and refusal are the ones users see. {@code PlainBindingTest} checks
 * the two against each other on every manifest the tests have and on documents built from the
 * records themselves, and fails when a component added to the model is not read here.
 */
final class PlainBinding {
  private PlainBinding() {}

  static VirtualServer virtualServer(JsonNode tree) {
    return resource(tree, new VirtualServer(), PlainBinding::virtualServerSpec);
  }

  static RealServer realServer(JsonNode tree) {
    return resource(tree, new RealServer(), PlainBinding::realServerSpec);
  }

  static VrrpInstance vrrpInstance(JsonNode tree) {
    return resource(tree, new VrrpInstance(), PlainBinding::vrrpInstanceSpec);
  }

  /**
   * A Secret of {@code data}, {@code stringData}, {@code type} and {@code immutable} (the one
   * Kubernetes kind a start commonly reads: VRRP PASS authentication); null when not read here.
   */
  static Secret secret(JsonNode tree) {
    Fields f = new Fields(tree);
    Secret secret = new Secret();
    String apiVersion = f.string("apiVersion");
    String kind = f.string("kind");
    secret.setMetadata(f.object("metadata", PlainBinding::metadata));
    secret.setType(f.string("type"));
    secret.setImmutable(f.bool("immutable"));
    Map<String, String> data = f.object("data", PlainBinding::strings);
    Map<String, String> stringData = f.object("stringData", PlainBinding::strings);
    if (!f.complete() || apiVersion == null || kind == null || secret.getMetadata() == null) {
      return null;
    }
    secret.setApiVersion(apiVersion);
    secret.setKind(kind);
    // Absent maps stay as the model made them, as Jackson leaves them.
    if (data != null) {
      secret.setData(data);
    }
    if (stringData != null) {
      secret.setStringData(stringData);
    }
    return secret;
  }

  private static <S, T extends CustomResource<S, ?>> T resource(
      JsonNode tree, T object, Function<JsonNode, S> spec) {
    Fields f = new Fields(tree);
    String apiVersion = f.string("apiVersion");
    String kind = f.string("kind");
    ObjectMeta meta = f.object("metadata", PlainBinding::metadata);
    S s = f.object("spec", spec);
    if (!f.complete() || apiVersion == null || kind == null || meta == null || s == null) {
      return null; // a status, or a field Jackson refuses or reads itself
    }
    object.setApiVersion(apiVersion);
    object.setKind(kind);
    object.setMetadata(meta);
    object.setSpec(s);
    return object;
  }

  private static ObjectMeta metadata(JsonNode node) {
    Fields f = new Fields(node);
    ObjectMeta meta = new ObjectMeta();
    meta.setName(f.string("name"));
    meta.setNamespace(f.string("namespace"));
    Map<String, String> labels = f.object("labels", PlainBinding::strings);
    Map<String, String> annotations = f.object("annotations", PlainBinding::strings);
    if (!f.complete()) {
      return null; // uid, ownerReferences, ...: Jackson's
    }
    if (labels != null) {
      meta.setLabels(labels);
    }
    if (annotations != null) {
      meta.setAnnotations(annotations);
    }
    return meta;
  }

  private static Map<String, String> strings(JsonNode node) {
    if (!node.isObject()) {
      return null;
    }
    Map<String, String> map = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String v = Fields.string(e.getValue());
      if (v == null) {
        return null;
      }
      map.put(e.getKey(), v);
    }
    return map;
  }

  private static VirtualServerSpec virtualServerSpec(JsonNode node) {
    Fields f = new Fields(node);
    return f.build(
        () ->
            new VirtualServerSpec(
                f.string("vip"),
                f.integer("port"),
                f.enumeration("protocol", Protocol.values(), Enum::name),
                f.enumeration("scheduler", Scheduler.values(), Enum::name),
                f.enumeration("forwarding", Forwarding.values(), Enum::name),
                f.integer("persistenceTimeoutSeconds"),
                f.string("persistenceNetmask"),
                f.list("realServers", PlainBinding::inlineRealServer),
                f.refused("realServerSelector"),
                f.object("healthCheck", PlainBinding::healthCheck),
                f.object("vrrp", PlainBinding::vrrp),
                f.object("directors", PlainBinding::directors),
                f.string("vrrpInstance"),
                f.object("sorryServer", PlainBinding::sorryServer),
                f.integer("quorum"),
                f.integer("hysteresis"),
                f.list("additionalAddresses", PlainBinding::additionalAddress),
                f.longInteger("firewallMark")));
  }

  private static VirtualServerSpec.InlineRealServer inlineRealServer(JsonNode node) {
    Fields f = new Fields(node);
    return f.build(
        () ->
            new VirtualServerSpec.InlineRealServer(
                f.string("address"),
                f.integer("port"),
                f.integer("weight"),
                f.bool("drain"),
                f.string("node")));
  }

  private static HealthCheck healthCheck(JsonNode node) {
    Fields f = new Fields(node);
    return f.build(
        () ->
            new HealthCheck(
                f.enumeration("type", HealthCheckType.values(), Enum::name),
                f.string("path"),
                f.list("expectedStatus", Fields::string),
                f.string("host"),
                f.string("bodyContains"),
                f.string("caBundle"),
                f.integer("port"),
                f.string("delayLoop"),
                f.string("connectTimeout"),
                f.integer("retry"),
                f.string("delayBeforeRetry"),
                f.integer("rise"),
                f.integer("fall"),
                f.enumeration("onFailure", OnFailure.values(), PlainBinding::onFailureName)));
  }

  /** OnFailure's names in manifests (its @JsonProperty values). */
  private static String onFailureName(OnFailure o) {
    return switch (o) {
      case REMOVE -> "remove";
      case WEIGHT_ZERO -> "weight-zero";
    };
  }

  private static Vrrp vrrp(JsonNode node) {
    Fields f = new Fields(node);
    return f.build(
        () ->
            new Vrrp(
                f.string("interface"),
                f.integer("virtualRouterId"),
                f.integer("advertIntervalMs"),
                f.integer("version"),
                f.bool("preempt"),
                f.string("preemptDelay"),
                f.bool("accept"),
                f.object("authPassSecretRef", PlainBinding::secretKeyRef),
                f.list("unicastPeers", Fields::string),
                f.bool("unicastPeersFromDirectors"),
                f.integer("vipPrefixLength"),
                f.string("vipLabel"),
                f.list("trackInterfaces", Fields::string),
                f.integer("garpRepeat"),
                f.string("garpInterval"),
                f.string("garpRefresh"),
                f.string("syncGroup"),
                f.object("notify", PlainBinding::notifyCommands),
                f.object("connectionSync", PlainBinding::connectionSync)));
  }

  private static VirtualServerSpec.SecretKeyRef secretKeyRef(JsonNode node) {
    Fields f = new Fields(node);
    return f.build(() -> new VirtualServerSpec.SecretKeyRef(f.string("name"), f.string("key")));
  }

  private static Notify notifyCommands(JsonNode node) {
    Fields f = new Fields(node);
    return f.build(
        () ->
            new Notify(
                f.string("master"),
                f.string("backup"),
                f.string("fault"),
                f.string("stop"),
                f.string("any"),
                f.string("timeout")));
  }

  private static ConnectionSync connectionSync(JsonNode node) {
    Fields f = new Fields(node);
    return f.build(
        () ->
            new ConnectionSync(
                f.string("interface"),
                f.integer("syncId"),
                f.integer("maxLength"),
                f.integer("port"),
                f.integer("ttl"),
                f.string("group")));
  }

  private static Directors directors(JsonNode node) {
    Fields f = new Fields(node);
    return f.build(
        () ->
            new Directors(
                f.list("nodes", PlainBinding::directorNode),
                f.object("nodeSelector", PlainBinding::strings)));
  }

  private static DirectorNode directorNode(JsonNode node) {
    Fields f = new Fields(node);
    return f.build(() -> new DirectorNode(f.string("name"), f.integer("priority")));
  }

  private static VirtualServerSpec.SorryServer sorryServer(JsonNode node) {
    Fields f = new Fields(node);
    return f.build(() -> new VirtualServerSpec.SorryServer(f.string("address"), f.integer("port")));
  }

  private static VirtualServerSpec.AdditionalAddress additionalAddress(JsonNode node) {
    Fields f = new Fields(node);
    return f.build(
        () -> new VirtualServerSpec.AdditionalAddress(f.string("address"), f.integer("port")));
  }

  private static RealServerSpec realServerSpec(JsonNode node) {
    Fields f = new Fields(node);
    return f.build(
        () ->
            new RealServerSpec(
                f.string("address"),
                f.integer("port"),
                f.integer("weight"),
                f.string("virtualServer"),
                f.string("node"),
                f.bool("drain")));
  }

  private static VrrpInstanceSpec vrrpInstanceSpec(JsonNode node) {
    Fields f = new Fields(node);
    return f.build(
        () ->
            new VrrpInstanceSpec(
                f.object("vrrp", PlainBinding::vrrp),
                f.object("directors", PlainBinding::directors),
                f.list("addresses", PlainBinding::address),
                f.list("excludedAddresses", PlainBinding::address)));
  }

  private static VrrpInstanceSpec.Address address(JsonNode node) {
    Fields f = new Fields(node);
    return f.build(
        () ->
            new VrrpInstanceSpec.Address(
                f.string("address"),
                f.integer("prefixLength"),
                f.string("label"),
                f.string("interface")));
  }

  /**
   * The fields of one mapping, taken by name: an absent field is null, as Jackson leaves it; a
   * value of another type than the one asked for, or a null, marks the mapping as not read here.
   * The mapping is read when every field was taken and none was refused.
   */
  private static final class Fields {
    private final JsonNode node;
    private int taken;
    private boolean refused;

    Fields(JsonNode node) {
      this.node = node;
      this.refused = node == null || !node.isObject();
    }

    /** The record {@code make} builds, or null when a field was not read or it throws. */
    <T> T build(Supplier<T> make) {
      T value;
      try {
        value = make.get();
      } catch (RuntimeException e) {
        return null; // the record's own check: Jackson says it in its words
      }
      return complete() ? value : null;
    }

    boolean complete() {
      return !refused && taken == node.size();
    }

    /** A field read only by Jackson: present, it refuses the mapping. */
    <T> T refused(String name) {
      if (!refused && node.has(name)) {
        refused = true;
      }
      return null;
    }

    String string(String name) {
      return take(name, Fields::string);
    }

    /** A string; an integer where a string belongs (expectedStatus: [200]) is its digits. */
    static String string(JsonNode v) {
      return v.isTextual() || v.isInt() || v.isLong() ? v.asText() : null;
    }

    Integer integer(String name) {
      return take(name, v -> v.isInt() ? v.intValue() : null);
    }

    Long longInteger(String name) {
      return take(name, v -> v.isInt() || v.isLong() ? v.longValue() : null);
    }

    Boolean bool(String name) {
      return take(name, v -> v.isBoolean() ? v.booleanValue() : null);
    }

    <E> E enumeration(String name, E[] values, Function<E, String> nameOf) {
      return take(
          name,
          v -> {
            if (v.isTextual()) {
              for (E e : values) {
                if (nameOf.apply(e).equals(v.asText())) {
                  return e;
                }
              }
            }
            return null;
          });
    }

    <T> T object(String name, Function<JsonNode, T> read) {
      return take(name, v -> v.isObject() ? read.apply(v) : null);
    }

    <T> List<T> list(String name, Function<JsonNode, T> item) {
      return take(
          name,
          v -> {
            if (!v.isArray()) {
              return null;
            }
            List<T> out = new ArrayList<>(v.size());
            for (JsonNode element : v) {
              T t = element.isNull() ? null : item.apply(element);
              if (t == null) {
                return null;
              }
              out.add(t);
            }
            return out;
          });
    }

    private <T> T take(String name, Function<JsonNode, T> read) {
      if (refused) {
        return null;
      }
      JsonNode v = node.get(name);
      if (v == null) {
        return null;
      }
      taken++;
      T value = v.isNull() ? null : read.apply(v);
      if (value == null) {
        refused = true;
      }
      return value;
    }
  }
}
