package io.lvsoperator.keepalived.model;

import io.lvsoperator.keepalived.conf.Diagnostic;
import io.lvsoperator.keepalived.conf.Severity;
import io.lvsoperator.keepalived.conf.Statement;
import io.lvsoperator.keepalived.model.Keywords.Block;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns one director's statements into a {@link DirectorConfig}: the keywords the import maps
 * become settings that remember their line; the others are reported with the reason from {@link
 * Keywords}, and a keyword keepalived does not know either is an error, as is a value keepalived
 * would reject.
 */
public final class ConfigInterpreter {
  private static final BigDecimal ZERO = BigDecimal.ZERO;
  private static final BigDecimal MAX_TIMER = new BigDecimal("4294.967295");
  private static final Set<String> SCHEDULERS =
      Set.of(
          "rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "mh", "sed", "nq", "fo", "ovf",
          "twos");

  private final List<Diagnostic> diagnostics = new ArrayList<>();
  private final Values values = new Values(diagnostics);

  private ConfigInterpreter() {}

  /**
   * Reads the statements of one director's configuration.
   *
   * @param node the node that runs it
   * @param file the main file as named on the command line
   */
  public static DirectorConfig interpret(String node, String file, List<Statement> statements) {
    return new ConfigInterpreter().top(node, file, statements);
  }

  private DirectorConfig top(String node, String file, List<Statement> statements) {
    GlobalDefs globals = GlobalDefs.none();
    List<VrrpInstanceConf> instances = new ArrayList<>();
    List<SyncGroupConf> syncGroups = new ArrayList<>();
    List<VsGroupConf> groups = new ArrayList<>();
    List<VirtualServerConf> virtualServers = new ArrayList<>();
    for (Statement s : statements) {
      switch (s.keyword()) {
        case "global_defs" -> {
          if (requireBlock(s)) {
            globals = globalDefs(s);
          }
        }
        case "vrrp_instance" -> {
          if (requireBlock(s) && requireName(s)) {
            instances.add(instance(s));
          }
        }
        case "vrrp_sync_group" -> {
          if (requireBlock(s) && requireName(s)) {
            syncGroups.add(syncGroup(s));
          }
        }
        case "virtual_server_group" -> {
          if (requireBlock(s) && requireName(s)) {
            groups.add(virtualServerGroup(s));
          }
        }
        case "virtual_server" -> {
          if (requireBlock(s)) {
            VirtualServerConf vs = virtualServer(s);
            if (vs != null) {
              virtualServers.add(vs);
            }
          }
        }
        default -> other(Block.TOP, s);
      }
    }
    return new DirectorConfig(
        node, file, globals, instances, syncGroups, groups, virtualServers, diagnostics);
  }

  // ---- global_defs ----

  private GlobalDefs globalDefs(Statement block) {
    Setting<String> routerId = null;
    Setting<Integer> vrrpVersion = null;
    Setting<Boolean> strict = null;
    Setting<Integer> garpRepeat = null;
    Setting<BigDecimal> garpDelay = null;
    Setting<Integer> garpRefresh = null;
    Setting<Integer> garpRefreshRepeat = null;
    Setting<BigDecimal> garpInterval = null;
    Setting<Boolean> minGarp = null;
    Setting<String> mcastGroup4 = null;
    SyncDaemon syncDaemon = null;
    for (Statement s : block.children()) {
      switch (s.keyword()) {
        case "router_id" -> routerId = setting(values.word(s, 0), s);
        case "vrrp_version" -> vrrpVersion = setting(values.integer(s, 0, 2, 3), s);
        case "vrrp_strict" -> {
          strict = setting(true, s);
          values.note(
              s,
              "not imported: lvs-operator follows the RFCs without keepalived's strict mode and"
                  + " installs no firewall rules; keepalived's strict mode also drops the VIPs'"
                  + " traffic (no_accept) and authentication, the import keeps both as written");
        }
        case "vrrp_garp_master_repeat" ->
            garpRepeat = setting(values.integer(s, 0, 0, Integer.MAX_VALUE), s);
        case "vrrp_garp_master_delay" ->
            garpDelay = setting(values.seconds(s, 0, ZERO, MAX_TIMER), s);
        case "vrrp_garp_master_refresh" ->
            garpRefresh = setting(values.integer(s, 0, 0, Integer.MAX_VALUE), s);
        case "vrrp_garp_master_refresh_repeat" ->
            garpRefreshRepeat = setting(values.integer(s, 0, 0, Integer.MAX_VALUE), s);
        case "vrrp_garp_interval" -> garpInterval = zeroTolerantTimer(s);
        case "vrrp_min_garp" -> minGarp = setting(values.bool(s, 0), s);
        case "vrrp_mcast_group4" -> mcastGroup4 = setting(values.ipv4(s, values.word(s, 0)), s);
        case "vrrp_down_timer_adverts" -> downTimerAdverts(s);
        case "lvs_sync_daemon" -> syncDaemon = syncDaemon(s, 0, null);
        default -> other(Block.GLOBAL_DEFS, s);
      }
    }
    return new GlobalDefs(
        routerId,
        vrrpVersion,
        strict,
        garpRepeat,
        garpDelay,
        garpRefresh,
        garpRefreshRepeat,
        garpInterval,
        minGarp,
        mcastGroup4,
        syncDaemon);
  }

