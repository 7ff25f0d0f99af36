package io.lvsoperator.keepalived.manifest;

import io.lvsoperator.keepalived.conf.Diagnostic;
import io.lvsoperator.keepalived.conf.Location;
import io.lvsoperator.keepalived.conf.Severity;
import io.lvsoperator.keepalived.conf.Statement;
import io.lvsoperator.keepalived.model.DirectorConfig;
import io.lvsoperator.keepalived.model.Setting;
import io.lvsoperator.keepalived.model.SyncDaemon;
import io.lvsoperator.keepalived.model.SyncGroupConf;
import io.lvsoperator.keepalived.model.VirtualServerConf;
import io.lvsoperator.keepalived.model.VrrpInstanceConf;
import io.lvsoperator.keepalived.model.VsGroupConf;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns the configurations of a set of directors into the objects that say the same for all of
 * them: a vrrp_instance found on several directors (matched by name, or by interface and VRID) is
 * one instance whose directors are ordered by priority; a virtual_server found on every one of them
 * is one VirtualServer. An instance with a single address becomes the implicit form (the
 * VirtualServer carries {@code vrrp} and {@code directors}, like {@code examples/reference}); one
 * with several becomes a VrrpInstance that VirtualServers join. Passwords go into one Secret.
 * Settings the directors must share and do not are errors naming both lines.
 */
public final class ManifestMapper {
  static final String SECRET_NAME = "vrrp-auth";
  static final String API_VERSION = "lvsoperator.io/v1alpha1";

  /**
   * How the objects are named and what keepalived.conf cannot say.
   *
   * @param names object names by {@code VIP:PORT[/PROTOCOL]}, {@code fwmark:N}, {@code group:NAME}
   *     or vrrp_instance name
   * @param realServerNodes the node each real server address runs on (RealServer.spec.node: that
   *     node's agent prepares it for DR)
   * @param fwmarkVips the VIP that carries the traffic of each firewall mark
   */
  public record Options(
      String namespace,
      Map<String, String> names,
      Map<String, String> realServerNodes,
      Map<Long, String> fwmarkVips) {
    public Options {
      names = Map.copyOf(names);
      realServerNodes = Map.copyOf(realServerNodes);
      fwmarkVips = Map.copyOf(fwmarkVips);
    }

    public static Options defaults() {
      return new Options("default", Map.of(), Map.of(), Map.of());
    }
  }

  /** The objects, sorted by file name, and what the mapping found. */
  public record Result(List<ManifestObject> objects, List<Diagnostic> diagnostics) {
    public Result {
      objects = List.copyOf(objects);
      diagnostics = List.copyOf(diagnostics);
    }
  }

  /** One director's side of an instance (compared by identity: its contents are large). */
  private static final class Member {
    final DirectorConfig director;
    final VrrpInstanceConf conf;
    final Fields fields;

    Member(DirectorConfig director, VrrpInstanceConf conf, Fields fields) {
      this.director = director;
      this.conf = conf;
      this.fields = fields;
    }
  }

  /** One director's side of a service. */
  private record PerDirector(DirectorConfig director, ServiceFields.Service service) {}

  /** One VRRP instance across the directors. */
  private static final class Instance {
    final String name;
    final List<Member> members = new ArrayList<>();
    final List<Service> services = new ArrayList<>();
    Fields fields;
    String objectName;
    boolean implicit;

    Instance(String name) {
      this.name = name;
    }

    Member member(DirectorConfig d) {
      return members.stream().filter(m -> m.director == d).findFirst().orElse(null);
    }

    @SuppressWarnings("unchecked")
    List<String> vips() {
      return (List<String>) fields.value("_vips");
    }

    @SuppressWarnings("unchecked")
    List<String> excluded() {
      return (List<String>) fields.value("_excludedVips");
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> details(String path) {
      return (List<Map<String, Object>>) fields.value(path);
    }
  }

  /** One service across the directors. */
  private static final class Service {
    final String key;
    final List<PerDirector> byDirector = new ArrayList<>();
    ServiceFields.Service agreed;
    Instance instance;
    String vip;
    List<Map<String, Object>> additional = List.of();
    String objectName;

    Service(String key) {
      this.key = key;
    }

    Statement header() {
      return agreed.first().header();
    }
  }

  private final List<DirectorConfig> directors;
  private final Options options;
  private final List<Diagnostic> diagnostics = new ArrayList<>();
  private final Set<String> usedNames = new HashSet<>();

  private ManifestMapper(List<DirectorConfig> directors, Options options) {
    this.directors = directors;
    this.options = options;
  }

  public static Result map(List<DirectorConfig> directors, Options options) {
    return new ManifestMapper(directors, options).run();
  }

