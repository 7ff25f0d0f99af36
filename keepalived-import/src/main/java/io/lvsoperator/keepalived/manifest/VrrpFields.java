package io.lvsoperator.keepalived.manifest;

import io.lvsoperator.keepalived.conf.Diagnostic;
import io.lvsoperator.keepalived.conf.Location;
import io.lvsoperator.keepalived.conf.Statement;
import io.lvsoperator.keepalived.model.DirectorConfig;
import io.lvsoperator.keepalived.model.GlobalDefs;
import io.lvsoperator.keepalived.model.Setting;
import io.lvsoperator.keepalived.model.SyncDaemon;
import io.lvsoperator.keepalived.model.SyncGroupConf;
import io.lvsoperator.keepalived.model.Vip;
import io.lvsoperator.keepalived.model.VrrpInstanceConf;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code vrrp} fields one director's vrrp_instance gives (VirtualServer.spec.vrrp or
 * VrrpInstance.spec.vrrp), and internal fields ({@code _vips}, {@code _auth...}) that directors
 * must agree on but that are written elsewhere. Per-node settings (state, priority, unicast source
 * and peers) are not here: {@link ManifestMapper} merges them.
 */
final class VrrpFields {
  /**
   * The passwords the agent accepts: the API's {@code Patterns.VRRP_AUTH_PASS} (this module does
   * not depend on the API at run time; {@code VrrpFieldsTest} checks the two agree).
   */
  static final String AUTH_PASS_REGEX = "^[!-~]{1,8}$";

  private static final Pattern VRRP_AUTH_PASS = Pattern.compile(AUTH_PASS_REGEX);

  /** Fields the directors' VRRP routers must agree on, or they do not form one router. */
  static final Set<String> MUST_MATCH =
      Set.of(
          "vrrp.virtualRouterId",
          "vrrp.version",
          "vrrp.advertIntervalMs",
          "vrrp._authType",
          "vrrp._authPass",
          "_vips",
          "_excludedVips");

  private final List<Diagnostic> diagnostics;

  VrrpFields(List<Diagnostic> diagnostics) {
    this.diagnostics = diagnostics;
  }

  Fields of(DirectorConfig director, VrrpInstanceConf conf) {
    GlobalDefs g = director.globals();
    Fields f = new Fields();
    f.section("vrrp", "vrrp_instance " + conf.name() + " (" + conf.header().at() + ")");
    if (conf.interfaceName() != null) {
      f.put(
          "vrrp.interface",
          conf.interfaceName().value(),
          Source.of(conf.interfaceName()),
          at(conf.interfaceName()));
    } else {
      unsupported(
          conf.header(),
          "has no interface: keepalived then sends unicast adverts by routing; lvs-operator needs"
              + " the interface (add `interface IF`)");
    }
    if (conf.virtualRouterId() != null) {
      f.put(
          "vrrp.virtualRouterId",
          conf.virtualRouterId().value(),
          Source.of(conf.virtualRouterId()),
          at(conf.virtualRouterId()));
    } else if (!writes(conf.header(), "virtual_router_id")) { // a bad value is reported already
      diagnostics.add(
          Diagnostic.error(
              conf.header().at(),
              "vrrp_instance",
              conf.name() + " has no virtual_router_id (keepalived 2.2.7 rejects it too)"));
    }
    int version = version(f, conf, g);
    advert(f, conf, version);
    auth(f, conf, g, version);
    preempt(f, conf);
    if (conf.accept() != null && !conf.accept().value()) {
      unsupported(
          conf.accept().at(),
          "the agent always accepts the VIPs' traffic (IPVS needs it) and installs no drop rule");
    }
    if (!conf.trackInterfaces().isEmpty()) {
      List<String> names = conf.trackInterfaces().stream().map(Setting::value).toList();
      Statement first = conf.trackInterfaces().getFirst().at();
      f.put("vrrp.trackInterfaces", names, "track_interface (" + first.at() + ")", first.at());
    }
    garp(f, conf, g);
    syncGroup(f, director, conf);
    notify(f, conf);
    connectionSync(f, director, conf);
    vips(f, conf);
    return f;
  }

