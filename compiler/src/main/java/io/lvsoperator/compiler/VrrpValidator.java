package io.lvsoperator.compiler;

import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.api.v1alpha1.Patterns;
import io.lvsoperator.api.v1alpha1.VirtualServerSpec;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a {@code vrrp} block (of a VirtualServer) and resolves its defaults into {@link
 * ValidVirtualServer.VrrpSettings}.
 */
final class VrrpValidator {
  private static final Pattern INTERFACE_NAME = Pattern.compile(Patterns.INTERFACE_NAME);
  private static final Pattern INTERFACE_LABEL = Pattern.compile(Patterns.INTERFACE_LABEL);
  private static final Pattern SYNC_GROUP = Pattern.compile(Patterns.SYNC_GROUP);
  private static final Pattern AUTH_PASS = Pattern.compile(Patterns.VRRP_AUTH_PASS);

  private final Map<SecretKey, String> secrets;

  VrrpValidator(Map<SecretKey, String> secrets) {
    this.secrets = secrets;
  }

  /**
   * The settings of {@code v} (absent: every default) found at {@code p} of an object in {@code
   * namespace}; problems go to {@code errors}.
   */
  ValidVirtualServer.VrrpSettings validate(
      String p, String namespace, VirtualServerSpec.Vrrp v, FieldErrors errors) {
    if (v == null) {
      v = VirtualServerSpec.Vrrp.unset();
    }
    // In field order, so errors come out in the order the fields are written.
    String iface = interfaceName(p + ".interface", v.interfaceName(), errors);
    Integer vrid = v.virtualRouterId();
    if (vrid != null && (vrid < 1 || vrid > 255)) {
      errors.add(p + ".virtualRouterId", vrid.toString(), "is not a VRID (1-255)");
    }
    int version = Objects.requireNonNullElse(v.version(), Defaults.VRRP_VERSION);
    if (version != 2 && version != 3) {
      errors.add(p + ".version", Integer.toString(version), "is not 2 or 3");
    }
    int advert = advertInterval(p + ".advertIntervalMs", version, v.advertIntervalMs(), errors);
    int preemptDelay = errors.duration(p + ".preemptDelay", v.preemptDelay(), 0, 0);
    String authPass =
        authPass(p + ".authPassSecretRef", namespace, version, v.authPassSecretRef(), errors);
    List<String> peers = unicastPeers(p, v, errors);
    int prefix = Objects.requireNonNullElse(v.vipPrefixLength(), Defaults.VIP_PREFIX_LENGTH);
    errors.range(p + ".vipPrefixLength", prefix, 0, 32);
    String label = label(p + ".vipLabel", iface, v.vipLabel(), errors);
    List<String> track =
        trackInterfaces(p + ".trackInterfaces", iface, v.trackInterfaces(), errors);
    LvsNodeSpec.Garp garp = garp(p, v, errors);
    String syncGroup = syncGroup(p + ".syncGroup", namespace, v.syncGroup(), errors);
    boolean accept = accept(p + ".accept", v.accept(), errors);
    var notify = notify(p + ".notify", v.notifyCommands(), errors);
    var connectionSync = connectionSync(p + ".connectionSync", v.connectionSync(), errors);
    return new ValidVirtualServer.VrrpSettings(
        iface,
        vrid,
        version,
        advert,
        !Boolean.FALSE.equals(v.preempt()),
        preemptDelay,
        accept,
        authPass,
        peers,
        Boolean.TRUE.equals(v.unicastPeersFromDirectors()),
        prefix,
        label,
        track,
        garp,
        syncGroup,
        notify,
        connectionSync);
  }

