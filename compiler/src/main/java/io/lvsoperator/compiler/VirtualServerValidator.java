package io.lvsoperator.compiler;

import io.lvsoperator.api.v1alpha1.Forwarding;
import io.lvsoperator.api.v1alpha1.HealthCheckType;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.api.v1alpha1.OnFailure;
import io.lvsoperator.api.v1alpha1.Patterns;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import io.lvsoperator.api.v1alpha1.VirtualServerSpec;
import io.lvsoperator.api.v1alpha1.VirtualServerSpec.DirectorNode;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a VirtualServer as the API server would (the OpenAPI schema and the CEL rules) and more
 * (address literals, secrets, DR port rules), because standalone mode has no API server. Collects
 * every error rather than stopping at the first.
 */
final class VirtualServerValidator {
  private static final Pattern INTERFACE_NAME = Pattern.compile(Patterns.INTERFACE_NAME);
  private static final Pattern INTERFACE_LABEL = Pattern.compile(Patterns.INTERFACE_LABEL);
  private static final Pattern SYNC_GROUP = Pattern.compile(Patterns.SYNC_GROUP);
  private static final Pattern STATUS = Pattern.compile("^([1-5][0-9][0-9])(-([1-5][0-9][0-9]))?$");

  private final Map<SecretKey, String> secrets;

  VirtualServerValidator(Map<SecretKey, String> secrets) {
    this.secrets = secrets;
  }

  /** Either a valid VirtualServer or the errors that prevent it. */
  record Outcome(ValidVirtualServer valid, List<FieldError> errors) {}