  /**
   * vrrp_garp_interval 0: keepalived 2.2.7 calls 0 out of range and ignores the line, which leaves
   * its default, 0. Both readings say "no delay", so the import reads 0 and notes the complaint.
   */
  private Setting<BigDecimal> zeroTolerantTimer(Statement s) {
    String w = values.word(s, 0);
    if (w != null && w.matches("0+(\\.0*)?")) {
      return setting(ZERO, s); // reported by the mapping, which does not import it
    }
    return setting(values.seconds(s, 0, new BigDecimal("0.000001"), MAX_TIMER), s);
  }

  private void downTimerAdverts(Statement s) {
    Integer n = values.integer(s, 0, 1, 100);
    if (n != null && n != 3) {
      values.unsupported(s, "the agent declares the master down after 3 adverts, as the RFCs say");
    }
  }

  /** {@code lvs_sync_daemon IF [[inst] NAME] [id N] [maxlen N] [port N] [ttl N] [group IP]}. */
  private SyncDaemon syncDaemon(Statement s, int first, String instance) {
    String ifName = values.word(s, first);
    if (ifName == null) {
      return null;
    }
    Integer id = null;
    Integer maxlen = null;
    Integer port = null;
    Integer ttl = null;
    String group = null;
    String inst = instance;
    for (int i = first + 1; i < s.args().size(); i++) {
      String w = s.args().get(i);
      switch (w) {
        case "inst" -> inst = values.word(s, ++i);
        case "id" -> id = values.integer(s, ++i, 0, 255);
        case "maxlen" -> maxlen = values.integer(s, ++i, 1, 65507);
        case "port" -> port = values.integer(s, ++i, 1, 65535);
        case "ttl" -> ttl = values.integer(s, ++i, 1, 255);
        case "group" -> group = values.ipv4(s, values.word(s, ++i));
        default -> {
          if (inst == null && i == first + 1) {
            inst = w;
          } else {
            values.error(s, w + " is not an option of lvs_sync_daemon");
          }
        }
      }
    }
    return new SyncDaemon(ifName, inst, id, maxlen, port, ttl, group, s);
  }

  // ---- vrrp_instance ----