  private static LvsNodeSpec.Notify notify(
      String p, VirtualServerSpec.Notify n, FieldErrors errors) {
    if (n == null) {
      return null;
    }
    List<String> commands = new ArrayList<>();
    String[][] fields = {
      {"master", n.master()},
      {"backup", n.backup()},
      {"fault", n.fault()},
      {"stop", n.stop()},
      {"any", n.any()}
    };
    for (String[] f : fields) {
      if (f[1] != null && f[1].isBlank()) {
        errors.add(p + "." + f[0], f[1], "is an empty command");
      } else if (f[1] != null) {
        commands.add(f[1]);
      }
    }
    int timeout = errors.duration(p + ".timeout", n.timeout(), Defaults.NOTIFY_TIMEOUT_MS, 1000);
    if (commands.isEmpty()) {
      return null;
    }
    return new LvsNodeSpec.Notify(n.master(), n.backup(), n.fault(), n.stop(), n.any(), timeout);
  }

  private static LvsNodeSpec.ConnectionSync connectionSync(
      String p, VirtualServerSpec.ConnectionSync c, FieldErrors errors) {
    if (c == null) {
      return null;
    }
    if (c.interfaceName() == null) {
      errors.add(p + ".interface", null, "is required");
    } else if (!INTERFACE_NAME.matcher(c.interfaceName()).matches()) {
      errors.add(p + ".interface", c.interfaceName(), "is not an interface name");
    }
    if (c.syncId() == null) {
      errors.add(p + ".syncId", null, "is required");
    } else {
      errors.range(p + ".syncId", c.syncId(), 0, 255);
    }
    if (c.maxLength() != null) {
      errors.range(p + ".maxLength", c.maxLength(), 1, 65507);
    }
    if (c.port() != null) {
      errors.range(p + ".port", c.port(), 1, 65535);
    }
    if (c.ttl() != null) {
      errors.range(p + ".ttl", c.ttl(), 1, 255);
    }
    String group = null;
    if (c.group() != null) {
      Optional<InetAddress> a = Addresses.parse(c.group());
      if (a.isEmpty() || !Addresses.isIpv4(a.get()) || !a.get().isMulticastAddress()) {
        errors.add(p + ".group", c.group(), "is not an IPv4 multicast address (224.0.0.0/4)");
      } else {
        group = Addresses.canonical(a.get());
      }
    }
    return new LvsNodeSpec.ConnectionSync(
        c.interfaceName(),
        c.syncId() == null ? 0 : c.syncId(),
        c.maxLength(),
        c.port(),
        c.ttl(),
        group);
  }

  static String interfaceName(String path, String given, FieldErrors errors) {
    String iface = Objects.requireNonNullElse(given, Defaults.INTERFACE);
    if (!INTERFACE_NAME.matcher(iface).matches()) {
      errors.add(path, iface, "is not an interface name");
    }
    return iface;
  }

  private static int advertInterval(String path, int version, Integer given, FieldErrors errors) {
    int advert =
        Objects.requireNonNullElse(
            given, version == 2 ? Defaults.ADVERT_INTERVAL_V2_MS : Defaults.ADVERT_INTERVAL_V3_MS);
    if (version == 2 && (advert % 1000 != 0 || advert < 1000 || advert > 255_000)) {
      errors.add(
          path,
          Integer.toString(advert),
          "must be whole seconds (1000-255000) with VRRP version 2");
    } else if (version == 3 && (advert % 10 != 0 || advert < 10 || advert > 40_950)) {
      errors.add(
          path,
          Integer.toString(advert),
          "must be a multiple of 10 between 10 and 40950 with VRRP version 3");
    }
    return advert;
  }

  private String authPass(
      String path,
      String namespace,
      int version,
      VirtualServerSpec.SecretKeyRef ref,
      FieldErrors errors) {
    if (ref == null) {
      return null;
    }
    String shown = ref.name() + "/" + ref.key();
    if (version != 2) {
      errors.add(path, shown, "(PASS authentication) exists only in VRRP version 2");
    }
    String authPass = secrets.get(new SecretKey(namespace, ref.name(), ref.key()));
    if (authPass == null) {
      errors.add(path, shown, "names a Secret key that does not exist in namespace " + namespace);
    } else if (authPass.isEmpty()) {
      errors.add(path, shown, "holds an empty password");
    } else if (authPass.length() > 8) {
      // keepalived keeps the first 8 with a warning; a password that is not what goes on the wire
      // misleads, so refuse it. The value is never shown.
      errors.add(
          path,
          shown,
          "holds a password of "
              + authPass.length()
              + " characters; VRRP PASS carries at most 8 (keepalived silently uses the first 8:"
              + " write those)");
    } else if (!AUTH_PASS.matcher(authPass).matches()) {
      errors.add(path, shown, "holds a password that is not printable ASCII without spaces (1-8)");
    }
    return authPass;
  }