  private int version(Fields f, VrrpInstanceConf conf, GlobalDefs g) {
    if (conf.version() != null) {
      f.put("vrrp.version", conf.version().value(), Source.of(conf.version()), at(conf.version()));
      return conf.version().value();
    }
    if (g.vrrpVersion() != null) {
      f.put(
          "vrrp.version", g.vrrpVersion().value(), Source.of(g.vrrpVersion()), at(g.vrrpVersion()));
      return g.vrrpVersion().value();
    }
    f.put(
        "vrrp.version",
        2,
        conf.authType() != null
            ? "(keepalived speaks VRRPv2 by default; PASS auth exists only in v2)"
            : Source.byDefault("vrrp_version 2"),
        null);
    return 2;
  }

  private void advert(Fields f, VrrpInstanceConf conf, int version) {
    Setting<BigDecimal> s = conf.advertInt();
    BigDecimal seconds = s == null ? BigDecimal.ONE : s.value();
    int ms;
    if (version == 2) {
      BigDecimal whole = seconds.setScale(0, RoundingMode.HALF_UP).max(BigDecimal.ONE);
      if (whole.compareTo(seconds) != 0) {
        note(
            s.at(),
            "VRRPv2 counts whole seconds: keepalived 2.2.7 rounds "
                + seconds.toPlainString()
                + " to "
                + whole.toPlainString()
                + ", and so does the import");
      }
      ms = whole.intValueExact() * 1000;
    } else {
      BigDecimal cs = seconds.movePointRight(2).setScale(0, RoundingMode.HALF_UP);
      if (cs.movePointLeft(2).compareTo(seconds) != 0) {
        note(
            s.at(),
            "VRRPv3 counts centiseconds: rounded to " + cs.movePointLeft(2).toPlainString() + "s");
      }
      ms = Math.max(10, cs.intValueExact() * 10);
      if (ms > 40950) {
        unsupported(s.at(), "VRRPv3 adverts are at most 40.95 s apart");
        ms = 40950;
      }
    }
    f.put(
        "vrrp.advertIntervalMs",
        ms,
        s == null ? Source.byDefault("advert_int 1") : Source.of(s),
        at(s));
  }

  private void auth(Fields f, VrrpInstanceConf conf, GlobalDefs g, int version) {
    if (conf.authType() == null && conf.authPass() == null) {
      return;
    }
    Statement where = conf.authType() != null ? conf.authType().at() : conf.authPass().at();
    if (conf.authType() == null || conf.authPass() == null) {
      diagnostics.add(
          Diagnostic.error(where.at(), "authentication", "needs both auth_type and auth_pass"));
      return;
    }
    if (conf.authType().value().equals("AH")) {
      unsupported(conf.authType().at(), "IPsec AH authentication: the agent supports PASS only");
      return;
    }
    if (version == 3) {
      note(
          conf.authType().at(),
          "not imported: VRRPv3 has no authentication, keepalived ignores it with version 3 too");
      return;
    }
    String pass = conf.authPass().value();
    // The compiler's rule (1 to 8 printable ASCII characters, docs/vrrp.md). keepalived sends the
    // first 8 bytes: when those are printable ASCII, they are the password.
    if (pass.length() > 8 && VRRP_AUTH_PASS.matcher(pass.substring(0, 8)).matches()) {
      pass = pass.substring(0, 8);
      note(
          conf.authPass().at(),
          "written as its first 8 characters, all that keepalived sends on the wire");
    } else if (!VRRP_AUTH_PASS.matcher(pass).matches()) {
      diagnostics.add(
          Diagnostic.error(
              conf.authPass().at().at(),
              "auth_pass",
              "is not 1 to 8 printable ASCII characters, which the agent requires (docs/vrrp.md)"));
      return;
    }
    boolean strict =
        (g.vrrpStrict() != null && (conf.strictMode() == null || conf.strictMode().value()))
            || (conf.strictMode() != null && conf.strictMode().value());
    if (strict) {
      note(
          conf.authType().at(),
          "imported as written, although with strict mode keepalived 2.2.7 ignores it (\"Strict"
              + " mode does not support authentication\"): in a mixed run beside that"
              + " keepalived, drop vrrp_strict there first");
    }
    f.put("vrrp._authType", "PASS", null, conf.authType().location());
    f.put("vrrp._authPass", pass, null, conf.authPass().location());
    f.put(
        "vrrp.authPassSecretRef.name",
        ManifestMapper.SECRET_NAME,
        "authentication { auth_type PASS (" + conf.authType().at().at() + ")",
        conf.authType().location());
    f.put(
        "vrrp.authPassSecretRef.key",
        "password",
        "auth_pass in Secret "
            + ManifestMapper.SECRET_NAME
            + " ("
            + conf.authPass().at().at()
            + ")",
        conf.authPass().location());
  }

