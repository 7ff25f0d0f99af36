package io.lvsoperator.compiler;

import io.lvsoperator.api.v1alpha1.Forwarding;
import io.lvsoperator.api.v1alpha1.VirtualServerSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks the keepalived features of a VirtualServer's service: {@code additionalAddresses}
 * (virtual_server_group, ranges expanded), {@code firewallMark}, {@code sorryServer}, {@code
 * quorum} and {@code hysteresis}.
 */
final class ServiceOptions {
  /** The most address:port pairs one VirtualServer may expand to. */
  static final int MAX_ADDITIONAL = 4096;

  private static final String ONLY_A_SERVICE =
      "applies only to a service (spec.port or spec.firewallMark)";

  private ServiceOptions() {}

  /** The options, checked; null parts are absent. */
  record Options(
      List<ValidVirtualServer.VipPort> additional,
      Long firewallMark,
      ValidVirtualServer.SorryServer sorryServer,
      int quorum,
      int hysteresis) {}

  static Options validate(
      VirtualServerSpec spec, String vip, Integer port, Forwarding forwarding, FieldErrors errors) {
    Long mark = spec.firewallMark();
    if (mark != null && (mark < 1 || mark > 4_294_967_295L)) {
      errors.add("spec.firewallMark", mark.toString(), "is out of range (1-4294967295)");
    }
    var additional = additional(spec.additionalAddresses(), vip, port, errors);
    if (mark != null && !additional.isEmpty()) {
      errors.add(
          "spec.additionalAddresses",
          null,
          "excludes spec.firewallMark (a firewall-mark service has no address)");
    }
    boolean service =
        mark != null || port != null || additional.stream().anyMatch(a -> a.port() != null);
    int quorum = Objects.requireNonNullElse(spec.quorum(), Defaults.QUORUM);
    int hysteresis = Objects.requireNonNullElse(spec.hysteresis(), Defaults.HYSTERESIS);
    if (quorum < 1) {
      errors.add("spec.quorum", Integer.toString(quorum), "is out of range (at least 1)");
    }
    if (hysteresis < 0) {
      errors.add("spec.hysteresis", Integer.toString(hysteresis), "is out of range (at least 0)");
    }
    if (!service && spec.quorum() != null) {
      errors.add("spec.quorum", null, ONLY_A_SERVICE);
    }
    if (!service && spec.hysteresis() != null) {
      errors.add("spec.hysteresis", null, ONLY_A_SERVICE);
    }
    var sorry = sorryServer(spec.sorryServer(), service, port, forwarding, errors);
    return new Options(additional, mark, sorry, quorum, hysteresis);
  }

  /** The additional pairs, ranges expanded; each pair at most once, and not spec.vip:port. */
  private static List<ValidVirtualServer.VipPort> additional(
      List<VirtualServerSpec.AdditionalAddress> given,
      String vip,
      Integer port,
      FieldErrors errors) {
    List<ValidVirtualServer.VipPort> out = new ArrayList<>();
    if (given == null) {
      return out;
    }
    Map<String, String> seen = new HashMap<>();
    seen.put(vip + ":" + port, "spec.vip");
    for (int i = 0; i < given.size(); i++) {
      String path = "spec.additionalAddresses[" + i + "]";
      var a = given.get(i);
      if (a == null) {
        errors.add(path, null, "is empty");
        continue;
      }
      Integer p = a.port() != null ? a.port() : port;
      if (a.port() != null && (a.port() < 1 || a.port() > 65535)) {
        errors.add(path + ".port", a.port().toString(), "is not a port (1-65535)");
        continue;
      }
      for (String address : expand(path + ".address", a.address(), errors)) {
        String earlier = seen.putIfAbsent(address + ":" + p, path);
        if (earlier != null) {
          errors.add(
              path, address + (p == null ? "" : ":" + p), "is listed twice (also " + earlier + ")");
        } else {
          out.add(new ValidVirtualServer.VipPort(path, address, p));
        }
      }
    }
    if (out.size() > MAX_ADDITIONAL) {
      errors.add(
          "spec.additionalAddresses",
          Integer.toString(out.size()),
          "address:port pairs are too many (at most " + MAX_ADDITIONAL + ")");
    }
    return out;
  }

  /** An address, or a last-octet range a.b.c.d-e, as its addresses; empty with an error. */
  static List<String> expand(String path, String text, FieldErrors errors) {
    if (text == null) {
      errors.add(path, null, "is required");
      return List.of();
    }
    int dash = text.indexOf('-');
    if (dash < 0) {
      String one = VirtualServerValidator.ipv4(path, text, errors);
      return one == null ? List.of() : List.of(one);
    }
    String first = VirtualServerValidator.ipv4(path, text.substring(0, dash), new FieldErrors());
    String last = text.substring(dash + 1);
    if (first == null || !last.matches("[0-9]{1,3}") || Integer.parseInt(last) > 255) {
      errors.add(path, text, "is not an IPv4 address or a range like 10.0.0.10-20");
      return List.of();
    }
    int from = Integer.parseInt(first.substring(first.lastIndexOf('.') + 1));
    int to = Integer.parseInt(last);
    if (to < from) {
      errors.add(path, text, "is a range that ends before it starts");
      return List.of();
    }
    String prefix = first.substring(0, first.lastIndexOf('.') + 1);
    List<String> out = new ArrayList<>();
    for (int o = from; o <= to; o++) {
      out.add(prefix + o);
    }
    return out;
  }

  private static ValidVirtualServer.SorryServer sorryServer(
      VirtualServerSpec.SorryServer s,
      boolean service,
      Integer port,
      Forwarding forwarding,
      FieldErrors errors) {
    if (s == null) {
      return null;
    }
    if (!service) {
      errors.add("spec.sorryServer", null, ONLY_A_SERVICE);
      return null;
    }
    // Checked as a real server of the service on spec.port; each additional pair uses its own.
    var checked =
        RealServerChecks.resolve(
            "spec.sorryServer",
            new RealServerChecks.Candidate(s.address(), s.port(), null, null, null),
            new RealServerChecks.Target(port, forwarding),
            "spec.sorryServer",
            errors);
    return checked == null ? null : new ValidVirtualServer.SorryServer(checked.address(), s.port());
  }
}
