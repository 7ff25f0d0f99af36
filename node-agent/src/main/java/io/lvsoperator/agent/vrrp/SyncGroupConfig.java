package io.lvsoperator.agent.vrrp;

import java.util.List;

/** Instances (by name) that change state together. */
public record SyncGroupConfig(String name, List<String> instances) {
  public SyncGroupConfig {
    if (name == null || name.isBlank()) {
      throw new VrrpConfigException("syncGroups[].name: must be given");
    }
    instances = instances == null ? List.of() : List.copyOf(instances);
    if (instances.size() < 2) {
      throw new VrrpConfigException(
          "syncGroups[" + name + "].instances: " + instances + " needs at least two instances");
    }
  }
}