  private Result run() {
    List<Instance> instances = matchInstances();
    for (Instance i : instances) {
      agree(i);
    }
    syncGroupMembers();
    syncDaemons();
    List<Service> services = services();
    for (Service s : services) {
      associate(s, instances);
    }
    for (Instance i : instances) {
      i.implicit = isImplicit(i);
      i.objectName = unique(options.names.getOrDefault(i.name, Source.name(i.name)));
    }
    for (Service s : services) {
      s.objectName = unique(serviceName(s));
    }
    Map<Instance, String> secretKeys = secretKeys(instances);
    List<ManifestObject> objects = new ArrayList<>();
    for (Instance i : instances) {
      objects.addAll(instanceObjects(i, secretKeys.get(i)));
    }
    for (Service s : services) {
      if (s.instance != null) {
        objects.addAll(serviceObjects(s, secretKeys.get(s.instance)));
      }
    }
    ManifestObject secret = secret(instances, secretKeys);
    if (secret != null) {
      objects.add(secret);
    }
    objects.sort(Comparator.comparing(ManifestObject::fileName));
    return new Result(objects, diagnostics);
  }

  // ---- instances ----

  private List<Instance> matchInstances() {
    List<Instance> instances = new ArrayList<>();
    VrrpFields vrrp = new VrrpFields(diagnostics);
    for (DirectorConfig d : directors) {
      Map<String, VrrpInstanceConf> seenVrid = new HashMap<>();
      for (VrrpInstanceConf conf : d.instances()) {
        String vridKey = vridKey(conf);
        if (vridKey != null && seenVrid.containsKey(vridKey)) {
          error(
              conf.header(),
              "uses the VRID and interface of vrrp_instance "
                  + seenVrid.get(vridKey).name()
                  + " ("
                  + seenVrid.get(vridKey).header().at()
                  + "): two routers of one director cannot share them");
          continue;
        }
        if (vridKey != null) {
          seenVrid.put(vridKey, conf);
        }
        Instance match = null;
        for (Instance i : instances) {
          if (i.name.equals(conf.name())) {
            match = i;
            break;
          }
        }
        if (match != null && match.member(d) != null) {
          error(
              conf.header(),
              "a second vrrp_instance "
                  + conf.name()
                  + " in one configuration (the first is at "
                  + match.member(d).conf.header().at()
                  + ")");
          continue;
        }
        if (match == null && vridKey != null) {
          for (Instance i : instances) {
            Member first = i.members.getFirst();
            if (i.member(d) == null && vridKey.equals(vridKey(first.conf))) {
              match = i;
              diagnostics.add(
                  Diagnostic.note(
                      conf.header().at(),
                      "vrrp_instance",
                      conf.name()
                          + " is the same VRRP router (interface and virtual_router_id) as "
                          + i.name
                          + " on "
                          + first.director.node()
                          + " ("
                          + first.conf.header().at()
                          + "); imported as one instance named after the latter"));
              break;
            }
          }
        }
        if (match == null) {
          match = new Instance(conf.name());
          instances.add(match);
        }
        match.members.add(new Member(d, conf, vrrp.of(d, conf)));
      }
    }
    return instances;
  }

  private static String vridKey(VrrpInstanceConf conf) {
    if (conf.virtualRouterId() == null) {
      return null;
    }
    String iface = conf.interfaceName() == null ? "" : conf.interfaceName().value();
    return iface + "/" + conf.virtualRouterId().value();
  }

  /** The first director's fields, checked against every other director's. */
  private void agree(Instance i) {
    Member first = i.members.getFirst();
    i.fields = first.fields;
    for (Member other : i.members.subList(1, i.members.size())) {
      List<Fields.Difference> differences = first.fields.differences(other.fields);
      Set<String> paths = new HashSet<>();
      differences.forEach(d -> paths.add(d.path()));
      for (Fields.Difference d : differences) {
        String path = d.path();
        if (path.equals("_vipDetails") && paths.contains("_vips")
            || path.equals("_excludedVipDetails") && paths.contains("_excludedVips")) {
          continue; // the addresses differ: said once
        }
        Severity severity =
            VrrpFields.MUST_MATCH.contains(path) ? Severity.ERROR : Severity.UNSUPPORTED;
        String why =
            severity == Severity.ERROR
                ? "; the directors' VRRP routers must agree on it (keepalived's would not"
                    + " work together either)"
                : "; lvs-operator has one value per instance (the import keeps "
                    + first.director.node()
                    + "'s)";
        Location at = where(d, other.conf.header().at());
        diagnostics.add(
            new Diagnostic(
                severity,
                at,
                "vrrp_instance " + i.name,
                "differs between directors: "
                    + describe(d, first.director.node(), other.director.node())
                    + why));
      }
    }
    directorsAndPeers(i);
  }