  private void preempt(Fields f, VrrpInstanceConf conf) {
    if (conf.nopreempt() != null && conf.nopreempt().value()) {
      f.put("vrrp.preempt", false, Source.of(conf.nopreempt()), at(conf.nopreempt()));
    } else {
      f.put(
          "vrrp.preempt",
          true,
          conf.nopreempt() == null
              ? "(preemption is keepalived's default too)"
              : Source.of(conf.nopreempt()),
          at(conf.nopreempt()));
    }
    if (conf.preemptDelay() != null && conf.nopreempt() != null && conf.nopreempt().value()) {
      note(
          conf.preemptDelay().at(),
          "not imported: keepalived 2.2.7 ignores preempt_delay with nopreempt (\"preempt_delay is"
              + " incompatible with nopreempt mode - resetting\")");
    } else if (conf.preemptDelay() != null) {
      f.put(
          "vrrp.preemptDelay",
          duration(conf.preemptDelay()),
          Source.of(conf.preemptDelay()),
          at(conf.preemptDelay()));
    }
  }

  private void garp(Fields f, VrrpInstanceConf conf, GlobalDefs g) {
    Setting<Integer> repeat =
        conf.garpMasterRepeat() != null ? conf.garpMasterRepeat() : g.garpMasterRepeat();
    if (repeat == null && g.minGarp() != null && g.minGarp().value()) {
      f.put("vrrp.garpRepeat", 1, Source.of(g.minGarp()), at(g.minGarp()));
    } else if (repeat != null) {
      int n = repeat.value();
      if (n > 100) {
        unsupported(repeat.at(), "the agent sends at most 100 gratuitous ARPs in a burst");
        n = 100;
      }
      f.put("vrrp.garpRepeat", n, Source.of(repeat), at(repeat));
    }
    Setting<BigDecimal> delay =
        conf.garpMasterDelay() != null ? conf.garpMasterDelay() : g.garpMasterDelay();
    if (delay != null && delay.value().signum() > 0) {
      unsupported(
          delay.at(),
          "a second burst of gratuitous ARPs after becoming master: the agent sends one burst"
              + " (vrrp.garpRepeat) and refreshes with vrrp.garpRefresh");
    }
    Setting<BigDecimal> interval = g.garpInterval();
    if (interval != null) {
      if (interval.value().signum() == 0) {
        note(
            interval.at(),
            "not imported: 0 is no pause between gratuitous ARPs (keepalived 2.2.7 reports 0 as"
                + " out of range and keeps its default, also 0); the agent keeps its default of"
                + " 100ms between them");
      } else {
        f.put("vrrp.garpInterval", duration(interval), Source.of(interval), at(interval));
      }
    }
    Setting<Integer> refresh =
        conf.garpMasterRefresh() != null ? conf.garpMasterRefresh() : g.garpMasterRefresh();
    if (refresh != null && refresh.value() > 0) {
      if (refresh.value() > 3600) {
        unsupported(refresh.at(), "the agent refreshes gratuitous ARPs at least hourly (1s-1h)");
      }
      f.put(
          "vrrp.garpRefresh",
          Math.min(refresh.value(), 3600) + "s",
          Source.of(refresh),
          at(refresh));
    }
    Setting<Integer> refreshRepeat =
        conf.garpMasterRefreshRepeat() != null
            ? conf.garpMasterRefreshRepeat()
            : g.garpMasterRefreshRepeat();
    if (refreshRepeat != null && refreshRepeat.value() != 1) {
      unsupported(refreshRepeat.at(), "the agent sends one gratuitous ARP per VIP on each refresh");
    }
  }

  private void syncGroup(Fields f, DirectorConfig director, VrrpInstanceConf conf) {
    for (SyncGroupConf group : director.syncGroups()) {
      for (Setting<String> member : group.members()) {
        if (member.value().equals(conf.name())) {
          f.put(
              "vrrp.syncGroup",
              Source.name(group.name()),
              "vrrp_sync_group " + group.name() + " (" + member.at().at() + ")",
              member.location());
          return;
        }
      }
    }
  }

