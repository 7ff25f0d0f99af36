package io.lvsoperator.compiler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.lvsoperator.api.v1alpha1.RealServer;
import io.lvsoperator.api.v1alpha1.TenantPolicySpec.SpecialAddress;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import io.lvsoperator.api.v1alpha1.VirtualServerSpec;
import io.lvsoperator.api.v1alpha1.VrrpInstance;
import io.lvsoperator.api.v1alpha1.VrrpInstanceSpec;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Checks objects against the {@link TenantPolicies} (pure): which of their fields use what the
 * policies naming their namespace do not allow. Each violation names the field, the value and the
 * policy, e.g. {@code spec.realServers[0].address: 127.0.0.1 is loopback, refused by TenantPolicy
 * team-a}.
 *
 * <p>What is checked: VIPs ({@code spec.vip} and every address of {@code spec.additionalAddresses}
 * of a VirtualServer, {@code spec.addresses} and {@code spec.excludedAddresses} of a VrrpInstance)
 * lie in {@code vipRanges} and are never loopback, link-local, multicast, unspecified or a node's
 * own address; real servers (a VirtualServer's {@code spec.realServers} and {@code
 * spec.sorryServer}, a RealServer's {@code spec.address}) lie in {@code realServerRanges}, and are
 * loopback, link-local or a node's own address only where {@code allow} says so; the nodes real
 * servers name ({@code node}, where DR puts the VIP on lo) are in {@code realServerNodes}; the
 * directors {@code spec.directors.nodes} names are allowed. Nodes {@code
 * spec.directors.nodeSelector} selects are filtered instead ({@link #mayDirect}). Addresses that do
 * not parse are left to validation.
 */
final class TenantPolicyCheck {
  private final TenantPolicies policies;
  private final Map<InetAddress, String> nodeAddresses = new HashMap<>();
  private final Map<String, NodeInfo> nodes = new HashMap<>();

  /**
   * @param nodes the cluster's nodes: their addresses are refused as real servers unless allowed,
   *     and never VIPs
   */
  TenantPolicyCheck(TenantPolicies policies, Collection<NodeInfo> nodes) {
    this.policies = policies;
    for (NodeInfo n : nodes) {
      this.nodes.putIfAbsent(n.name(), n);
      for (String a : n.addresses()) {
        Addresses.parse(a).ifPresent(ip -> nodeAddresses.putIfAbsent(ip, n.name()));
      }
    }
  }

  List<FieldError> virtualServer(VirtualServer vs) {
    VirtualServerSpec spec = vs.getSpec();
    Violations v = start(vs);
    if (v.rules.isEmpty() || spec == null) {
      return v.list();
    }
    v.vip("spec.vip", spec.vip());
    if (spec.additionalAddresses() != null) {
      for (int i = 0; i < spec.additionalAddresses().size(); i++) {
        var a = spec.additionalAddresses().get(i);
        if (a != null) {
          String path = "spec.additionalAddresses[" + i + "].address";
          for (String one : ServiceOptions.expand(path, a.address(), new FieldErrors())) {
            if (v.vip(path, one)) {
              break; // one message per range
            }
          }
        }
      }
    }
    if (spec.realServers() != null) {
      for (int i = 0; i < spec.realServers().size(); i++) {
        var rs = spec.realServers().get(i);
        if (rs != null) {
          v.realServer("spec.realServers[" + i + "].address", rs.address());
          v.realServerNode("spec.realServers[" + i + "].node", rs.node());
        }
      }
    }
    if (spec.sorryServer() != null) {
      v.realServer("spec.sorryServer.address", spec.sorryServer().address());
    }
    v.directors(spec.directors());
    return v.list();
  }

  List<FieldError> vrrpInstance(VrrpInstance vi) {
    VrrpInstanceSpec spec = vi.getSpec();
    Violations v = start(vi);
    if (v.rules.isEmpty() || spec == null) {
      return v.list();
    }
    addresses(v, "spec.addresses", spec.addresses());
    addresses(v, "spec.excludedAddresses", spec.excludedAddresses());
    v.directors(spec.directors());
    return v.list();
  }

  List<FieldError> realServer(RealServer rs) {
    Violations v = start(rs);
    if (!v.rules.isEmpty() && rs.getSpec() != null) {
      v.realServer("spec.address", rs.getSpec().address());
      v.realServerNode("spec.node", rs.getSpec().node());
    }
    return v.list();
  }

  /**
   * Whether the objects of a namespace may use this node as a director: every policy naming the
   * namespace allows it (a namespace no policy names: any node).
   */
  boolean mayDirect(String namespace, NodeInfo node) {
    return policies.governing(namespace).stream().allMatch(r -> r.allowsDirector(node));
  }

  private static void addresses(Violations v, String path, List<VrrpInstanceSpec.Address> list) {
    if (list == null) {
      return;
    }
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) != null) {
        v.vip(path + "[" + i + "].address", list.get(i).address());
      }
    }
  }

  private Violations start(HasMetadata object) {
    String namespace = ObjectKey.of(object).namespace();
    Violations v = new Violations(policies.governing(namespace));
    if (v.rules.isEmpty() && policies.required()) {
      v.errors.add(
          new FieldError(
              "metadata.namespace",
              namespace,
              "is named by no TenantPolicy, and a policy is required (tenantPolicy.required):"
                  + " nothing of it runs"));
    }
    return v;
  }

  /** The violations of one object against the policies naming its namespace. */
  private final class Violations {
    final List<TenantPolicies.Rule> rules;
    final List<FieldError> errors = new ArrayList<>();

    Violations(List<TenantPolicies.Rule> rules) {
      this.rules = rules;
    }

    List<FieldError> list() {
      return List.copyOf(errors);
    }

    /** Checks one VIP; whether it was refused. */
    boolean vip(String path, String text) {
      Optional<InetAddress> parsed = Addresses.parse(text);
      if (parsed.isEmpty()) {
        return false;
      }
      InetAddress ip = parsed.get();
      int before = errors.size();
      for (TenantPolicies.Rule r : rules) {
        String special = neverVip(ip);
        if (special != null) {
          refuse(path, text, special + ", never a VIP, refused by TenantPolicy " + r.name());
        } else if (r.vipRanges().stream().noneMatch(c -> c.contains(ip))) {
          refuse(path, text, outside("VIP", r.name(), r.vipRanges()));
        }
      }
      return errors.size() > before;
    }

    void realServer(String path, String text) {
      Optional<InetAddress> parsed = Addresses.parse(text);
      if (parsed.isEmpty()) {
        return;
      }
      InetAddress ip = parsed.get();
      for (TenantPolicies.Rule r : rules) {
        if (r.realServerRanges().stream().noneMatch(c -> c.contains(ip))) {
          refuse(path, text, outside("real-server", r.name(), r.realServerRanges()));
          continue;
        }
        String special = specialRealServer(ip, r);
        if (special != null) {
          refuse(path, text, special + ", refused by TenantPolicy " + r.name());
        }
      }
    }

    /** A DR real server's node: its agent puts the VIP on lo and sets the ARP sysctls there. */
    void realServerNode(String path, String name) {
      if (name == null) {
        return;
      }
      NodeInfo node = nodeNamed(name);
      for (TenantPolicies.Rule r : rules) {
        if (!r.realServerNodes().allows(node)) {
          refuse(path, name, "is not a real-server node TenantPolicy " + r.name() + " allows");
        }
      }
    }

    void directors(VirtualServerSpec.Directors directors) {
      if (directors == null || directors.nodes() == null) {
        return;
      }
      for (int i = 0; i < directors.nodes().size(); i++) {
        var d = directors.nodes().get(i);
        if (d == null || d.name() == null) {
          continue;
        }
        NodeInfo node = nodeNamed(d.name());
        for (TenantPolicies.Rule r : rules) {
          if (!r.allowsDirector(node)) {
            refuse(
                "spec.directors.nodes[" + i + "].name",
                d.name(),
                "is not a director node TenantPolicy " + r.name() + " allows");
          }
        }
      }
    }

    private void refuse(String path, String value, String message) {
      errors.add(new FieldError(path, value, message));
    }
  }

  /** What makes an address unfit as a VIP whatever the ranges say, or null. */
  private String neverVip(InetAddress ip) {
    if (ip.isLoopbackAddress()) {
      return "is loopback";
    }
    if (ip.isLinkLocalAddress()) {
      return "is link-local";
    }
    if (ip.isMulticastAddress()) {
      return "is multicast";
    }
    if (ip.isAnyLocalAddress()) {
      return "is unspecified";
    }
    String node = nodeAddresses.get(ip);
    return node == null ? null : "is the address of node " + node;
  }

  /** What makes an address a special real server this policy does not allow, or null. */
  private String specialRealServer(InetAddress ip, TenantPolicies.Rule r) {
    if (ip.isLoopbackAddress() && !r.allow().contains(SpecialAddress.Loopback)) {
      return "is loopback";
    }
    if (ip.isLinkLocalAddress() && !r.allow().contains(SpecialAddress.LinkLocal)) {
      return "is link-local";
    }
    if (ip.isMulticastAddress()) {
      return "is multicast";
    }
    if (ip.isAnyLocalAddress()) {
      return "is unspecified";
    }
    String node = nodeAddresses.get(ip);
    if (node != null && !r.allow().contains(SpecialAddress.NodeAddresses)) {
      return "is the address of node " + node;
    }
    return null;
  }

  /** A node by name; one that does not exist has no labels (only its name can allow it). */
  private NodeInfo nodeNamed(String name) {
    return nodes.getOrDefault(name, NodeInfo.named(name));
  }

  private static String outside(String kind, String policy, List<Cidr> ranges) {
    return "is outside the "
        + kind
        + " ranges of TenantPolicy "
        + policy
        + (ranges.isEmpty()
            ? " (it allows none)"
            : " (" + ranges.stream().map(Cidr::toString).collect(Collectors.joining(", ")) + ")");
  }
}
