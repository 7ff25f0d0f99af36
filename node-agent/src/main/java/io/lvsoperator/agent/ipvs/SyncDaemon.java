package io.lvsoperator.agent.ipvs;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * The kernel's connection-synchronisation daemon (ipvsadm --start-daemon; keepalived's
 * lvs_sync_daemon). To start one, 0 and null ask for the kernel's default; the kernel reports the
 * values in use (sync_maxlen computed from the interface's MTU, port 8848, TTL 1, group
 * 224.0.0.81).
 *
 * @param state IP_VS_STATE_MASTER or IP_VS_STATE_BACKUP
 * @param interfaceName the multicast interface
 * @param syncId the SyncID (0-255) both ends use
 * @param maxLength the largest sync message in bytes (IPVS_DAEMON_ATTR_SYNC_MAXLEN), 0: from the
 *     MTU
 * @param port the UDP port (IPVS_DAEMON_ATTR_MCAST_PORT), 0: 8848
 * @param ttl the multicast TTL (IPVS_DAEMON_ATTR_MCAST_TTL), 0: 1
 * @param group the IPv4 multicast group (IPVS_DAEMON_ATTR_MCAST_GROUP), null: 224.0.0.81
 */
public record SyncDaemon(
    int state,
    String interfaceName,
    int syncId,
    int maxLength,
    int port,
    int ttl,
    InetAddress group) {
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
    if (maxLength < 0 || maxLength > 65535) {
      throw new IllegalArgumentException("sync daemon maxlen: " + maxLength + " is not 0-65535");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("sync daemon port: " + port + " is not 0-65535");
    }
    if (ttl < 0 || ttl > 255) {
      throw new IllegalArgumentException("sync daemon ttl: " + ttl + " is not 0-255");
    }
    if (group != null && !(group instanceof Inet4Address && group.isMulticastAddress())) {
      throw new IllegalArgumentException(
          "sync daemon group: " + group.getHostAddress() + " is not an IPv4 multicast address");
    }
  }

  /** With the kernel's defaults for every option. */
  public SyncDaemon(int state, String interfaceName, int syncId) {
    this(state, interfaceName, syncId, 0, 0, 0, null);
  }

  /** The same settings in another state (master or backup). */
  public SyncDaemon inState(int otherState) {
    return new SyncDaemon(otherState, interfaceName, syncId, maxLength, port, ttl, group);
  }

  public boolean master() {
    return state == IpvsConstants.IP_VS_STATE_MASTER;
  }

  /** "master" or "backup", as ipvsadm says it. */
  public String role() {
    return master() ? "master" : "backup";
  }

  /**
   * Whether this daemon, as the kernel reports it, runs what {@code wanted} asks for: the same
   * state, interface and sync id, and every option {@code wanted} sets (its 0s and null accept the
   * kernel's value).
   */
  public boolean satisfies(SyncDaemon wanted) {
    return state == wanted.state
        && interfaceName.equals(wanted.interfaceName)
        && syncId == wanted.syncId
        && (wanted.maxLength == 0 || maxLength == wanted.maxLength)
        && (wanted.port == 0 || port == wanted.port)
        && (wanted.ttl == 0 || ttl == wanted.ttl)
        && (wanted.group == null || Objects.equals(group, wanted.group));
  }

  /** ipvsadm's words, e.g. {@code master syncid=51 mcast=eth0 maxlen=1472 port=8848 ttl=1}. */
  public String describe() {
    return role()
        + " syncid="
        + syncId
        + " mcast="
        + interfaceName
        + (maxLength == 0 ? "" : " maxlen=" + maxLength)
        + (group == null ? "" : " group=" + group.getHostAddress())
        + (port == 0 ? "" : " port=" + port)
        + (ttl == 0 ? "" : " ttl=" + ttl);
  }
}