  private static final Map<String, String> NOTIFY =
      Map.of(
          "notify_master", "master",
          "notify_backup", "backup",
          "notify_fault", "fault",
          "notify_stop", "stop",
          "notify", "any");

  private void notify(Fields f, VrrpInstanceConf conf) {
    for (String keyword :
        List.of("notify_master", "notify_backup", "notify_fault", "notify_stop", "notify")) {
      var s = conf.notifyScripts().get(keyword);
      if (s != null) {
        f.put("vrrp.notify." + NOTIFY.get(keyword), s.value().command(), Source.of(s), at(s));
      }
    }
  }

  /**
   * lvs_sync_daemon following this instance (global_defs {@code lvs_sync_daemon IF INSTANCE}, or
   * the older {@code lvs_sync_daemon_interface} inside the instance).
   */
  private void connectionSync(Fields f, DirectorConfig director, VrrpInstanceConf conf) {
    SyncDaemon d = conf.syncDaemon();
    SyncDaemon global = director.globals().syncDaemon();
    if (d == null && global != null && conf.name().equals(global.instance())) {
      d = global;
    }
    if (d == null) {
      return;
    }
    Location at = d.at().at();
    f.put("vrrp.connectionSync.interface", d.interfaceName(), Source.of(d.at()), at);
    if (d.syncId() != null) {
      f.put("vrrp.connectionSync.syncId", d.syncId(), "id " + d.syncId(), at);
    } else if (conf.virtualRouterId() != null) {
      f.put(
          "vrrp.connectionSync.syncId",
          conf.virtualRouterId().value(),
          "(keepalived's default: the instance's virtual_router_id)",
          at);
    }
    f.put("vrrp.connectionSync.maxLength", d.maxLength(), "maxlen", at);
    f.put("vrrp.connectionSync.port", d.port(), "port", at);
    f.put("vrrp.connectionSync.ttl", d.ttl(), "ttl", at);
    f.put("vrrp.connectionSync.group", d.group(), "group", at);
  }

  /** The address lists, as internal fields: they must match, and are written by the mapper. */
  private void vips(Fields f, VrrpInstanceConf conf) {
    Location vipsAt = conf.vips().isEmpty() ? conf.header().at() : conf.vips().getFirst().at().at();
    Location excludedAt =
        conf.excludedVips().isEmpty() ? vipsAt : conf.excludedVips().getFirst().at().at();
    f.put("_vips", addresses(conf.vips()), null, vipsAt);
    f.put("_excludedVips", addresses(conf.excludedVips()), null, excludedAt);
    f.put("_vipDetails", details(conf.vips(), conf), null, vipsAt);
    f.put("_excludedVipDetails", details(conf.excludedVips(), conf), null, excludedAt);
  }

  /** Whether the block has a line with this keyword (whatever its value). */
  static boolean writes(Statement block, String keyword) {
    return block.children().stream().anyMatch(s -> s.keyword().equals(keyword));
  }

  private static List<String> addresses(List<Vip> vips) {
    return vips.stream().map(Vip::address).toList();
  }

  private static List<Map<String, Object>> details(List<Vip> vips, VrrpInstanceConf conf) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Vip v : vips) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("address", v.address());
      m.put("prefixLength", v.prefixLength() == null ? 32 : v.prefixLength());
      if (v.label() != null) {
        m.put("label", v.label());
      }
      String iface = conf.interfaceName() == null ? null : conf.interfaceName().value();
      if (v.device() != null && !v.device().equals(iface)) {
        m.put("interface", v.device());
      }
      out.add(m);
    }
    return out;
  }

  private String duration(Setting<BigDecimal> s) {
    String d = Source.duration(s.value());
    if (d == null) {
      note(s.at(), "finer than a millisecond: rounded up to whole milliseconds");
      d = Source.durationRoundedUp(s.value());
    }
    return d;
  }

  private static Location at(Setting<?> s) {
    return Source.at(s);
  }

  private void note(Statement s, String message) {
    diagnostics.add(Diagnostic.note(s.at(), s.keyword(), message));
  }

  private void unsupported(Statement s, String message) {
    diagnostics.add(Diagnostic.unsupported(s.at(), s.keyword(), message));
  }
}
