package io.lvsoperator.api.manifest;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Secret;
import io.lvsoperator.api.v1alpha1.RealServer;
import io.lvsoperator.api.v1alpha1.VirtualServer;
import java.util.List;

/**
 * The objects read from a set of manifest files, and the documents that could not be read.
 *
 * @param problems one line per unreadable document, naming the file, the document and the field
 */
public record ManifestSet(
    List<VirtualServer> virtualServers,
    List<RealServer> realServers,
    List<Secret> secrets,
    List<Node> nodes,
    List<String> problems) {

  public ManifestSet {
    virtualServers = List.copyOf(virtualServers);
    realServers = List.copyOf(realServers);
    secrets = List.copyOf(secrets);
    nodes = List.copyOf(nodes);
    problems = List.copyOf(problems);
  }
}
