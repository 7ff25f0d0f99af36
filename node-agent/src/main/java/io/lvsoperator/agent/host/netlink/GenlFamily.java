package io.lvsoperator.agent.host.netlink;

import java.util.Map;

/**
 * A generic netlink family as the controller describes it.
 *
 * @param id the message type to use for this family
 * @param name the family name (e.g. "IPVS")
 * @param version the family's version
 * @param maxAttribute the highest top-level attribute the kernel knows
 * @param multicastGroups group name to group id
 */
public record GenlFamily(
    int id, String name, int version, int maxAttribute, Map<String, Integer> multicastGroups) {
  public GenlFamily {
    multicastGroups = Map.copyOf(multicastGroups);
  }
}
