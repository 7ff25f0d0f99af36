package io.lvsoperator.compiler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.lvsoperator.api.v1alpha1.Forwarding;
import io.lvsoperator.api.v1alpha1.OnFailure;
import io.lvsoperator.api.v1alpha1.Patterns;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import io.lvsoperator.api.v1alpha1.VirtualServerSpec;
import io.lvsoperator.api.v1alpha1.VirtualServerSpec.DirectorNode;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a VirtualServer as the API server would (the OpenAPI schema and the CEL rules) and more
 * (address literals, secrets, DR port rules), because standalone mode has no API server. Collects
 * every error rather than stopping at the first.
 */
final class VirtualServerValidator {
  private static final Pattern OBJECT_NAME = Pattern.compile(Patterns.OBJECT_NAME);

  private final VrrpValidator vrrpValidator;
  private final Instances instances;

  VirtualServerValidator(VrrpValidator vrrpValidator, Instances instances) {
    this.vrrpValidator = vrrpValidator;
    this.instances = instances;
  }

  /** Either a valid VirtualServer or the errors that prevent it. */
  record Outcome(ValidVirtualServer valid, List<FieldError> errors) {}

  Outcome validate(VirtualServer vs) {
    ObjectKey key = ObjectKey.of(vs);
    VirtualServerSpec spec = vs.getSpec();
    FieldErrors errors = new FieldErrors();
    if (spec == null) {
      errors.add("spec", null, "is required");
      return new Outcome(null, errors.list());
    }
    String vip = vip(spec.vip(), errors);
    Integer port = port(spec, errors);
    var forwarding = Objects.requireNonNullElse(spec.forwarding(), Defaults.FORWARDING);
    int persistence = Objects.requireNonNullElse(spec.persistenceTimeoutSeconds(), 0);
    errors.range("spec.persistenceTimeoutSeconds", persistence, 0, 2_678_400);
    String netmask = persistenceNetmask(spec.persistenceNetmask(), errors);
    var inline = inlineRealServers(spec.realServers(), port, forwarding, errors);
    LabelSelectors.check("spec.realServerSelector", spec.realServerSelector(), errors);
    var options = ServiceOptions.validate(spec, vip, port, forwarding, errors);
    var healthCheck = HealthCheckValidator.validate(spec.healthCheck(), errors);
    ObjectKey instance = null;
    ValidVirtualServer.VrrpSettings vrrp = null;
    DirectorChoice directors = new DirectorChoice(List.of(), Map.of());
    if (spec.vrrpInstance() != null) {
      instance = instanceRef(key, spec, errors);
    } else {
      vrrp = vrrpValidator.validate("spec.vrrp", key.namespace(), spec.vrrp(), errors);
      directors = directors(spec.directors(), errors);
    }
    if (!errors.isEmpty()) {
      return new Outcome(null, errors.list());
    }
    var valid =
        new ValidVirtualServer(
            key,
            generationOf(vs),
            vip,
            port,
            Objects.requireNonNullElse(spec.protocol(), Defaults.PROTOCOL),
            Objects.requireNonNullElse(spec.scheduler(), Defaults.SCHEDULER),
            forwarding,
            persistence,
            netmask,
            inline,
            spec.realServerSelector(),
            healthCheck,
            onFailure(spec.healthCheck()),
            vrrp,
            directors.nodes(),
            directors.selector(),
            instance,
            options.additional(),
            options.firewallMark(),
            options.sorryServer(),
            options.quorum(),
            options.hysteresis());
    return new Outcome(valid, List.of());
  }

  /**
   * The VrrpInstance {@code spec.vrrpInstance} names, which must exist and run; {@code spec.vrrp}
   * and {@code spec.directors} must then be absent.
   */
  private ObjectKey instanceRef(ObjectKey key, VirtualServerSpec spec, FieldErrors errors) {
    String name = spec.vrrpInstance();
    if (!OBJECT_NAME.matcher(name).matches() || name.length() > 253) {
      errors.add("spec.vrrpInstance", name, "is not an object name");
      return null;
    }
    ObjectKey ref = new ObjectKey(key.namespace(), name);
    String inInstance = " when spec.vrrpInstance is given (VrrpInstance " + ref + " has them)";
    if (spec.vrrp() != null) {
      errors.add("spec.vrrp", null, "must be absent" + inInstance);
    }
    if (spec.directors() != null) {
      errors.add("spec.directors", null, "must be absent" + inInstance);
    }
    String problem = instances.problem(ref);
    if (problem != null) {
      errors.add("spec.vrrpInstance", name, problem);
    }
    return ref;
  }

  /** What the validator knows of the VrrpInstances a VirtualServer may join. */
  interface Instances {
    /** Why {@code ref} cannot be joined, or null when it can. */
    String problem(ObjectKey ref);
  }

