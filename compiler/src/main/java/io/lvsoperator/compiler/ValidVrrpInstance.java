package io.lvsoperator.compiler;

import io.lvsoperator.api.v1alpha1.VirtualServerSpec.DirectorNode;
import java.util.List;
import java.util.Map;

/**
 * A VrrpInstance that passed validation, with every default resolved.
 *
 * @param addresses its own advertised addresses, in the order given
 * @param excludedAddresses its own addresses that are held but never advertised
 */
record ValidVrrpInstance(
    ObjectKey key,
    long generation,
    ValidVirtualServer.VrrpSettings vrrp,
    List<DirectorNode> directorNodes,
    Map<String, String> directorSelector,
    List<HeldAddress> addresses,
    List<HeldAddress> excludedAddresses) {

  /**
   * One address of the instance's own, defaults resolved.
   *
   * @param interfaceName the interface when not the instance's, else null
   * @param path where it was written, e.g. spec.addresses[2]
   */
  record HeldAddress(
      String address, int prefixLength, String label, String interfaceName, String path) {}
}