  Outcome validate(VirtualServer vs) {
    List<FieldError> errors = new ArrayList<>();
    ObjectKey key = ObjectKey.of(vs);
    long generation = generationOf(vs);
    VirtualServerSpec spec = vs.getSpec();
    if (spec == null) {
      errors.add(new FieldError("spec", null, "is required"));
      return new Outcome(null, errors);
    }

    String vip = null;
    if (spec.vip() == null) {
      errors.add(new FieldError("spec.vip", null, "is required"));
    } else {
      Optional<InetAddress> parsed = Addresses.parse(spec.vip());
      if (parsed.isEmpty()) {
        errors.add(new FieldError("spec.vip", spec.vip(), "is not an IP address"));
      } else if (!Addresses.isIpv4(parsed.get())) {
        errors.add(new FieldError("spec.vip", spec.vip(), "is IPv6, which is not supported yet"));
      } else {
        vip = Addresses.canonical(parsed.get());
      }
    }
    Integer port = spec.port();
    if (port != null && (port < 1 || port > 65535)) {
      errors.add(new FieldError("spec.port", port.toString(), "is not a port (1-65535)"));
    }
    boolean hasRealServers =
        (spec.realServers() != null && !spec.realServers().isEmpty())
            || spec.realServerSelector() != null;
    if (port == null && hasRealServers) {
      errors.add(
          new FieldError(
              "spec.port",
              null,
              "is required when real servers are given (only a VIP-only instance has no port)"));
    }
    var protocol = Objects.requireNonNullElse(spec.protocol(), Defaults.PROTOCOL);
    var scheduler = Objects.requireNonNullElse(spec.scheduler(), Defaults.SCHEDULER);
    var forwarding = Objects.requireNonNullElse(spec.forwarding(), Defaults.FORWARDING);
    int persistence = Objects.requireNonNullElse(spec.persistenceTimeoutSeconds(), 0);
    if (persistence < 0 || persistence > 2_678_400) {
      errors.add(
          new FieldError(
              "spec.persistenceTimeoutSeconds",
              Integer.toString(persistence),
              "is out of range (0-2678400)"));
    }
    String netmask = Defaults.PERSISTENCE_NETMASK;
    if (spec.persistenceNetmask() != null) {
      Optional<InetAddress> mask = Addresses.parse(spec.persistenceNetmask());
      if (mask.isEmpty() || !Addresses.isContiguousNetmask(mask.get())) {
        errors.add(
            new FieldError(
                "spec.persistenceNetmask",
                spec.persistenceNetmask(),
                "is not an IPv4 netmask like 255.255.255.0"));
      } else {
        netmask = Addresses.canonical(mask.get());
      }
    }

    List<ResolvedRealServer> inline = new ArrayList<>();
    if (spec.realServers() != null) {
      for (int i = 0; i < spec.realServers().size(); i++) {
        var rs = spec.realServers().get(i);
        String path = "spec.realServers[" + i + "]";
        if (rs == null) {
          errors.add(new FieldError(path, null, "is empty"));
          continue;
        }
        ResolvedRealServer resolved =
            RealServerChecks.resolve(
                path,
                rs.address(),
                rs.port(),
                rs.weight(),
                rs.drain(),
                rs.node(),
                port,
                forwarding,
                path,
                errors);
        if (resolved != null) {
          inline.add(resolved);
        }
      }
    }

    var healthCheck = compileHealthCheck(spec.healthCheck(), errors);
    OnFailure onFailure =
        spec.healthCheck() == null || spec.healthCheck().onFailure() == null
            ? OnFailure.REMOVE
            : spec.healthCheck().onFailure();
    var vrrp = compileVrrp(key, spec.vrrp(), errors);
    List<DirectorNode> directorNodes = List.of();
    Map<String, String> directorSelector = Map.of();
    if (spec.directors() == null) {
      errors.add(new FieldError("spec.directors", null, "is required"));
    } else {
      var d = spec.directors();
      if ((d.nodes() == null || d.nodes().isEmpty()) && d.nodeSelector() == null) {
        errors.add(new FieldError("spec.directors", null, "needs nodes, nodeSelector, or both"));
      }
      if (d.nodes() != null) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < d.nodes().size(); i++) {
          DirectorNode n = d.nodes().get(i);
          String path = "spec.directors.nodes[" + i + "]";
          if (n == null || n.name() == null || n.name().isBlank()) {
            errors.add(new FieldError(path + ".name", null, "is required"));
            continue;
          }
          if (!seen.add(n.name())) {
            errors.add(new FieldError(path + ".name", n.name(), "is listed twice"));
          }
          if (n.priority() != null && (n.priority() < 1 || n.priority() > 254)) {
            errors.add(
                new FieldError(
                    path + ".priority", n.priority().toString(), "is not a priority (1-254)"));
          }
        }
        directorNodes = List.copyOf(d.nodes());
      }
      if (d.nodeSelector() != null) {
        directorSelector = Map.copyOf(d.nodeSelector());
      }
    }

    if (!errors.isEmpty()) {
      return new Outcome(null, errors);
    }
    return new Outcome(
        new ValidVirtualServer(
            key,
            generation,
            vip,
            port,
            protocol,
            scheduler,
            forwarding,
            persistence,
            netmask,
            inline,
            spec.realServerSelector(),
            port == null ? null : healthCheck,
            onFailure,
            vrrp,
            directorNodes,
            directorSelector),
        List.of());
  }

  static long generationOf(VirtualServer vs) {
    Long g = vs.getMetadata() == null ? null : vs.getMetadata().getGeneration();
    return g == null ? 0 : g;
  }

  private LvsNodeSpec.CompiledHealthCheck compileHealthCheck(
      VirtualServerSpec.HealthCheck hc, List<FieldError> errors) {
    if (hc == null) {
      return new LvsNodeSpec.CompiledHealthCheck(
          HealthCheckType.TCP,
          null,
          null,
          null,
          null,
          null,
          null,
          Defaults.CHECK_INTERVAL_MS,
          Defaults.CHECK_TIMEOUT_MS,
          null,
          Defaults.CHECK_INTERVAL_MS,
          Defaults.CHECK_RISE,
          Defaults.CHECK_FALL);
    }
    String p = "spec.healthCheck";
    HealthCheckType type = hc.type();
    if (type == null) {
      errors.add(new FieldError(p + ".type", null, "is required"));
      type = HealthCheckType.TCP;
    }
    boolean http = type == HealthCheckType.HTTP_GET || type == HealthCheckType.HTTPS_GET;
    if (hc.path() != null && !http) {
      errors.add(new FieldError(p + ".path", hc.path(), "applies only to HTTP_GET and HTTPS_GET"));
    }
    if (hc.path() != null && !hc.path().startsWith("/")) {
      errors.add(new FieldError(p + ".path", hc.path(), "must start with /"));
    }
    if (hc.caBundle() != null && type != HealthCheckType.HTTPS_GET) {
      errors.add(new FieldError(p + ".caBundle", "(PEM)", "applies only to HTTPS_GET"));
    }
    List<String> expected = null;
    if (http) {
      expected = hc.expectedStatus() == null ? Defaults.EXPECTED_STATUS : hc.expectedStatus();
      for (int i = 0; i < expected.size(); i++) {
        String s = expected.get(i);
        var m = s == null ? null : STATUS.matcher(s);
        if (m == null || !m.matches()) {
          errors.add(
              new FieldError(
                  p + ".expectedStatus[" + i + "]",
                  s,
                  "is not a status code or range like 200-299"));
        } else if (m.group(3) != null
            && Integer.parseInt(m.group(3)) < Integer.parseInt(m.group(1))) {
          errors.add(
              new FieldError(
                  p + ".expectedStatus[" + i + "]", s, "is a range that ends before it starts"));
        }
      }
    } else if (hc.expectedStatus() != null) {
      errors.add(
          new FieldError(
              p + ".expectedStatus",
              String.join(",", hc.expectedStatus()),
              "applies only to HTTP_GET and HTTPS_GET"));
    }
    if (hc.port() != null && (hc.port() < 1 || hc.port() > 65535)) {
      errors.add(new FieldError(p + ".port", hc.port().toString(), "is not a port (1-65535)"));
    }
    int interval =
        duration(p + ".delayLoop", hc.delayLoop(), Defaults.CHECK_INTERVAL_MS, 1, errors);
    int timeout =
        duration(p + ".connectTimeout", hc.connectTimeout(), Defaults.CHECK_TIMEOUT_MS, 1, errors);
    int delayBeforeRetry =
        duration(p + ".delayBeforeRetry", hc.delayBeforeRetry(), interval, 0, errors);
    Integer retry = hc.retry();
    if (retry != null && (retry < 0 || retry > 100)) {
      errors.add(new FieldError(p + ".retry", retry.toString(), "is out of range (0-100)"));
    }
    // keepalived declares a server down after the first failure and `retry` more; it brings it
    // back on the first success. A config that uses keepalived's terms gets keepalived's behaviour.
    int rise = count(p + ".rise", hc.rise(), retry != null ? 1 : Defaults.CHECK_RISE, errors);
    int fall =
        retry != null ? retry + 1 : count(p + ".fall", hc.fall(), Defaults.CHECK_FALL, errors);
    return new LvsNodeSpec.CompiledHealthCheck(
        type,
        http ? Objects.requireNonNullElse(hc.path(), "/") : null,
        expected,
        hc.host(),
        hc.bodyContains(),
        hc.caBundle(),
        hc.port(),
        interval,
        timeout,
        retry,
        delayBeforeRetry,
        rise,
        fall);
  }

  private static int count(String path, Integer value, int dflt, List<FieldError> errors) {
    if (value == null) {
      return dflt;
    }
    if (value < 1 || value > 100) {
      errors.add(new FieldError(path, value.toString(), "is out of range (1-100)"));
    }
    return value;
  }

  private static int duration(
      String path, String text, int dflt, long minMs, List<FieldError> errors) {
    if (text == null) {
      return dflt;
    }
    OptionalLong ms = Durations.toMillis(text);
    if (ms.isEmpty()) {
      errors.add(new FieldError(path, text, "is not a duration like 500ms, 6s or 1m"));
      return dflt;
    }
    if (ms.getAsLong() < minMs || ms.getAsLong() > 3_600_000) {
      errors.add(new FieldError(path, text, "is out of range (" + minMs + "ms-1h)"));
      return dflt;
    }
    return (int) ms.getAsLong();
  }

  private ValidVirtualServer.VrrpSettings compileVrrp(
      ObjectKey key, VirtualServerSpec.Vrrp v, List<FieldError> errors) {
    String p = "spec.vrrp";
    if (v == null) {
      v =
          new VirtualServerSpec.Vrrp(
              null, null, null, null, null, null, null, null, null, null, null, null, null, null,
              null, null, null);
    }
    String iface = Objects.requireNonNullElse(v.interfaceName(), Defaults.INTERFACE);
    if (!INTERFACE_NAME.matcher(iface).matches()) {
      errors.add(new FieldError(p + ".interface", iface, "is not an interface name"));
    }
    Integer vrid = v.virtualRouterId();
    if (vrid != null && (vrid < 1 || vrid > 255)) {
      errors.add(new FieldError(p + ".virtualRouterId", vrid.toString(), "is not a VRID (1-255)"));
    }
    int version = Objects.requireNonNullElse(v.version(), Defaults.VRRP_VERSION);
    if (version != 2 && version != 3) {
      errors.add(new FieldError(p + ".version", Integer.toString(version), "is not 2 or 3"));
    }
    int advert =
        Objects.requireNonNullElse(
            v.advertIntervalMs(),
            version == 2 ? Defaults.ADVERT_INTERVAL_V2_MS : Defaults.ADVERT_INTERVAL_V3_MS);
    if (version == 2 && (advert % 1000 != 0 || advert < 1000 || advert > 255_000)) {
      errors.add(
          new FieldError(
              p + ".advertIntervalMs",
              Integer.toString(advert),
              "must be whole seconds (1000-255000) with VRRP version 2"));
    } else if (version == 3 && (advert % 10 != 0 || advert < 10 || advert > 40_950)) {
      errors.add(
          new FieldError(
              p + ".advertIntervalMs",
              Integer.toString(advert),
              "must be a multiple of 10 between 10 and 40950 with VRRP version 3"));
    }
    int preemptDelay = duration(p + ".preemptDelay", v.preemptDelay(), 0, 0, errors);
    String authPass = null;
    if (v.authPassSecretRef() != null) {
      var ref = v.authPassSecretRef();
      if (version != 2) {
        errors.add(
            new FieldError(
                p + ".authPassSecretRef",
                ref.name() + "/" + ref.key(),
                "(PASS authentication) exists only in VRRP version 2"));
      }
      authPass = secrets.get(new SecretKey(key.namespace(), ref.name(), ref.key()));
      if (authPass == null) {
        errors.add(
            new FieldError(
                p + ".authPassSecretRef",
                ref.name() + "/" + ref.key(),
                "names a Secret key that does not exist in namespace " + key.namespace()));
      } else if (authPass.isEmpty()) {
        errors.add(
            new FieldError(
                p + ".authPassSecretRef", ref.name() + "/" + ref.key(), "holds an empty password"));
      }
    }
    List<String> peers = new ArrayList<>();
    if (v.unicastPeers() != null) {
      for (int i = 0; i < v.unicastPeers().size(); i++) {
        String peer = v.unicastPeers().get(i);
        Optional<InetAddress> a = Addresses.parse(peer);
        if (a.isEmpty() || !Addresses.isIpv4(a.get())) {
          errors.add(
              new FieldError(p + ".unicastPeers[" + i + "]", peer, "is not an IPv4 address"));
        } else {
          peers.add(Addresses.canonical(a.get()));
        }
      }
    }
    boolean fromDirectors = Boolean.TRUE.equals(v.unicastPeersFromDirectors());
    if (fromDirectors && !peers.isEmpty()) {
      errors.add(
          new FieldError(
              p + ".unicastPeersFromDirectors",
              "true",
              "excludes vrrp.unicastPeers; give one or the other"));
    }
    int prefix = Objects.requireNonNullElse(v.vipPrefixLength(), Defaults.VIP_PREFIX_LENGTH);
    if (prefix < 0 || prefix > 32) {
      errors.add(
          new FieldError(
              p + ".vipPrefixLength", Integer.toString(prefix), "is out of range (0-32)"));
    }
    String label = v.vipLabel();
    if (label != null
        && (!INTERFACE_LABEL.matcher(label).matches()
            || !(label.equals(iface) || label.startsWith(iface + ":")))) {
      errors.add(
          new FieldError(
              p + ".vipLabel",
              label,
              "must be the interface name, optionally followed by ':' and a suffix (e.g. "
                  + iface
                  + ":1), at most 15 characters"));
    }
    Set<String> track = new LinkedHashSet<>();
    track.add(iface);
    if (v.trackInterfaces() != null) {
      for (int i = 0; i < v.trackInterfaces().size(); i++) {
        String t = v.trackInterfaces().get(i);
        if (t == null || !INTERFACE_NAME.matcher(t).matches()) {
          errors.add(
              new FieldError(p + ".trackInterfaces[" + i + "]", t, "is not an interface name"));
        } else {
          track.add(t);
        }
      }
    }
    int garpRepeat = Objects.requireNonNullElse(v.garpRepeat(), Defaults.GARP_REPEAT);
    if (garpRepeat < 0 || garpRepeat > 100) {
      errors.add(
          new FieldError(
              p + ".garpRepeat", Integer.toString(garpRepeat), "is out of range (0-100)"));
    }
    int garpInterval =
        duration(p + ".garpInterval", v.garpInterval(), Defaults.GARP_INTERVAL_MS, 0, errors);
    int garpRefresh = duration(p + ".garpRefresh", v.garpRefresh(), 0, 0, errors);
    if (garpRefresh > 0 && garpRefresh < 1000) {
      // keepalived counts garp_master_refresh in whole seconds; faster is a broadcast storm.
      errors.add(
          new FieldError(
              p + ".garpRefresh", v.garpRefresh(), "is out of range (0s for none, or 1s-1h)"));
      garpRefresh = 0;
    }
    String syncGroup = null;
    if (v.syncGroup() != null) {
      if (!SYNC_GROUP.matcher(v.syncGroup()).matches()) {
        errors.add(
            new FieldError(
                p + ".syncGroup",
                v.syncGroup(),
                "is not a name (lower-case letters, digits, '-')"));
      } else {
        syncGroup = key.namespace() + "/" + v.syncGroup();
      }
    }
    boolean preempt = !Boolean.FALSE.equals(v.preempt());
    boolean accept = !Boolean.FALSE.equals(v.accept());
    if (!accept) {
      // RFC 5798's non-accept master drops traffic to the VIP; keepalived does it with a firewall
      // rule. IPVS needs that traffic, and the agent installs no such rule: refuse, do not pretend.
      errors.add(
          new FieldError(
              p + ".accept",
              "false",
              "is not supported (no_accept: the agent installs no drop rule, and IPVS needs the"
                  + " VIP's traffic); leave it true"));
      accept = true;
    }
    return new ValidVirtualServer.VrrpSettings(
        iface,
        vrid,
        version,
        advert,
        preempt,
        preemptDelay,
        accept,
        authPass,
        peers,
        fromDirectors,
        prefix,
        label,
        List.copyOf(track),
        new LvsNodeSpec.Garp(garpRepeat, garpInterval, garpRefresh),
        syncGroup);
  }

  /** Checks shared by inline real servers and RealServer objects. */
  static final class RealServerChecks {
    private RealServerChecks() {}

    static ResolvedRealServer resolve(
        String path,
        String address,
        Integer port,
        Integer weight,
        Boolean drain,
        String node,
        Integer virtualPort,
        Forwarding forwarding,
        String source,
        List<FieldError> errors) {
      int before = errors.size();
      String canonical = null;
      if (address == null) {
        errors.add(new FieldError(path + ".address", null, "is required"));
      } else {
        Optional<InetAddress> a = Addresses.parse(address);
        if (a.isEmpty()) {
          errors.add(new FieldError(path + ".address", address, "is not an IP address"));
        } else if (!Addresses.isIpv4(a.get())) {
          errors.add(
              new FieldError(path + ".address", address, "is IPv6, which is not supported yet"));
        } else {
          canonical = Addresses.canonical(a.get());
        }
      }
      Integer effectivePort = port != null ? port : virtualPort;
      if (port != null && (port < 1 || port > 65535)) {
        errors.add(new FieldError(path + ".port", port.toString(), "is not a port (1-65535)"));
      } else if (port != null
          && virtualPort != null
          && !port.equals(virtualPort)
          && forwarding != Forwarding.NAT) {
        errors.add(
            new FieldError(
                path + ".port",
                port.toString(),
                "differs from the virtual port "
                    + virtualPort
                    + "; only NAT forwarding can change the port"));
      }
      int w = weight == null ? Defaults.WEIGHT : weight;
      if (w < 0 || w > 65535) {
        errors.add(
            new FieldError(path + ".weight", Integer.toString(w), "is out of range (0-65535)"));
      }
      if (errors.size() > before || effectivePort == null) {
        return null;
      }
      return new ResolvedRealServer(
          canonical, effectivePort, w, Boolean.TRUE.equals(drain), node, source);
    }
  }
}