  /** metadata.generation, 0 when absent (standalone manifests). */
  static long generationOf(HasMetadata o) {
    Long g = o.getMetadata() == null ? null : o.getMetadata().getGeneration();
    return g == null ? 0 : g;
  }

  /** The canonical text of an IPv4 address at {@code path}, or null with an error. */
  static String ipv4(String path, String text, FieldErrors errors) {
    if (text == null) {
      errors.add(path, null, "is required");
      return null;
    }
    Optional<InetAddress> parsed = Addresses.parse(text);
    if (parsed.isEmpty()) {
      errors.add(path, text, "is not an IP address");
    } else if (!Addresses.isIpv4(parsed.get())) {
      errors.add(path, text, "is IPv6, which is not supported yet");
    } else {
      return Addresses.canonical(parsed.get());
    }
    return null;
  }

  private static String vip(String vip, FieldErrors errors) {
    return ipv4("spec.vip", vip, errors);
  }

  private static Integer port(VirtualServerSpec spec, FieldErrors errors) {
    Integer port = spec.port();
    if (port != null && (port < 1 || port > 65535)) {
      errors.add("spec.port", port.toString(), "is not a port (1-65535)");
    }
    boolean hasRealServers =
        (spec.realServers() != null && !spec.realServers().isEmpty())
            || spec.realServerSelector() != null;
    if (port == null && hasRealServers && spec.firewallMark() == null) {
      errors.add(
          "spec.port",
          null,
          "is required when real servers are given (only a VIP-only instance or a firewall-mark"
              + " service has no port)");
    }
    return port;
  }

  private static String persistenceNetmask(String given, FieldErrors errors) {
    if (given == null) {
      return Defaults.PERSISTENCE_NETMASK;
    }
    Optional<InetAddress> mask = Addresses.parse(given);
    if (mask.isEmpty() || !Addresses.isContiguousNetmask(mask.get())) {
      errors.add("spec.persistenceNetmask", given, "is not an IPv4 netmask like 255.255.255.0");
      return Defaults.PERSISTENCE_NETMASK;
    }
    return Addresses.canonical(mask.get());
  }

  private static List<ResolvedRealServer> inlineRealServers(
      List<VirtualServerSpec.InlineRealServer> given,
      Integer port,
      Forwarding forwarding,
      FieldErrors errors) {
    List<ResolvedRealServer> inline = new ArrayList<>();
    if (given == null) {
      return inline;
    }
    var target = new RealServerChecks.Target(port, forwarding);
    for (int i = 0; i < given.size(); i++) {
      var rs = given.get(i);
      String path = "spec.realServers[" + i + "]";
      if (rs == null) {
        errors.add(path, null, "is empty");
        continue;
      }
      var resolved =
          RealServerChecks.resolve(path, RealServerChecks.Candidate.of(rs), target, path, errors);
      if (resolved != null) {
        inline.add(resolved);
      }
    }
    return inline;
  }

  private static OnFailure onFailure(VirtualServerSpec.HealthCheck hc) {
    return hc == null || hc.onFailure() == null ? OnFailure.REMOVE : hc.onFailure();
  }

  /** Listed director nodes and the director selector, checked. */
  record DirectorChoice(List<DirectorNode> nodes, Map<String, String> selector) {}

  static DirectorChoice directors(VirtualServerSpec.Directors d, FieldErrors errors) {
    if (d == null) {
      errors.add("spec.directors", null, "is required");
      return new DirectorChoice(List.of(), Map.of());
    }
    if ((d.nodes() == null || d.nodes().isEmpty()) && d.nodeSelector() == null) {
      errors.add("spec.directors", null, "needs nodes, nodeSelector, or both");
    }
    LabelSelectors.labels("spec.directors.nodeSelector", d.nodeSelector(), errors);
    List<DirectorNode> nodes = List.of();
    if (d.nodes() != null) {
      checkDirectorNodes(d.nodes(), errors);
      nodes = d.nodes().stream().filter(Objects::nonNull).toList();
    }
    if (d.nodeSelector() == null
        || d.nodeSelector().entrySet().stream()
            .anyMatch(e -> e.getKey() == null || e.getValue() == null)) {
      return new DirectorChoice(nodes, Map.of()); // a null is an error reported above
    }
    return new DirectorChoice(nodes, Map.copyOf(d.nodeSelector()));
  }

  private static void checkDirectorNodes(List<DirectorNode> nodes, FieldErrors errors) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < nodes.size(); i++) {
      DirectorNode n = nodes.get(i);
      String path = "spec.directors.nodes[" + i + "]";
      if (n == null || n.name() == null || n.name().isBlank()) {
        errors.add(path + ".name", null, "is required");
        continue;
      }
      if (!seen.add(n.name())) {
        errors.add(path + ".name", n.name(), "is listed twice");
      }
      if (n.priority() != null && (n.priority() < 1 || n.priority() > 254)) {
        errors.add(path + ".priority", n.priority().toString(), "is not a priority (1-254)");
      }
    }
  }
}