  private void directorsAndPeers(Instance i) {
    record Ranked(Member member, int priority, boolean master, int order) {}
    List<Ranked> ranked = new ArrayList<>();
    for (int n = 0; n < i.members.size(); n++) {
      Member m = i.members.get(n);
      boolean master = m.conf.state() != null && m.conf.state().value().equals("MASTER");
      int priority = m.conf.priority() != null ? m.conf.priority().value() : master ? 255 : 100;
      if (m.conf.priority() == null && VrrpFields.writes(m.conf.header(), "priority")) {
        priority = 100; // keepalived's fallback for a bad value (reported already)
      }
      if (priority == 255) {
        Statement where = m.conf.priority() != null ? m.conf.priority().at() : m.conf.state().at();
        diagnostics.add(
            Diagnostic.note(
                where.at(),
                where.keyword(),
                (m.conf.priority() == null
                        ? "state MASTER without priority is priority 255 (address owner) in"
                            + " keepalived; "
                        : "priority 255 (address owner): ")
                    + "written as 254, the highest a director has here (the agent never owns"
                    + " the VIP's address)"));
        priority = 254;
      }
      ranked.add(new Ranked(m, priority, master, n));
    }
    ranked.sort(
        Comparator.comparingInt((Ranked r) -> -r.priority)
            .thenComparing(r -> !r.master)
            .thenComparingInt(r -> r.order));
    YamlList nodes = new YamlList();
    Set<Integer> priorities = new HashSet<>();
    for (Ranked r : ranked) {
      VrrpInstanceConf c = r.member.conf;
      String node = r.member.director.node();
      if (!priorities.add(r.priority)) {
        diagnostics.add(
            Diagnostic.note(
                (c.priority() != null ? c.priority().at() : c.header()).at(),
                "priority",
                node
                    + " has the same priority as another director of "
                    + i.name
                    + ": keepalived then prefers the higher primary address, lvs-operator the"
                    + " director listed first ("
                    + ranked.getFirst().member.director.node()
                    + ")"));
      }
      YamlMap entry = new YamlMap();
      entry.put(
          "name", node, node + ": " + (c.state() == null ? "(no state)" : Source.of(c.state())));
      entry.put(
          "priority",
          r.priority,
          c.priority() == null
              ? Source.byDefault(r.master ? "priority 255 with state MASTER" : "priority 100")
              : Source.of(c.priority()));
      nodes.add(entry);
    }
    i.fields.put("directors.nodes", nodes, null, i.members.getFirst().conf.header().at());
    unicast(i);
  }

  private void unicast(Instance i) {
    List<Member> withPeers =
        i.members.stream().filter(m -> !m.conf.unicastPeers().isEmpty()).toList();
    if (withPeers.isEmpty()) {
      for (Member m : i.members) {
        if (m.conf.unicastSrcIp() != null) {
          diagnostics.add(
              Diagnostic.note(
                  m.conf.unicastSrcIp().location(),
                  "unicast_src_ip",
                  "not imported: without unicast_peer the adverts are multicast, from the"
                      + " interface's primary address"));
        }
      }
      return;
    }
    if (withPeers.size() != i.members.size()) {
      Member without =
          i.members.stream().filter(m -> m.conf.unicastPeers().isEmpty()).findFirst().orElseThrow();
      error(
          without.conf.header(),
          "multicasts its adverts while "
              + withPeers.getFirst().director.node()
              + " sends them by unicast ("
              + withPeers.getFirst().conf.unicastPeers().getFirst().at().at()
              + "): these directors would not hear each other");
      return;
    }
    Statement firstPeer = withPeers.getFirst().conf.unicastPeers().getFirst().at();
    if (i.members.size() == 1) {
      List<String> peers = peers(i.members.getFirst());
      i.fields.put(
          "vrrp.unicastPeers", peers, "unicast_peer (" + firstPeer.at() + ")", firstPeer.at());
      return;
    }
    Map<Member, String> addresses = directorAddresses(i);
    boolean othersEverywhere = addresses.size() == i.members.size();
    if (othersEverywhere) {
      for (Member m : i.members) {
        Set<String> others = new HashSet<>();
        addresses.forEach(
            (o, a) -> {
              if (o != m) {
                others.add(a);
              }
            });
        if (!others.equals(new HashSet<>(peers(m)))) {
          othersEverywhere = false;
        }
      }
    }
    if (othersEverywhere) {
      i.fields.put(
          "vrrp.unicastPeersFromDirectors",
          true,
          "unicast_peer: each director lists the others (" + firstPeer.at() + ")",
          firstPeer.at());
      StringBuilder b = new StringBuilder();
      addresses.forEach(
          (m, a) ->
              b.append(b.isEmpty() ? "" : ", ").append(m.director.node()).append(" = ").append(a));
      diagnostics.add(
          Diagnostic.note(
              firstPeer.at(),
              "unicast_peer",
              "imported as unicastPeersFromDirectors: the nodes' addresses must be "
                  + b
                  + " (the Node's InternalIP in Kubernetes; --node-address NODE=IP standalone)"));
      return;
    }
    List<String> first = peers(i.members.getFirst());
    boolean same = i.members.stream().allMatch(m -> peers(m).equals(first));
    i.fields.put(
        "vrrp.unicastPeers", first, "unicast_peer (" + firstPeer.at() + ")", firstPeer.at());
    if (!same) {
      diagnostics.add(
          Diagnostic.unsupported(
              firstPeer.at(),
              "unicast_peer",
              "the directors list different peers, and not simply each other: lvs-operator has"
                  + " one list per instance, or the directors' own addresses; the import keeps "
                  + i.members.getFirst().director.node()
                  + "'s list"));
    }
  }

