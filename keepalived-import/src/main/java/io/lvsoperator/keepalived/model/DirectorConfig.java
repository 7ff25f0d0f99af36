package io.lvsoperator.keepalived.model;

import io.lvsoperator.keepalived.conf.Diagnostic;
import java.util.List;

/**
 * One director's keepalived configuration as the import understands it.
 *
 * @param node the node that runs it
 * @param file the main file, as named on the command line
 * @param diagnostics what was not read or not understood, line by line
 */
public record DirectorConfig(
    String node,
    String file,
    GlobalDefs globals,
    List<VrrpInstanceConf> instances,
    List<SyncGroupConf> syncGroups,
    List<VsGroupConf> virtualServerGroups,
    List<VirtualServerConf> virtualServers,
    List<Diagnostic> diagnostics) {
  public DirectorConfig {
    instances = List.copyOf(instances);
    syncGroups = List.copyOf(syncGroups);
    virtualServerGroups = List.copyOf(virtualServerGroups);
    virtualServers = List.copyOf(virtualServers);
    diagnostics = List.copyOf(diagnostics);
  }
}
