package io.lvsoperator.keepalived.manifest;

import io.lvsoperator.keepalived.conf.Diagnostic;
import io.lvsoperator.keepalived.conf.Location;
import io.lvsoperator.keepalived.conf.Statement;
import io.lvsoperator.keepalived.model.CheckConf;
import io.lvsoperator.keepalived.model.CheckTiming;
import io.lvsoperator.keepalived.model.RealServerConf;
import io.lvsoperator.keepalived.model.Setting;
import io.lvsoperator.keepalived.model.VirtualServerConf;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The VirtualServer fields of one director's virtual_server blocks for one service (keepalived lets
 * a service be written in several blocks; their settings must agree and their real servers add up),
 * its real servers, and the one health check they share.
 */
final class ServiceFields {
  private static final Set<String> API_SCHEDULERS =
      Set.of("rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "mh", "sed", "nq", "fo", "ovf");

  /** What one director says about one service. */
  record Service(Fields spec, Map<String, Fields> realServers, VirtualServerConf first) {}

  private final List<Diagnostic> diagnostics;

  ServiceFields(List<Diagnostic> diagnostics) {
    this.diagnostics = diagnostics;
  }

  /** The fields of {@code blocks}, all one director's blocks for one service. */
  Service of(List<VirtualServerConf> blocks) {
    VirtualServerConf first = blocks.getFirst();
    Fields spec = settings(first);
    for (VirtualServerConf other : blocks.subList(1, blocks.size())) {
      Fields more = settings(other);
      for (Fields.Difference d : spec.differences(more)) {
        diagnostics.add(
            Diagnostic.error(
                other.header().at(),
                "virtual_server",
                "this block and the one at "
                    + first.header().at()
                    + " name the same service but disagree on "
                    + ManifestMapper.describe(d)
                    + "; keepalived would apply both to one IPVS service"));
      }
      if (!more.differences(spec).isEmpty()) {
        continue;
      }
      note(
          other.header(),
          "the same service as "
              + first.header().at()
              + ": its real servers are merged into one"
              + " VirtualServer");
    }
    Map<String, Fields> realServers = new LinkedHashMap<>();
    Map<String, RealServerConf> confs = new LinkedHashMap<>();
    String method = (String) spec.value("forwarding");
    Integer servicePort = (Integer) spec.value("port");
    for (VirtualServerConf block : blocks) {
      for (RealServerConf rs : block.realServers()) {
        String key = rs.address() + ":" + (rs.port() == null ? "" : rs.port());
        if (realServers.containsKey(key)) {
          diagnostics.add(
              Diagnostic.error(
                  rs.header().at(),
                  "real_server",
                  key
                      + " is already a real server of this service ("
                      + confs.get(key).header().at()
                      + ")"));
          continue;
        }
        realServers.put(key, realServer(rs, method, servicePort, block.fwmark() != null));
        confs.put(key, rs);
      }
    }
    healthCheck(spec, blocks, confs);
    return new Service(spec, realServers, first);
  }

  private Fields settings(VirtualServerConf vs) {
    Fields f = new Fields();
    if (vs.port() != null && vs.port() == 0) {
      unsupported(
          vs.header(),
          "a service on every port (port 0, persistent): lvs-operator needs a port, or"
              + " virtual_server fwmark");
    } else if (vs.port() != null) {
      f.put("port", vs.port(), Source.of(vs.header()), vs.header().at());
    }
    if (vs.fwmark() != null) {
      if (vs.protocol() != null) {
        note(
            vs.protocol().at(),
            "not imported: a firewall-mark service has no protocol (keepalived 2.2.7 ignores it"
                + " too)");
      }
    } else if (vs.protocol() != null) {
      f.put("protocol", vs.protocol().value(), Source.of(vs.protocol()), Source.at(vs.protocol()));
    } else {
      note(
          vs.header(),
          "has no protocol: keepalived 2.2.7 then uses UDP (it logs \"no protocol set -"
              + " defaulting to UDP\"), so the import writes UDP; write `protocol TCP` if TCP was"
              + " meant");
      f.put("protocol", "UDP", Source.byDefault("protocol UDP"), vs.header().at());
    }
    if (vs.scheduler() != null) {
      String s = vs.scheduler().value();
      if (API_SCHEDULERS.contains(s)) {
        f.put("scheduler", s, Source.of(vs.scheduler()), Source.at(vs.scheduler()));
      } else {
        unsupported(
            vs.scheduler().at(), s + ": the kernel scheduler is not one lvs-operator offers");
      }
    } else {
      f.put("scheduler", "wlc", Source.byDefault("lvs_sched wlc"), vs.header().at());
    }
    if (vs.method() != null) {
      f.put("forwarding", vs.method().value(), Source.of(vs.method()), Source.at(vs.method()));
    } else {
      f.put("forwarding", "NAT", Source.byDefault("lvs_method NAT"), vs.header().at());
    }
    if (vs.persistenceTimeout() != null) {
      f.put(
          "persistenceTimeoutSeconds",
          vs.persistenceTimeout().value(),
          Source.of(vs.persistenceTimeout()),
          Source.at(vs.persistenceTimeout()));
    }
    if (vs.persistenceGranularity() != null) {
      f.put(
          "persistenceNetmask",
          vs.persistenceGranularity().value(),
          Source.of(vs.persistenceGranularity()),
          Source.at(vs.persistenceGranularity()));
    }
    if (vs.sorryServer() != null) {
      var sorry = vs.sorryServer();
      f.put("sorryServer.address", sorry.value().address(), Source.of(sorry), Source.at(sorry));
      f.put("sorryServer.port", sorry.value().port(), null, Source.at(sorry));
    }
    if (vs.quorum() != null) {
      f.put("quorum", vs.quorum().value(), Source.of(vs.quorum()), Source.at(vs.quorum()));
    }
    if (vs.hysteresis() != null) {
      f.put(
          "hysteresis",
          vs.hysteresis().value(),
          Source.of(vs.hysteresis()),
          Source.at(vs.hysteresis()));
    }
    if (vs.fwmark() != null) {
      f.put("firewallMark", vs.fwmark(), Source.of(vs.header()), vs.header().at());
    }
    // Compared between blocks and directors, written through the health check.
    CheckTiming t = vs.timing();
    putInternal(f, "_timing.delayLoop", t.delayLoop());
    putInternal(f, "_timing.connectTimeout", t.connectTimeout());
    putInternal(f, "_timing.retry", t.retry());
    putInternal(f, "_timing.delayBeforeRetry", t.delayBeforeRetry());
    putInternal(f, "_timing.inhibitOnFailure", t.inhibitOnFailure());
    putInternal(f, "_timing.virtualhost", t.virtualhost());
    return f;
  }

  private static void putInternal(Fields f, String path, Setting<?> s) {
    if (s != null) {
      f.put(
          path,
          s.value() instanceof BigDecimal d ? d.stripTrailingZeros() : s.value(),
          null,
          s.location());
    }
  }

  private Fields realServer(RealServerConf rs, String method, Integer servicePort, boolean fwmark) {
    Fields f = new Fields();
    f.put("address", rs.address(), Source.of(rs.header()), rs.header().at());
    boolean keepsPort = "DR".equals(method) || "TUN".equals(method);
    if (fwmark) {
      fwmarkPort(f, rs, keepsPort);
    } else if (rs.port() != null) {
      f.put("port", rs.port(), null, rs.header().at());
      if (servicePort != null
          && !rs.port().equals(servicePort)
          && ("DR".equals(method) || "TUN".equals(method))) {
        unsupported(
            rs.header(),
            "port "
                + rs.port()
                + " differs from the service's "
                + servicePort
                + ": with DR and TUN IPVS keeps the client's port, and lvs-operator requires the"
                + " same port");
      }
    }
    if (rs.weight() != null) {
      f.put("weight", rs.weight().value(), Source.of(rs.weight()), Source.at(rs.weight()));
    } else {
      f.put("weight", 1, Source.byDefault("weight 1"), rs.header().at());
    }
    if (rs.method() != null && !rs.method().value().equals(method)) {
      unsupported(
          rs.method().at(),
          "a real server forwarded unlike its service ("
              + method
              + "): lvs-operator forwards every real server of a VirtualServer the same way");
    }
    return f;
  }

  /**
   * keepalived clears the ports of a firewall-mark service's real servers ("has port specified -
   * clearing"): each packet keeps its own port. lvs-operator needs one; with DR and TUN it only
   * names what is checked (IPVS keeps the packet's port), so the one written, or else the check's
   * connect_port, is used. With NAT a port would be rewritten, which keepalived does not do.
   */
  private void fwmarkPort(Fields f, RealServerConf rs, boolean keepsPort) {
    Integer checkPort =
        rs.checks().isEmpty() || rs.checks().getFirst().connectPort() == null
            ? null
            : rs.checks().getFirst().connectPort().value();
    Integer port = rs.port() != null ? rs.port() : checkPort;
    if (!keepsPort || port == null) {
      unsupported(
          rs.header(),
          "a real server of a firewall-mark service: keepalived clears its port (each packet keeps"
              + " its own); lvs-operator needs one, "
              + (keepsPort
                  ? "so give it a port or a connect_port in its check"
                  : "which NAT would rewrite to"));
      return;
    }
    f.put(
        "port",
        port,
        rs.port() != null
            ? "(keepalived clears it; with "
                + "DR/TUN the packet keeps its own port, this one is what is checked)"
            : "(the check's connect_port: keepalived clears the port, the packet keeps its own)",
        rs.header().at());
  }

  /**
   * The check of every real server, which must be the same: lvs-operator has one health check per
   * VirtualServer. Real servers without a checker are never taken out by keepalived: type NONE.
   */
  private void healthCheck(
      Fields spec, List<VirtualServerConf> blocks, Map<String, RealServerConf> realServers) {
    Fields chosen = null;
    RealServerConf chosenFrom = null;
    for (RealServerConf rs : realServers.values()) {
      VirtualServerConf vs = owner(blocks, rs);
      Fields check = check(vs, rs);
      if (chosen == null) {
        chosen = check;
        chosenFrom = rs;
        continue;
      }
      List<Fields.Difference> differences = chosen.differences(check);
      if (!differences.isEmpty()) {
        unsupported(
            rs.header(),
            "checked unlike the real server at "
                + chosenFrom.header().at()
                + " ("
                + ManifestMapper.describe(differences.getFirst())
                + "): lvs-operator has one health check per VirtualServer; the import uses that"
                + " one's");
      }
    }
    if (chosen == null) {
      return;
    }
    if (chosen.get("healthCheck.type") == null) {
      return; // only unsupported checkers: the VirtualServer gets the agent's default check
    }
    chosen
        .all()
        .forEach((path, field) -> spec.put(path, field.value(), field.comment(), field.at()));
  }

  private static VirtualServerConf owner(List<VirtualServerConf> blocks, RealServerConf rs) {
    for (VirtualServerConf vs : blocks) {
      if (vs.realServers().stream().anyMatch(r -> r == rs)) {
        return vs;
      }
    }
    return blocks.getFirst();
  }

  private Fields check(VirtualServerConf vs, RealServerConf rs) {
    Fields f = new Fields();
    CheckTiming outer = rs.timing().over(vs.timing());
    if (rs.checks().isEmpty()) {
      if (rs.otherChecks().isEmpty()) {
        f.put(
            "healthCheck.type",
            "NONE",
            "(no checker: keepalived keeps such a real server in)",
            rs.header().at());
        onFailure(f, outer, rs.header());
      } else {
        f.put("healthCheck._unsupported", "a checker the import does not read", null, null);
      }
      return f;
    }
    CheckConf c = rs.checks().getFirst();
    for (CheckConf extra : rs.checks().subList(1, rs.checks().size())) {
      unsupported(
          extra.header(),
          "a second checker of one real server: lvs-operator runs one check (the first, "
              + c.header().at()
              + ")");
    }
    CheckTiming t = c.timing().over(outer);
    String type =
        switch (c.type()) {
          case "HTTP_GET" -> "HTTP_GET";
          case "SSL_GET" -> "HTTPS_GET";
          default -> "TCP";
        };
    f.put("healthCheck.type", type, Source.of(c.header()), c.header().at());
    String host = t.virtualhost() == null ? null : t.virtualhost().value();
    String hostComment = t.virtualhost() == null ? null : Source.of(t.virtualhost());
    Location hostAt = Source.at(t.virtualhost());
    if (!c.urls().isEmpty()) {
      CheckConf.UrlConf url = c.urls().getFirst();
      for (CheckConf.UrlConf extra : c.urls().subList(1, c.urls().size())) {
        unsupported(
            extra.header(),
            "a second url: lvs-operator checks one path (the first, " + url.header().at() + ")");
      }
      if (url.path() != null) {
        f.put("healthCheck.path", url.path().value(), Source.of(url.path()), Source.at(url.path()));
      }
      if (url.statusCodes() != null) {
        f.put(
            "healthCheck.expectedStatus",
            url.statusCodes().value(),
            Source.of(url.statusCodes()),
            Source.at(url.statusCodes()));
      }
      if (url.virtualhost() != null) {
        host = url.virtualhost().value();
        hostComment = Source.of(url.virtualhost());
        hostAt = Source.at(url.virtualhost());
      }
      if (url.bodyContains() != null) {
        f.put(
            "healthCheck.bodyContains",
            url.bodyContains().value(),
            Source.of(url.bodyContains()),
            Source.at(url.bodyContains()));
      }
    }
    if (host != null && !type.equals("TCP")) {
      f.put("healthCheck.host", host, hostComment, hostAt);
    }
    if (c.connectPort() != null) {
      f.put(
          "healthCheck.port",
          c.connectPort().value(),
          Source.of(c.connectPort()),
          Source.at(c.connectPort()));
    }
    timing(f, "healthCheck.delayLoop", t.delayLoop(), "delay_loop", new BigDecimal(60));
    timing(
        f, "healthCheck.connectTimeout", t.connectTimeout(), "connect_timeout", new BigDecimal(5));
    if (t.retry() != null) {
      int retry = t.retry().value();
      if (retry > 100) {
        unsupported(t.retry().at(), "at most 100 retries: written as 100");
        retry = 100;
      }
      f.put("healthCheck.retry", retry, Source.of(t.retry()), Source.at(t.retry()));
    } else {
      f.put("healthCheck.retry", 1, Source.byDefault("retry 1"), c.header().at());
    }
    timing(
        f,
        "healthCheck.delayBeforeRetry",
        t.delayBeforeRetry(),
        "delay_before_retry",
        type.equals("TCP") ? BigDecimal.ONE : new BigDecimal(3));
    onFailure(f, t, c.header());
    return f;
  }

  private void timing(
      Fields f, String path, Setting<BigDecimal> s, String keyword, BigDecimal dflt) {
    if (s == null) {
      f.put(path, Source.duration(dflt), Source.byDefault(keyword + " " + dflt), null);
      return;
    }
    String d = Source.duration(s.value());
    if (d == null) {
      note(s.at(), "finer than a millisecond: rounded up to whole milliseconds");
      d = Source.durationRoundedUp(s.value());
    }
    f.put(path, d, Source.of(s), s.location());
  }

  private static void onFailure(Fields f, CheckTiming t, Statement where) {
    if (t.inhibitOnFailure() != null && t.inhibitOnFailure().value()) {
      f.put(
          "healthCheck.onFailure",
          "weight-zero",
          Source.of(t.inhibitOnFailure()),
          Source.at(t.inhibitOnFailure()));
    } else {
      f.put(
          "healthCheck.onFailure",
          "remove",
          t.inhibitOnFailure() == null
              ? "(keepalived's default; weight-zero = inhibit_on_failure)"
              : Source.of(t.inhibitOnFailure()),
          t.inhibitOnFailure() == null ? where.at() : Source.at(t.inhibitOnFailure()));
    }
  }

  private void note(Statement s, String message) {
    diagnostics.add(Diagnostic.note(s.at(), s.keyword(), message));
  }

  private void unsupported(Statement s, String message) {
    diagnostics.add(Diagnostic.unsupported(s.at(), s.keyword(), message));
  }
}