  private static List<String> peers(Member m) {
    return m.conf.unicastPeers().stream().map(Setting::value).toList();
  }

  /**
   * Each director's own address: its unicast_src_ip, or else the one address that every other
   * director lists as a peer and it does not.
   */
  private static Map<Member, String> directorAddresses(Instance i) {
    Map<Member, String> out = new LinkedHashMap<>();
    for (Member m : i.members) {
      if (m.conf.unicastSrcIp() != null) {
        out.put(m, m.conf.unicastSrcIp().value());
        continue;
      }
      Set<String> common = null;
      for (Member o : i.members) {
        if (o == m) {
          continue;
        }
        Set<String> p = new LinkedHashSet<>(peers(o));
        if (common == null) {
          common = p;
        } else {
          common.retainAll(p);
        }
      }
      if (common != null) {
        common.removeAll(peers(m));
        if (common.size() == 1) {
          out.put(m, common.iterator().next());
        }
      }
    }
    return out;
  }

  private void syncGroupMembers() {
    for (DirectorConfig d : directors) {
      Set<String> names = new HashSet<>();
      d.instances().forEach(i -> names.add(i.name()));
      for (SyncGroupConf g : d.syncGroups()) {
        for (Setting<String> member : g.members()) {
          if (!names.contains(member.value())) {
            diagnostics.add(
                Diagnostic.error(
                    member.location(),
                    member.value(),
                    "vrrp_sync_group "
                        + g.name()
                        + " names no vrrp_instance of this configuration"
                        + " (keepalived 2.2.7 reports it too and ignores it)"));
          }
        }
      }
    }
  }

  /** A sync daemon must follow one instance of its director: that instance carries it. */
  private void syncDaemons() {
    for (DirectorConfig d : directors) {
      SyncDaemon s = d.globals().syncDaemon();
      if (s == null) {
        continue;
      }
      if (s.instance() == null) {
        diagnostics.add(
            Diagnostic.unsupported(
                s.at().at(),
                s.at().keyword(),
                "follows no vrrp_instance, so keepalived runs both the master and the backup"
                    + " daemon all the time; lvs-operator's follows one instance's state (add"
                    + " `inst NAME`)"));
      } else if (d.instances().stream().noneMatch(i -> i.name().equals(s.instance()))) {
        diagnostics.add(
            Diagnostic.error(
                s.at().at(),
                s.at().keyword(),
                "names vrrp_instance "
                    + s.instance()
                    + ", which this configuration does not have"));
      }
    }
  }

  // ---- services ----

  private List<Service> services() {
    Map<String, Service> byKey = new LinkedHashMap<>();
    ServiceFields fields = new ServiceFields(diagnostics);
    for (DirectorConfig d : directors) {
      Map<String, List<VirtualServerConf>> blocks = new LinkedHashMap<>();
      for (VirtualServerConf vs : d.virtualServers()) {
        blocks.computeIfAbsent(key(vs), k -> new ArrayList<>()).add(vs);
      }
      blocks.forEach(
          (key, list) ->
              byKey
                  .computeIfAbsent(key, Service::new)
                  .byDirector
                  .add(new PerDirector(d, fields.of(list))));
    }
    for (Service s : byKey.values()) {
      PerDirector first = s.byDirector.getFirst();
      s.agreed = first.service();
      for (PerDirector other : s.byDirector.subList(1, s.byDirector.size())) {
        compareServices(s, first.director(), other.director(), other.service());
      }
    }
    return new ArrayList<>(byKey.values());
  }

  private void compareServices(
      Service s, DirectorConfig first, DirectorConfig other, ServiceFields.Service theirs) {
    String node1 = first.node();
    String node2 = other.node();
    for (Fields.Difference d : s.agreed.spec().differences(theirs.spec())) {
      Location at = where(d, theirs.first().header().at());
      diagnostics.add(
          Diagnostic.error(
              at,
              "virtual_server " + s.key,
              "differs between directors: "
                  + describe(d, node1, node2)
                  + "; one VirtualServer serves every director"));
    }
    Set<String> mine = s.agreed.realServers().keySet();
    Set<String> their = theirs.realServers().keySet();
    for (String rs : mine) {
      if (!their.contains(rs)) {
        diagnostics.add(
            Diagnostic.error(
                theirs.first().header().at(),
                "virtual_server " + s.key,
                "real_server "
                    + rs
                    + " of "
                    + node1
                    + " ("
                    + s.agreed.realServers().get(rs).get("address").at()
                    + ") is missing on "
                    + node2));
      } else {
        for (Fields.Difference d :
            s.agreed.realServers().get(rs).differences(theirs.realServers().get(rs))) {
          Location at = where(d, theirs.first().header().at());
          diagnostics.add(
              Diagnostic.error(
                  at,
                  "real_server " + rs,
                  "differs between directors: " + describe(d, node1, node2)));
        }
      }
    }
    for (String rs : their) {
      if (!mine.contains(rs)) {
        diagnostics.add(
            Diagnostic.error(
                theirs.realServers().get(rs).get("address").at(),
                "real_server",
                rs
                    + " of "
                    + node2
                    + " is missing on "
                    + node1
                    + " (virtual_server at "
                    + s.agreed.first().header().at()
                    + ")"));
      }
    }
  }