  private static List<String> unicastPeers(String p, VirtualServerSpec.Vrrp v, FieldErrors errors) {
    List<String> peers = new ArrayList<>();
    if (v.unicastPeers() != null) {
      for (int i = 0; i < v.unicastPeers().size(); i++) {
        String peer = v.unicastPeers().get(i);
        Optional<InetAddress> a = Addresses.parse(peer);
        if (a.isEmpty() || !Addresses.isIpv4(a.get())) {
          errors.add(p + ".unicastPeers[" + i + "]", peer, "is not an IPv4 address");
        } else {
          peers.add(Addresses.canonical(a.get()));
        }
      }
    }
    if (Boolean.TRUE.equals(v.unicastPeersFromDirectors()) && !peers.isEmpty()) {
      errors.add(
          p + ".unicastPeersFromDirectors",
          "true",
          "excludes vrrp.unicastPeers; give one or the other");
    }
    return peers;
  }

  /** An address label: the interface name, optionally ':' and a suffix. */
  static String label(String path, String iface, String label, FieldErrors errors) {
    if (label != null
        && (!INTERFACE_LABEL.matcher(label).matches()
            || !(label.equals(iface) || label.startsWith(iface + ":")))) {
      errors.add(
          path,
          label,
          "must be the interface name, optionally followed by ':' and a suffix (e.g. "
              + iface
              + ":1), at most 15 characters");
    }
    return label;
  }

  private static List<String> trackInterfaces(
      String path, String iface, List<String> given, FieldErrors errors) {
    Set<String> track = new LinkedHashSet<>();
    track.add(iface);
    if (given != null) {
      for (int i = 0; i < given.size(); i++) {
        String t = given.get(i);
        if (t == null || !INTERFACE_NAME.matcher(t).matches()) {
          errors.add(path + "[" + i + "]", t, "is not an interface name");
        } else {
          track.add(t);
        }
      }
    }
    return List.copyOf(track);
  }

  private static LvsNodeSpec.Garp garp(String p, VirtualServerSpec.Vrrp v, FieldErrors errors) {
    int repeat = Objects.requireNonNullElse(v.garpRepeat(), Defaults.GARP_REPEAT);
    errors.range(p + ".garpRepeat", repeat, 0, 100);
    int interval =
        errors.duration(p + ".garpInterval", v.garpInterval(), Defaults.GARP_INTERVAL_MS, 0);
    int refresh = errors.duration(p + ".garpRefresh", v.garpRefresh(), 0, 0);
    if (refresh > 0 && refresh < 1000) {
      // keepalived counts garp_master_refresh in whole seconds; faster is a broadcast storm.
      errors.add(p + ".garpRefresh", v.garpRefresh(), "is out of range (0s for none, or 1s-1h)");
      refresh = 0;
    }
    return new LvsNodeSpec.Garp(repeat, interval, refresh);
  }

  private static String syncGroup(
      String path, String namespace, String syncGroup, FieldErrors errors) {
    if (syncGroup == null) {
      return null;
    }
    if (!SYNC_GROUP.matcher(syncGroup).matches()) {
      errors.add(path, syncGroup, "is not a name (lower-case letters, digits, '-')");
      return null;
    }
    return namespace + "/" + syncGroup;
  }

  private static boolean accept(String path, Boolean accept, FieldErrors errors) {
    if (Boolean.FALSE.equals(accept)) {
      // RFC 5798's non-accept master drops traffic to the VIP; keepalived does it with a firewall
      // rule. IPVS needs that traffic, and the agent installs no such rule: refuse, do not pretend.
      errors.add(
          path,
          "false",
          "is not supported (no_accept: the agent installs no drop rule, and IPVS needs the"
              + " VIP's traffic); leave it true");
    }
    return true;
  }
}
