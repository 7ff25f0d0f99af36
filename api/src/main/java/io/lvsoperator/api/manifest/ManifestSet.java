package io.lvsoperator.api.manifest;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Secret;
import io.lvsoperator.api.v1alpha1.RealServer;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import io.lvsoperator.api.v1alpha1.VrrpInstance;
import java.util.List;
import java.util.Map;

/**
 * The objects read from a set of manifest files, and the documents that could not be read.
 *
 * @param problems one line per unreadable document, naming the file, the document and the field
 * @param origins where each VirtualServer, RealServer and VrrpInstance was read ({@code web.yaml
 *     document 2}), by {@link #originKey}
 */
public record ManifestSet(
    List<VirtualServer> virtualServers,
    List<RealServer> realServers,
    List<Secret> secrets,
    List<Node> nodes,
    List<String> problems,
    Map<String, String> origins,
    List<VrrpInstance> vrrpInstances) {

  public ManifestSet {
    virtualServers = List.copyOf(virtualServers);
    realServers = List.copyOf(realServers);
    secrets = List.copyOf(secrets);
    nodes = List.copyOf(nodes);
    problems = List.copyOf(problems);
    origins = Map.copyOf(origins);
    vrrpInstances = vrrpInstances == null ? List.of() : List.copyOf(vrrpInstances);
  }

  /** Without VrrpInstances. */
  public ManifestSet(
      List<VirtualServer> virtualServers,
      List<RealServer> realServers,
      List<Secret> secrets,
      List<Node> nodes,
      List<String> problems,
      Map<String, String> origins) {
    this(virtualServers, realServers, secrets, nodes, problems, origins, List.of());
  }

  /** Objects without known files (built in code, not read). */
  public ManifestSet(
      List<VirtualServer> virtualServers,
      List<RealServer> realServers,
      List<Secret> secrets,
      List<Node> nodes,
      List<String> problems) {
    this(virtualServers, realServers, secrets, nodes, problems, Map.of(), List.of());
  }

  /** The key of {@link #origins}: {@code "VirtualServer default/web"}. */
  public static String originKey(String kind, String namespace, String name) {
    return kind
        + " "
        + (namespace == null || namespace.isEmpty() ? "default" : namespace)
        + "/"
        + name;
  }

  /**
   * Where object {@code kind namespace/name} was read, as a prefix for its errors ({@code "web.yaml
   * document 2: "}), or "" when not known.
   */
  public String originPrefix(String kind, String namespace, String name) {
    String where = origins.get(originKey(kind, namespace, name));
    return where == null ? "" : where + ": ";
  }
}