  private VrrpInstanceConf instance(Statement block) {
    Setting<String> state = null;
    Setting<String> iface = null;
    Setting<Integer> vrid = null;
    Setting<Integer> priority = null;
    Setting<BigDecimal> advert = null;
    Setting<Integer> version = null;
    Setting<String> authType = null;
    Setting<String> authPass = null;
    List<Vip> vips = new ArrayList<>();
    List<Vip> excluded = new ArrayList<>();
    Setting<String> srcIp = null;
    List<Setting<String>> peers = new ArrayList<>();
    List<Setting<String>> track = new ArrayList<>();
    Setting<Boolean> nopreempt = null;
    Setting<BigDecimal> preemptDelay = null;
    Setting<Boolean> accept = null;
    Setting<Integer> garpRepeat = null;
    Setting<BigDecimal> garpDelay = null;
    Setting<Integer> garpRefresh = null;
    Setting<Integer> garpRefreshRepeat = null;
    Setting<Boolean> strictMode = null;
    Map<String, Setting<Script>> notify = new LinkedHashMap<>();
    SyncDaemon syncDaemon = null;
    for (Statement s : block.children()) {
      if (isValueBlock(s.keyword()) && !requireBlock(s)) {
        continue;
      }
      switch (s.keyword()) {
        case "state" -> {
          String w = values.word(s, 0);
          if (w != null && (w.equals("MASTER") || w.equals("BACKUP"))) {
            state = setting(w, s);
          } else if (w != null) {
            values.error(s, w + " is neither MASTER nor BACKUP (keepalived 2.2.7 rejects it too)");
          }
        }
        case "interface" -> iface = setting(values.word(s, 0), s);
        case "virtual_router_id" -> vrid = setting(values.integer(s, 0, 1, 255), s);
        case "priority" -> priority = setting(values.integer(s, 0, 1, 255), s);
        case "advert_int" ->
            advert = setting(values.seconds(s, 0, new BigDecimal("0.01"), new BigDecimal(255)), s);
        case "version" -> version = setting(values.integer(s, 0, 2, 3), s);
        case "authentication" -> {
          for (Statement a : s.children()) {
            switch (a.keyword()) {
              case "auth_type" -> {
                String w = values.word(a, 0);
                if ("PASS".equals(w) || "AH".equals(w)) {
                  authType = setting(w, a);
                } else if (w != null) {
                  values.error(a, w + " is neither PASS nor AH (keepalived 2.2.7 rejects it too)");
                }
              }
              case "auth_pass" -> authPass = setting(values.word(a, 0), a);
              default -> unknown(a);
            }
          }
        }
        case "virtual_ipaddress" -> s.children().forEach(v -> addVip(v, vips));
        case "virtual_ipaddress_excluded" -> s.children().forEach(v -> addVip(v, excluded));
        case "unicast_src_ip" -> srcIp = setting(values.ipv4(s, values.word(s, 0)), s);
        case "unicast_peer" -> {
          for (Statement p : s.children()) {
            String address = values.ipv4(p, p.keyword());
            if (address != null) {
              peers.add(setting(address, p));
            }
            if (!p.args().isEmpty()) {
              values.unsupported(
                  p, "min_ttl and max_ttl: the agent does not check the TTL of unicast adverts");
            }
          }
        }
        case "track_interface" -> {
          for (Statement t : s.children()) {
            track.add(setting(t.keyword(), t));
            if (!t.args().isEmpty()) {
              values.unsupported(
                  t,
                  "weights on tracked interfaces: a tracked interface going down puts the"
                      + " instance in FAULT");
            }
          }
        }
        case "nopreempt" -> nopreempt = setting(true, s);
        case "preempt" -> nopreempt = setting(false, s);
        case "preempt_delay" ->
            preemptDelay = setting(values.seconds(s, 0, ZERO, new BigDecimal(1000)), s);
        case "accept" -> accept = setting(true, s);
        case "no_accept" -> accept = setting(false, s);
        case "garp_master_repeat" -> garpRepeat = setting(values.integer(s, 0, 0, 255), s);
        case "garp_master_delay" -> garpDelay = setting(values.seconds(s, 0, ZERO, MAX_TIMER), s);
        case "garp_master_refresh" -> garpRefresh = setting(values.integer(s, 0, 0, 86400), s);
        case "garp_master_refresh_repeat" ->
            garpRefreshRepeat = setting(values.integer(s, 0, 0, 255), s);
        case "strict_mode" -> strictMode = setting(values.bool(s, 0), s);
        case "notify_master", "notify_backup", "notify_fault", "notify_stop", "notify" -> {
          Script script = script(s);
          if (script != null) {
            notify.put(s.keyword(), setting(script, s));
          }
        }
        case "lvs_sync_daemon_interface" -> {
          values.note(s, "deprecated in keepalived 2; read as lvs_sync_daemon in global_defs");
          syncDaemon = syncDaemon(s, 0, block.arg(0));
        }
        default -> other(Block.VRRP_INSTANCE, s);
      }
    }
    return new VrrpInstanceConf(
        block,
        state,
        iface,
        vrid,
        priority,
        advert,
        version,
        authType,
        authPass,
        vips,
        excluded,
        srcIp,
        peers,
        track,
        nopreempt,
        preemptDelay,
        accept,
        garpRepeat,
        garpDelay,
        garpRefresh,
        garpRefreshRepeat,
        strictMode,
        notify,
        syncDaemon);
  }

