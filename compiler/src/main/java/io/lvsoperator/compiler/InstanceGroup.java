package io.lvsoperator.compiler;

import java.util.ArrayList;
import java.util.List;

/** VirtualServers sharing one VIP, hence one VRRP instance. The first (oldest) member leads. */
final class InstanceGroup {
  final List<VirtualServerEntry> members = new ArrayList<>();
  Integer vrid;
  String instanceName;
  List<DirectorAssignment> directors = List.of();
  List<String> missingDirectors = List.of();

  VirtualServerEntry leader() {
    return members.getFirst();
  }

  ValidVirtualServer.VrrpSettings vrrp() {
    return leader().valid.vrrp();
  }
}
