package io.lvsoperator.agent.ipvs;

/**
 * The kernel's connection-synchronisation daemon (ipvsadm --start-daemon).
 *
 * @param state IP_VS_STATE_MASTER or IP_VS_STATE_BACKUP
 * @param interfaceName the multicast interface
 * @param syncId the SyncID (0-255) both ends use
 */
public record SyncDaemon(int state, String interfaceName, int syncId) {
  public SyncDaemon {
    if (state != IpvsConstants.IP_VS_STATE_MASTER && state != IpvsConstants.IP_VS_STATE_BACKUP) {
      throw new IllegalArgumentException(
          "sync daemon state: " + state + " is not MASTER(1) or BACKUP(2)");
    }
    if (interfaceName == null
        || interfaceName.isEmpty()
        || interfaceName.length() >= IpvsConstants.IP_VS_IFNAME_MAXLEN) {
      throw new IllegalArgumentException(
          "sync daemon interface: '" + interfaceName + "' is not an interface name");
    }
    if (syncId < 0 || syncId > 255) {
      throw new IllegalArgumentException("sync daemon syncid: " + syncId + " is not 0-255");
    }
  }
}