  private static boolean isValueBlock(String keyword) {
    return switch (keyword) {
      case "authentication",
          "virtual_ipaddress",
          "virtual_ipaddress_excluded",
          "unicast_peer",
          "track_interface" ->
          true;
      default -> false;
    };
  }

  /** {@code ADDRESS[/N] [dev IF] [label L] [brd B] [scope S] ...}. */
  private void addVip(Statement v, List<Vip> into) {
    String text = v.keyword();
    Integer prefix = null;
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(text.substring(slash + 1));
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > 32) {
        values.error(v, text + ": /" + text.substring(slash + 1) + " is not a prefix length 0-32");
        return;
      }
    }
    if (values.ipv4(v, address) == null) {
      return;
    }
    String dev = null;
    String label = null;
    List<String> args = v.args();
    for (int i = 0; i < args.size(); i++) {
      String option = args.get(i);
      switch (option) {
        case "dev" -> dev = i + 1 < args.size() ? args.get(++i) : missing(v, option);
        case "label" -> label = i + 1 < args.size() ? args.get(++i) : missing(v, option);
        case "brd" -> {
          String brd = i + 1 < args.size() ? args.get(++i) : missing(v, option);
          values.note(v, "brd " + brd + ": the agent adds the address without a broadcast address");
        }
        case "scope" -> {
          String scope = i + 1 < args.size() ? args.get(++i) : missing(v, option);
          if (!"global".equals(scope)) {
            values.unsupported(
                v, "scope " + scope + ": the agent adds addresses with scope global");
          }
        }
        case "no_track" ->
            values.unsupported(
                v, "no_track: the agent re-adds a VIP deleted under it and faults when it cannot");
        case "noprefixroute", "home", "-nodad", "nodad", "mngtmpaddr", "autojoin" ->
            values.unsupported(v, option + ": the agent sets no address flags");
        case "peer", "preferred_lft", "use_vmac", "track_group" -> {
          if (!option.equals("use_vmac")) {
            i++;
          }
          values.unsupported(v, option + ": " + NO_SETTING_TEXT);
        }
        default -> values.error(v, option + " is not an option of a virtual IP address");
      }
    }
    into.add(new Vip(address, prefix, dev, label, v));
  }

  private static final String NO_SETTING_TEXT = "lvs-operator has no setting for this";

  private String missing(Statement s, String option) {
    values.error(s, option + " needs a value");
    return null;
  }

  /** {@code notify_master "/path/script arg" [user [group]]}. */
  private Script script(Statement s) {
    String command = values.word(s, 0);
    if (command == null) {
      return null;
    }
    String user = s.arg(1);
    if (user != null) {
      values.unsupported(
          s, "running the script as " + user + ": the agent runs scripts as its own user");
    }
    return new Script(command, user);
  }

  // ---- vrrp_sync_group ----

  private SyncGroupConf syncGroup(Statement block) {
    List<Setting<String>> members = new ArrayList<>();
    for (Statement s : block.children()) {
      if (s.keyword().equals("group")) {
        if (requireBlock(s)) {
          for (Statement m : s.children()) {
            members.add(setting(m.keyword(), m));
          }
        }
      } else {
        other(Block.VRRP_SYNC_GROUP, s);
      }
    }
    return new SyncGroupConf(block, members);
  }

  // ---- virtual_server_group ----

  private VsGroupConf virtualServerGroup(Statement block) {
    List<VsGroupConf.Entry> entries = new ArrayList<>();
    for (Statement s : block.children()) {
      if (s.keyword().equals("fwmark")) {
        Long mark = values.number(s, 0, 1, 4294967295L);
        if (s.args().size() > 1 && !"inet".equals(s.arg(1))) {
          values.unsupported(s, s.arg(1) + ": the import reads IPv4 only");
        }
        if (mark != null) {
          entries.add(new VsGroupConf.Entry(null, null, null, mark, s));
        }
        continue;
      }
      VsGroupConf.Entry entry = groupEntry(s);
      if (entry != null) {
        entries.add(entry);
      }
    }
    return new VsGroupConf(block, entries);
  }

  /** {@code a.b.c.d[-e] [PORT]}, {@code a.b.c.d-a.b.c.e}, {@code a.b.c.d/nn}. */
  private VsGroupConf.Entry groupEntry(Statement s) {
    String text = s.keyword();
    Integer port = s.arg(0) == null ? null : values.port(s, s.arg(0));
    if (s.arg(0) != null && port == null) {
      return null;
    }
    if (s.args().size() > 1) {
      values.error(s, "a virtual_server_group line is ADDRESS [PORT]");
      return null;
    }
    String address;
    Integer last = null;
    int dash = text.indexOf('-');
    int slash = text.indexOf('/');
    if (dash >= 0) {
      address = text.substring(0, dash);
      String end = text.substring(dash + 1);
      if (Values.isIpv4(end)) {
        if (!Values.isIpv4(address)
            || !address
                .substring(0, address.lastIndexOf('.'))
                .equals(end.substring(0, end.lastIndexOf('.')))) {
          values.unsupported(
              s,
              text
                  + ": ranges across a /24 are not supported (additionalAddresses ranges"
                  + " vary the last octet)");
          return null;
        }
        end = end.substring(end.lastIndexOf('.') + 1);
      }
      try {
        last = Integer.parseInt(end);
      } catch (NumberFormatException e) {
        values.error(s, text + " is not an address range" + " (keepalived 2.2.7 rejects it too)");
        return null;
      }
    } else if (slash >= 0) {
      address = text.substring(0, slash);
      int bits;
      try {
        bits = Integer.parseInt(text.substring(slash + 1));
      } catch (NumberFormatException e) {
        bits = -1;
      }
      if (bits < 24 || bits > 32 || !Values.isIpv4(address)) {
        values.unsupported(
            s,
            text
                + ": only prefixes /24 to /32 are read (additionalAddresses ranges vary the"
                + " last octet)");
        return null;
      }
      int lastOctet = Integer.parseInt(address.substring(address.lastIndexOf('.') + 1));
      int size = 1 << (32 - bits);
      int first = lastOctet & ~(size - 1);
      address = address.substring(0, address.lastIndexOf('.') + 1) + first;
      last = size == 1 ? null : first + size - 1;
    } else {
      address = text;
    }
    if (values.ipv4(s, address) == null) {
      return null;
    }
    if (last != null) {
      int start = Integer.parseInt(address.substring(address.lastIndexOf('.') + 1));
      if (last > 255 || last <= start) {
        values.error(
            s,
            text
                + ": the range must end after it starts, at .255 at most"
                + " (keepalived 2.2.7 skips it)");
        return null;
      }
    }
    return new VsGroupConf.Entry(address, last, port, null, s);
  }

  // ---- virtual_server ----

  private VirtualServerConf virtualServer(Statement block) {
    String address = null;
    Integer port = null;
    Long fwmark = null;
    String group = null;
    String first = block.arg(0);
    if (first == null) {
      values.error(block, "names no address, fwmark or group");
      return null;
    }
    switch (first) {
      case "fwmark" -> {
        fwmark = values.number(block, 1, 1, 4294967295L);
        if (fwmark == null) {
          return null;
        }
      }
      case "group" -> {
        group = values.word(block, 1);
        if (group == null) {
          return null;
        }
      }
      default -> {
        address = values.ipv4(block, first);
        if (address == null) {
          return null;
        }
        if (block.arg(1) != null) {
          if (block.arg(1).equals("0")) {
            port = 0;
          } else {
            port = values.port(block, block.arg(1));
            if (port == null) {
              return null;
            }
          }
        }
      }
    }
    Setting<String> sched = null;
    Setting<String> method = null;
    Setting<String> protocol = null;
    Setting<Integer> persistence = null;
    Setting<String> granularity = null;
    Setting<Integer> quorum = null;
    Setting<Integer> hysteresis = null;
    Setting<VirtualServerConf.SorryServer> sorry = null;
    List<RealServerConf> realServers = new ArrayList<>();
    TimingReader timing = new TimingReader();
    for (Statement s : block.children()) {
      if (timing.read(s)) {
        continue;
      }
      switch (s.keyword()) {
        case "lvs_sched", "lb_algo" -> {
          String w = values.word(s, 0);
          if (w != null && SCHEDULERS.contains(w)) {
            sched = setting(w, s);
          } else if (w != null) {
            values.error(s, w + " is not an IPVS scheduler (keepalived 2.2.7 rejects it too)");
          }
        }
        case "lvs_method", "lb_kind" -> method = setting(method(s), s);
        case "protocol" -> {
          String w = values.word(s, 0);
          if (w != null && Set.of("TCP", "UDP", "SCTP").contains(w.toUpperCase(Locale.ROOT))) {
            protocol = setting(w.toUpperCase(Locale.ROOT), s);
          } else if (w != null) {
            values.error(s, w + " is none of TCP, UDP, SCTP (keepalived 2.2.7 rejects it too)");
          }
        }
        case "persistence_timeout" -> persistence = persistenceTimeout(s);
        case "persistence_granularity" -> {
          String w = values.word(s, 0);
          if (w != null && Values.isIpv4(w)) {
            granularity = setting(w, s);
          } else if (w != null) {
            values.unsupported(s, w + ": only IPv4 netmasks are read");
          }
        }
        case "quorum" -> quorum = setting(values.integer(s, 0, 1, Integer.MAX_VALUE), s);
        case "hysteresis" -> hysteresis = setting(values.integer(s, 0, 0, Integer.MAX_VALUE), s);
        case "sorry_server" -> {
          String a = values.ipv4(s, values.word(s, 0));
          Integer p = s.arg(1) == null ? null : values.port(s, s.arg(1));
          if (a != null) {
            sorry = setting(new VirtualServerConf.SorryServer(a, p), s);
          }
        }
        case "sorry_server_lvs_method" -> {
          String m = method(s);
          if (m != null) {
            values.unsupported(s, "the sorry server is forwarded like the service's real servers");
          }
        }
        case "ip_family" -> {
          String w = values.word(s, 0);
          if (w != null && !w.equals("inet")) {
            values.unsupported(s, w + ": the import reads IPv4 only");
          }
        }
        case "nat_mask" ->
            values.note(
                s,
                "a keepalived 1.x keyword: keepalived 2.2 reports it as unknown and ignores it;"
                    + " lvs-operator needs no mask for NAT or DR");
        case "real_server" -> {
          if (requireBlock(s)) {
            RealServerConf rs = realServer(s);
            if (rs != null) {
              realServers.add(rs);
            }
          }
        }
        default -> other(Block.VIRTUAL_SERVER, s);
      }
    }
    return new VirtualServerConf(
        block,
        address,
        port,
        fwmark,
        group,
        sched,
        method,
        protocol,
        persistence,
        granularity,
        quorum,
        hysteresis,
        sorry,
        timing.result(),
        realServers);
  }

  /**
   * persistence_timeout: without a value keepalived's 360 s. 0 is outside keepalived 2.2.7's range
   * (1..2678400); it reports the line and ignores it, leaving persistence off, which is what 0
   * says, so the import reads 0 and notes the complaint.
   */
  private Setting<Integer> persistenceTimeout(Statement s) {
    if (s.arg(0) == null) {
      return setting(360, s);
    }
    if (s.arg(0).equals("0")) {
      values.note(
          s,
          "keepalived 2.2.7 reports 0 as outside 1..2678400 and ignores the line, which leaves"
              + " persistence off, as 0 says");
      return setting(0, s);
    }
    return setting(values.integer(s, 0, 1, 2678400), s);
  }

  /** NAT, DR or TUN (ipip); other tunnel types are not supported. */
  private String method(Statement s) {
    String w = values.word(s, 0);
    if (w == null) {
      return null;
    }
    switch (w) {
      case "NAT", "DR" -> {
        return w;
      }
      case "TUN" -> {
        if (s.args().size() > 1 && !(s.args().size() == 3 && "ipip".equals(s.arg(2)))) {
          values.unsupported(
              s, "tunnel types other than ipip (gue, gre, checksum options) are not set");
        }
        return w;
      }
      default -> {
        values.error(s, w + " is none of NAT, DR, TUN (keepalived 2.2.7 rejects it too)");
        return null;
      }
    }
  }

  private RealServerConf realServer(Statement block) {
    String address = values.ipv4(block, values.word(block, 0));
    if (address == null) {
      return null;
    }
    Integer port = null;
    if (block.arg(1) != null && !block.arg(1).equals("0")) {
      port = values.port(block, block.arg(1));
      if (port == null) {
        return null;
      }
    }
    Setting<Integer> weight = null;
    Setting<String> method = null;
    List<CheckConf> checks = new ArrayList<>();
    List<Statement> otherChecks = new ArrayList<>();
    TimingReader timing = new TimingReader();
    for (Statement s : block.children()) {
      if (timing.read(s)) {
        continue;
      }
      if (s.keyword().endsWith("_CHECK") && !s.keyword().equals("TCP_CHECK")) {
        otherChecks.add(s);
      }
      switch (s.keyword()) {
        case "weight" -> weight = setting(values.integer(s, 0, 0, 65535), s);
        case "lvs_method" -> method = setting(method(s), s);
        case "HTTP_GET", "SSL_GET", "TCP_CHECK" -> {
          if (requireBlock(s)) {
            CheckConf check = check(s);
            if (check != null) {
              checks.add(check);
            }
          }
        }
        default -> other(Block.REAL_SERVER, s);
      }
    }
    return new RealServerConf(
        block, address, port, weight, method, timing.result(), checks, otherChecks);
  }

  private CheckConf check(Statement block) {
    boolean http = !block.keyword().equals("TCP_CHECK");
    Setting<Integer> connectPort = null;
    List<CheckConf.UrlConf> urls = new ArrayList<>();
    TimingReader timing = new TimingReader();
    for (Statement s : block.children()) {
      if (s.keyword().equals("inhibit_on_failure")) {
        unknown(s); // a virtual_server and real_server setting, not a checker's
        continue;
      }
      if (timing.read(s)) {
        continue;
      }
      switch (s.keyword()) {
        case "connect_port" -> connectPort = setting(values.port(s, values.word(s, 0)), s);
        case "connect_ip" ->
            values.unsupported(s, "the agent checks the real server's own address");
        case "nb_get_retry" -> {
          values.note(s, "deprecated name of retry (keepalived 2.2.7 says so too); read as retry");
          timing.retry = setting(values.integer(s, 0, 0, Integer.MAX_VALUE), s);
        }
        case "url" -> {
          if (!http) {
            unknown(s);
          } else if (requireBlock(s)) {
            urls.add(url(s));
          }
        }
        case "http_protocol", "fast_recovery", "enable_sni" -> {
          if (http) {
            other(Block.CHECKER, s);
          } else {
            unknown(s);
          }
        }
        default -> other(Block.CHECKER, s);
      }
    }
    if (http && urls.isEmpty()) {
      values.error(
          block,
          "has no url block; keepalived 2.2.7 ignores such a checker (\"no urls specified -"
              + " ignoring\"), so the real server would not be checked at all");
      return null;
    }
    return new CheckConf(block, connectPort, timing.result(), urls);
  }

  private CheckConf.UrlConf url(Statement block) {
    Setting<String> path = null;
    Setting<List<String>> codes = null;
    Setting<String> host = null;
    Setting<String> contains = null;
    for (Statement s : block.children()) {
      switch (s.keyword()) {
        case "path" -> {
          String p = values.word(s, 0);
          if (p != null && p.startsWith("/")) {
            path = setting(p, s);
          } else if (p != null) {
            values.unsupported(s, p + ": the agent requests paths that start with /");
          }
        }
        case "status_code" -> codes = setting(statusCodes(s), s);
        case "virtualhost" -> host = setting(values.word(s, 0), s);
        case "regex" -> {
          String r = values.word(s, 0);
          if (r != null && r.chars().noneMatch(c -> "\\^$.|?*+()[]{}".indexOf(c) >= 0)) {
            values.note(s, "a regex without special characters: read as a plain substring");
            contains = setting(r, s);
          } else if (r != null) {
            values.unsupported(
                s,
                "regular expressions: the agent checks for a plain substring"
                    + " (healthCheck.bodyContains)");
          }
        }
        default -> other(Block.URL, s);
      }
    }
    return new CheckConf.UrlConf(block, path, codes, host, contains);
  }

  private List<String> statusCodes(Statement s) {
    List<String> codes = new ArrayList<>();
    if (s.args().isEmpty()) {
      values.error(s, "a value is missing (keepalived stops reading the configuration here)");
      return null;
    }
    for (String w : s.args()) {
      if (!w.matches("[1-5][0-9][0-9](-[1-5][0-9][0-9])?")) {
        values.error(s, w + " is not a status code or a range of them (100-599)");
        return null;
      }
      codes.add(w);
    }
    return codes;
  }

  /** The checker settings a virtual_server, real_server and checker share. */
  private final class TimingReader {
    Setting<BigDecimal> delayLoop;
    Setting<BigDecimal> connectTimeout;
    Setting<Integer> retry;
    Setting<BigDecimal> delayBeforeRetry;
    Setting<Boolean> inhibit;
    Setting<String> virtualhost;

    boolean read(Statement s) {
      switch (s.keyword()) {
        case "delay_loop" ->
            delayLoop = setting(values.seconds(s, 0, new BigDecimal("0.000001"), MAX_TIMER), s);
        case "connect_timeout" ->
            connectTimeout =
                setting(values.seconds(s, 0, new BigDecimal("0.000001"), MAX_TIMER), s);
        case "retry" -> retry = setting(values.integer(s, 0, 0, Integer.MAX_VALUE), s);
        case "delay_before_retry" ->
            delayBeforeRetry = setting(values.seconds(s, 0, ZERO, MAX_TIMER), s);
        case "inhibit_on_failure" -> inhibit = setting(values.bool(s, 0), s);
        case "virtualhost" -> virtualhost = setting(values.word(s, 0), s);
        default -> {
          return false;
        }
      }
      return true;
    }

    CheckTiming result() {
      return new CheckTiming(
          delayLoop, connectTimeout, retry, delayBeforeRetry, inhibit, virtualhost);
    }
  }

  // ---- shared ----

  private void other(Block block, Statement s) {
    Keywords.Treatment t = Keywords.treatment(block, s.keyword());
    if (t == null) {
      unknown(s);
    } else if (t.severity() == Severity.NOTE) {
      values.note(s, "not imported: " + t.reason());
    } else {
      values.unsupported(s, "not supported: " + t.reason());
    }
  }

  private void unknown(Statement s) {
    values.error(s, "unknown keyword here (keepalived 2.2.7 reports \"Unknown keyword\" too)");
  }

  private boolean requireBlock(Statement s) {
    if (!s.hasBlock()) {
      values.error(s, "needs a { ... } block (keepalived 2.2.7 reports a missing '{' too)");
      return false;
    }
    return true;
  }

  private boolean requireName(Statement s) {
    if (s.arg(0) == null) {
      values.error(s, "needs a name");
      return false;
    }
    return true;
  }

  private static <T> Setting<T> setting(T value, Statement s) {
    return value == null ? null : new Setting<>(value, s);
  }
}
