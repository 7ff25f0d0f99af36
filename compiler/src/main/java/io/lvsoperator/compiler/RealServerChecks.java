package io.lvsoperator.compiler;

import io.lvsoperator.api.v1alpha1.Forwarding;
import io.lvsoperator.api.v1alpha1.RealServerSpec;
import io.lvsoperator.api.v1alpha1.VirtualServerSpec.InlineRealServer;
import java.net.InetAddress;
import java.util.Optional;

/** Checks shared by inline real servers and RealServer objects. */
final class RealServerChecks {
  private RealServerChecks() {}

  /** The fields of a real server as written, inline or in a RealServer object. */
  record Candidate(String address, Integer port, Integer weight, Boolean drain, String node) {
    static Candidate of(InlineRealServer rs) {
      return new Candidate(rs.address(), rs.port(), rs.weight(), rs.drain(), rs.node());
    }

    static Candidate of(RealServerSpec rs) {
      return new Candidate(rs.address(), rs.port(), rs.weight(), rs.drain(), rs.node());
    }
  }

  /**
   * The service a real server is checked against: its port (null for a port-less service) and
   * forwarding method.
   */
  record Target(Integer port, Forwarding forwarding) {
    /** No service: only the checks that need none (NAT allows any port). */
    static final Target NONE = new Target(1, Forwarding.NAT);
  }

  /**
   * The real server with its defaults, or null when it has errors (added to {@code errors} under
   * {@code path}) or no port; {@code source} says where it came from.
   */
  static ResolvedRealServer resolve(
      String path, Candidate c, Target target, String source, FieldErrors errors) {
    int before = errors.size();
    String address = address(path, c.address(), errors);
    Integer port = c.port() != null ? c.port() : target.port();
    checkPort(path, c.port(), target, errors);
    int weight = c.weight() == null ? Defaults.WEIGHT : c.weight();
    if (weight < 0 || weight > 65535) {
      errors.add(path + ".weight", Integer.toString(weight), "is out of range (0-65535)");
    }
    if (port == null && c.port() == null) {
      errors.add(path + ".port", null, "is required: the service has no port (spec.port)");
    }
    if (errors.size() > before || port == null) {
      return null;
    }
    return new ResolvedRealServer(
        address, port, weight, Boolean.TRUE.equals(c.drain()), c.node(), source);
  }

  private static String address(String path, String address, FieldErrors errors) {
    if (address == null) {
      errors.add(path + ".address", null, "is required");
      return null;
    }
    Optional<InetAddress> a = Addresses.parse(address);
    if (a.isEmpty()) {
      errors.add(path + ".address", address, "is not an IP address");
    } else if (!Addresses.isIpv4(a.get())) {
      errors.add(path + ".address", address, "is IPv6, which is not supported yet");
    } else {
      return Addresses.canonical(a.get());
    }
    return null;
  }

  private static void checkPort(String path, Integer port, Target target, FieldErrors errors) {
    if (port == null) {
      return;
    }
    if (port < 1 || port > 65535) {
      errors.add(path + ".port", port.toString(), "is not a port (1-65535)");
    } else if (target.port() != null
        && !port.equals(target.port())
        && target.forwarding() != Forwarding.NAT) {
      errors.add(
          path + ".port",
          port.toString(),
          "differs from the virtual port "
              + target.port()
              + "; only NAT forwarding can change the port");
    }
  }
}