  private static String key(VirtualServerConf vs) {
    if (vs.fwmark() != null) {
      return "fwmark:" + vs.fwmark();
    }
    String protocol = vs.protocol() == null ? "UDP" : vs.protocol().value();
    if (vs.group() != null) {
      return "group:" + vs.group() + "/" + protocol;
    }
    return vs.address() + ":" + (vs.port() == null ? 0 : vs.port()) + "/" + protocol;
  }

  /** Finds the instance holding the service's VIP; checks it runs on the same directors. */
  private void associate(Service s, List<Instance> instances) {
    VirtualServerConf vs = s.agreed.first();
    List<String> addresses = new ArrayList<>();
    if (vs.address() != null) {
      s.vip = vs.address();
      addresses.add(vs.address());
    } else if (vs.fwmark() != null) {
      s.vip = fwmarkVip(vs, instances);
      if (s.vip == null) {
        return;
      }
      addresses.add(s.vip);
    } else if (!groupAddresses(s, vs, addresses)) {
      return;
    }
    Instance holder = holder(addresses.getFirst(), instances);
    if (holder == null) {
      unsupported(
          vs.header(),
          addresses.getFirst()
              + " is in no vrrp_instance's virtual_ipaddress: lvs-operator moves every VIP with"
              + " VRRP; add it to an instance (or import that director's VRRP configuration too)");
      return;
    }
    for (String a : addresses.subList(1, addresses.size())) {
      if (holder(a, instances) != holder) {
        unsupported(
            vs.header(),
            a
                + " is not held by vrrp_instance "
                + holder.name
                + " with "
                + addresses.getFirst()
                + ": every address of a VirtualServer joins its"
                + " instance");
        return;
      }
    }
    Set<String> serviceNodes = new LinkedHashSet<>();
    s.byDirector.forEach(p -> serviceNodes.add(p.director().node()));
    Set<String> instanceNodes = new LinkedHashSet<>();
    holder.members.forEach(m -> instanceNodes.add(m.director.node()));
    if (!serviceNodes.equals(instanceNodes)) {
      error(
          vs.header(),
          "is configured on "
              + serviceNodes
              + " but its VIP's vrrp_instance "
              + holder.name
              + " runs on "
              + instanceNodes
              + ": a director that takes the VIP must also serve it");
      return;
    }
    s.instance = holder;
    holder.services.add(s);
  }

  private String fwmarkVip(VirtualServerConf vs, List<Instance> instances) {
    String given = options.fwmarkVips.get(vs.fwmark());
    if (given != null) {
      return given;
    }
    List<String> all = new ArrayList<>();
    instances.forEach(i -> all.addAll(i.vips()));
    if (all.size() == 1) {
      diagnostics.add(
          Diagnostic.note(
              vs.header().at(),
              "virtual_server",
              "fwmark "
                  + vs.fwmark()
                  + " is taken to arrive at "
                  + all.getFirst()
                  + ", the only VIP of these directors (--fwmark-vip "
                  + vs.fwmark()
                  + "=ADDRESS says otherwise)"));
      return all.getFirst();
    }
    unsupported(
        vs.header(),
        "which VIP carries the traffic marked "
            + vs.fwmark()
            + " is not in keepalived.conf (the"
            + " mark is set by firewall rules): give --fwmark-vip "
            + vs.fwmark()
            + "=ADDRESS");
    return null;
  }

  /** The addresses of {@code virtual_server group NAME}: the first is the VIP, the rest more. */
  private boolean groupAddresses(Service s, VirtualServerConf vs, List<String> addresses) {
    DirectorConfig d = s.byDirector.getFirst().director();
    VsGroupConf group =
        d.virtualServerGroups().stream()
            .filter(g -> g.name().equals(vs.group()))
            .findFirst()
            .orElse(null);
    if (group == null) {
      error(
          vs.header(),
          "virtual_server_group "
              + vs.group()
              + " is not defined (keepalived 2.2.7 rejects it too)");
      return false;
    }
    for (PerDirector p : s.byDirector) {
      DirectorConfig other = p.director();
      VsGroupConf theirs =
          other.virtualServerGroups().stream()
              .filter(g -> g.name().equals(vs.group()))
              .findFirst()
              .orElse(null);
      if (theirs == null || !entries(theirs).equals(entries(group))) {
        error(
            theirs == null ? p.service().first().header() : theirs.header(),
            "virtual_server_group "
                + vs.group()
                + " differs between directors ("
                + d.node()
                + ": "
                + group.header().at()
                + ", "
                + other.node()
                + ")");
        return false;
      }
    }
    List<Map<String, Object>> additional = new ArrayList<>();
    Integer servicePort = null;
    for (VsGroupConf.Entry e : group.entries()) {
      if (e.fwmark() != null) {
        if (group.entries().size() == 1) {
          s.agreed.spec().put("firewallMark", e.fwmark(), Source.of(e.at()), e.at().at());
          String vip = options.fwmarkVips.get(e.fwmark());
          if (vip == null) {
            unsupported(
                e.at(),
                "which VIP carries the traffic marked "
                    + e.fwmark()
                    + " is not in keepalived.conf: give --fwmark-vip "
                    + e.fwmark()
                    + "=ADDRESS");
            return false;
          }
          s.vip = vip;
          addresses.add(vip);
          return true;
        }
        unsupported(
            e.at(),
            "a firewall mark beside addresses in one group: lvs-operator keys a"
                + " VirtualServer by addresses or by one mark");
        continue;
      }
      if (e.port() == null) {
        unsupported(
            e.at(),
            "an address without a port (every port, persistent): lvs-operator" + " needs a port");
        continue;
      }
      if (s.vip == null) {
        s.vip = e.address();
        servicePort = e.port();
        s.agreed.spec().put("port", e.port(), Source.of(e.at()), e.at().at());
        addresses.add(e.address());
        if (e.lastOctet() != null) {
          String base = e.address().substring(0, e.address().lastIndexOf('.') + 1);
          int start = Integer.parseInt(e.address().substring(base.length()));
          String rest =
              start + 1 == e.lastOctet()
                  ? base + e.lastOctet()
                  : base + (start + 1) + "-" + e.lastOctet();
          additional.add(additionalAddress(rest, e.port(), servicePort));
          expand(base, start + 1, e.lastOctet(), addresses);
        }
        continue;
      }
      String text = e.lastOctet() == null ? e.address() : e.address() + "-" + e.lastOctet();
      additional.add(additionalAddress(text, e.port(), servicePort));
      if (e.lastOctet() == null) {
        addresses.add(e.address());
      } else {
        String base = e.address().substring(0, e.address().lastIndexOf('.') + 1);
        expand(
            base, Integer.parseInt(e.address().substring(base.length())), e.lastOctet(), addresses);
      }
    }
    if (s.vip == null) {
      return false;
    }
    if (!additional.isEmpty()) {
      s.additional = additional;
      s.agreed
          .spec()
          .put(
              "additionalAddresses",
              additional,
              "virtual_server_group " + group.name() + " (" + group.header().at() + ")",
              group.header().at());
    }
    return true;
  }

  private static List<String> entries(VsGroupConf g) {
    return g.entries().stream()
        .map(e -> e.address() + "-" + e.lastOctet() + ":" + e.port() + "/" + e.fwmark())
        .toList();
  }

  private static Map<String, Object> additionalAddress(
      String address, int port, Integer servicePort) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("address", address);
    if (servicePort == null || port != servicePort) {
      m.put("port", port);
    }
    return m;
  }

  private static void expand(String base, int from, int to, List<String> into) {
    for (int o = from; o <= to; o++) {
      into.add(base + o);
    }
  }

  private static Instance holder(String address, List<Instance> instances) {
    for (Instance i : instances) {
      if (i.vips().contains(address) || i.excluded().contains(address)) {
        return i;
      }
    }
    return null;
  }

  private boolean isImplicit(Instance i) {
    if (i.vips().size() != 1 || !i.excluded().isEmpty()) {
      return false;
    }
    Map<String, Object> vip = i.details("_vipDetails").getFirst();
    if (vip.containsKey("interface")) {
      return false;
    }
    for (Service s : i.services) {
      if (!s.additional.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  private String serviceName(Service s) {
    String byKey = options.names.get(s.key);
    if (byKey != null) {
      return byKey;
    }
    int slash = s.key.lastIndexOf('/');
    if (slash < 0) {
      return Source.name("vs-" + s.key.replace(':', '-'));
    }
    String withoutProtocol = s.key.substring(0, slash);
    String byAddress = options.names.get(withoutProtocol);
    if (byAddress != null) {
      return byAddress;
    }
    String protocol = s.key.substring(slash + 1);
    String suffix = protocol.equals("TCP") ? "" : "-" + protocol;
    return Source.name("vs-" + withoutProtocol.replace(':', '-').replace('.', '-') + suffix);
  }

  private String unique(String name) {
    String n = name;
    for (int k = 2; !usedNames.add(n); k++) {
      n = name + "-" + k;
    }
    return n;
  }

  // ---- objects ----

  private Map<Instance, String> secretKeys(List<Instance> instances) {
    Set<String> passwords = new LinkedHashSet<>();
    for (Instance i : instances) {
      Object p = i.fields.value("vrrp._authPass");
      if (p != null) {
        passwords.add((String) p);
      }
    }
    Map<Instance, String> keys = new HashMap<>();
    for (Instance i : instances) {
      if (i.fields.value("vrrp._authPass") != null) {
        keys.put(i, passwords.size() == 1 ? "password" : i.objectName);
      }
    }
    return keys;
  }

  private ManifestObject secret(List<Instance> instances, Map<Instance, String> keys) {
    Map<String, Instance> byKey = new TreeMap<>();
    keys.forEach((i, k) -> byKey.putIfAbsent(k, i));
    if (byKey.isEmpty()) {
      return null;
    }
    YamlMap data = new YamlMap();
    byKey.forEach(
        (k, i) ->
            data.put(
                k,
                (String) i.fields.value("vrrp._authPass"),
                "auth_pass (" + i.fields.get("vrrp._authPass").at() + ")"));
    YamlMap body = new YamlMap();
    body.put("apiVersion", "v1");
    body.put("kind", "Secret");
    body.put("metadata", metadata(SECRET_NAME));
    body.put("stringData", data);
    return new ManifestObject(
        "Secret",
        SECRET_NAME,
        List.of(
            "The VRRP PASS passwords (auth_pass), kept in a Secret rather than in the objects."),
        body);
  }

  private List<ManifestObject> instanceObjects(Instance i, String secretKey) {
    if (i.implicit) {
      if (i.services.isEmpty()) {
        Fields spec = new Fields();
        Map<String, Object> vip = i.details("_vipDetails").getFirst();
        spec.put(
            "vip",
            vip.get("address"),
            vipComment(i),
            i.members.getFirst().conf.vips().getFirst().at().at());
        addVrrp(spec, i, secretKey, true);
        String name =
            unique(options.names.getOrDefault(i.name, Source.name("vip-" + vip.get("address"))));
        return List.of(
            object(
                "VirtualServer",
                name,
                List.of(
                    "vrrp_instance "
                        + i.name
                        + " without a virtual_server: a VIP-only"
                        + " VirtualServer (VRRP moves the address, no IPVS service)."),
                spec));
      }
      return List.of();
    }
    Fields spec = new Fields();
    addVrrp(spec, i, secretKey, false);
    VrrpInstanceConf first = i.members.getFirst().conf;
    spec.put(
        "addresses",
        addressList(i.details("_vipDetails"), first.vips()),
        "virtual_ipaddress",
        null);
    List<Map<String, Object>> excluded = i.details("_excludedVipDetails");
    if (!excluded.isEmpty()) {
      spec.put(
          "excludedAddresses",
          addressList(excluded, first.excludedVips()),
          "virtual_ipaddress_excluded",
          null);
    }
    return List.of(
        object(
            "VrrpInstance",
            i.objectName,
            List.of("vrrp_instance " + i.name + " of " + nodes(i) + "."),
            spec));
  }

  /** Each address with its line of virtual_ipaddress as the comment of its first field. */
  private static YamlList addressList(
      List<Map<String, Object>> details, List<io.lvsoperator.keepalived.model.Vip> vips) {
    YamlList l = new YamlList();
    for (int n = 0; n < details.size(); n++) {
      YamlMap m = new YamlMap();
      Statement line = vips.get(n).at();
      boolean firstField = true;
      for (var e : details.get(n).entrySet()) {
        m.put(e.getKey(), e.getValue(), firstField ? Source.of(line) : null);
        firstField = false;
      }
      l.add(m);
    }
    return l;
  }

  /** The order of a VirtualServer's fields, as in examples/reference and the CRD reference. */
  private static final List<String> SPEC_ORDER =
      List.of(
          "vip",
          "port",
          "protocol",
          "scheduler",
          "forwarding",
          "persistenceTimeoutSeconds",
          "persistenceNetmask",
          "firewallMark",
          "additionalAddresses",
          "sorryServer",
          "quorum",
          "hysteresis",
          "healthCheck");

  private List<ManifestObject> serviceObjects(Service s, String secretKey) {
    Instance i = s.instance;
    Fields unordered = new Fields();
    VirtualServerConf vs = s.agreed.first();
    unordered.put(
        "vip",
        s.vip,
        vs.address() != null && i.implicit ? vipComment(i) : Source.of(vs.header()),
        vs.header().at());
    s.agreed.spec().all().forEach((p, f) -> unordered.put(p, f.value(), f.comment(), f.at()));
    Fields spec = new Fields();
    for (String top : SPEC_ORDER) {
      unordered
          .all()
          .forEach(
              (p, f) -> {
                if (p.equals(top) || p.startsWith(top + ".")) {
                  spec.put(p, f.value(), f.comment(), f.at());
                }
              });
    }
    if (i.implicit) {
      addVrrp(spec, i, secretKey, true);
    } else {
      spec.put("vrrpInstance", i.objectName, "vrrp_instance " + i.name, null);
    }
    List<ManifestObject> out = new ArrayList<>();
    out.add(
        object(
            "VirtualServer",
            s.objectName,
            List.of(
                "virtual_server " + String.join(" ", vs.header().args()) + " of " + nodes(i) + "."),
            spec));
    for (Fields rs : s.agreed.realServers().values()) {
      out.add(realServer(s, rs));
    }
    return out;
  }

  private ManifestObject realServer(Service s, Fields rs) {
    String address = (String) rs.value("address");
    String node = options.realServerNodes.get(address);
    long sameNode =
        node == null ? 0 : options.realServerNodes.values().stream().filter(node::equals).count();
    String base;
    if (node != null && sameNode == 1 && !usedNames.contains(node)) {
      base = node;
    } else if (node != null) {
      base = s.objectName + "-" + node;
    } else {
      Object port = rs.value("port");
      base = s.objectName + "-" + address.replace('.', '-') + (port == null ? "" : "-" + port);
    }
    String name = unique(Source.name(base));
    Fields spec = new Fields();
    rs.all().forEach((p, f) -> spec.put(p, f.value(), f.comment(), f.at()));
    spec.put("virtualServer", s.objectName, "(the virtual_server block it sits in)", null);
    if (node != null) {
      spec.put("node", node, "(--real-server-node: the host to prepare for DR)", null);
    }
    return object("RealServer", name, List.of(), spec);
  }

  private void addVrrp(Fields spec, Instance i, String secretKey, boolean implicit) {
    Fields f = i.fields;
    spec.section("vrrp", "vrrp_instance " + i.name + " {");
    boolean hasAuth = f.get("vrrp.authPassSecretRef.name") != null;
    boolean vipWritten = !implicit;
    for (var e : f.all().entrySet()) {
      String path = e.getKey();
      if (!path.startsWith("vrrp.")) {
        continue;
      }
      Object value = path.equals("vrrp.authPassSecretRef.key") ? secretKey : e.getValue().value();
      spec.put(path, value, e.getValue().comment(), e.getValue().at());
      // The reference's order: the VIP's prefix and label follow the advert settings.
      boolean after =
          hasAuth
              ? path.equals("vrrp.authPassSecretRef.key")
              : path.equals("vrrp.advertIntervalMs");
      if (!vipWritten && after) {
        addVipDefaults(spec, i);
        vipWritten = true;
      }
    }
    if (!vipWritten) {
      addVipDefaults(spec, i);
    }
    spec.put("directors.nodes", f.value("directors.nodes"), null, null);
  }

  /** The implicit form's one VIP: its prefix length and label. */
  private void addVipDefaults(Fields spec, Instance i) {
    if (spec.get("vrrp.vipPrefixLength") != null) {
      return;
    }
    var vip = i.members.getFirst().conf.vips().getFirst();
    Map<String, Object> d = i.details("_vipDetails").getFirst();
    spec.put(
        "vrrp.vipPrefixLength",
        d.get("prefixLength"),
        "virtual_ipaddress { " + vip.at().text() + " (" + vip.at().at() + ")",
        vip.at().at());
    spec.put(
        "vrrp.vipLabel",
        d.get("label"),
        vip.label() == null ? null : "label " + vip.label(),
        vip.at().at());
  }

  private String vipComment(Instance i) {
    var vip = i.members.getFirst().conf.vips().getFirst();
    return "virtual_ipaddress { " + vip.at().keyword() + " (" + vip.at().at() + ")";
  }

  private static String nodes(Instance i) {
    return String.join(", ", i.members.stream().map(m -> m.director.node()).toList());
  }

  private ManifestObject object(String kind, String name, List<String> header, Fields spec) {
    YamlMap body = new YamlMap();
    body.put("apiVersion", API_VERSION);
    body.put("kind", kind);
    body.put("metadata", metadata(name));
    body.put("spec", spec.toYaml());
    return new ManifestObject(kind, name, header, body);
  }

  private YamlMap metadata(String name) {
    return new YamlMap().put("name", name).put("namespace", options.namespace);
  }

  // ---- diagnostics ----

  /** The second director's line of a difference, else {@code fallback}. */
  private static Location where(Fields.Difference d, Location fallback) {
    return d.second() != null && d.second().at() != null ? d.second().at() : fallback;
  }

  /** {@code scheduler: rr on lvs1 (a.conf:12), wrr on lvs2 (b.conf:12)}. */
  static String describe(Fields.Difference d, String node1, String node2) {
    return label(d.path())
        + ": "
        + show(d.path(), d.first())
        + " on "
        + node1
        + ", "
        + show(d.path(), d.second())
        + " on "
        + node2;
  }

  static String describe(Fields.Difference d) {
    return label(d.path())
        + " ("
        + show(d.path(), d.first())
        + " and "
        + show(d.path(), d.second())
        + ")";
  }

  private static String label(String path) {
    return switch (path) {
      case "_vips" -> "virtual_ipaddress";
      case "_excludedVips" -> "virtual_ipaddress_excluded";
      case "_vipDetails", "_excludedVipDetails" -> "the options of the virtual IP addresses";
      case "vrrp._authType" -> "auth_type";
      case "vrrp._authPass" -> "auth_pass";
      case "healthCheck._unsupported" -> "checker";
      default -> path.startsWith("_timing.") ? path.substring(8) : path;
    };
  }

  private static String show(String path, Fields.Field f) {
    if (f == null) {
      return "(not set)";
    }
    String where = f.at() == null ? "" : " (" + f.at() + ")";
    if (path.equals("vrrp._authPass")) {
      return "one password" + where;
    }
    return f.value() + where;
  }

  private void error(Statement s, String message) {
    diagnostics.add(Diagnostic.error(s.at(), s.keyword(), message));
  }

  private void unsupported(Statement s, String message) {
    diagnostics.add(Diagnostic.unsupported(s.at(), s.keyword(), message));
  }
}
