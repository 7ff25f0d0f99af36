package io.lvsoperator.agent.node;

import io.lvsoperator.agent.ipvs.SyncDaemon;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The kernel's IPVS connection sync daemons, as {@link ConnectionSyncFollower} drives them. The
 * host's is {@code host.ipvs.KernelSyncDaemons}; tests use a fake.
 */
public interface SyncDaemons {

  /** The daemons running, with the settings the kernel uses. */
  List<SyncDaemon> running() throws IOException;

  /** Starts one (EEXIST when a daemon of that state runs already). */
  void start(SyncDaemon daemon) throws IOException;

  /** Stops the daemon of {@code state} (IP_VS_STATE_MASTER or IP_VS_STATE_BACKUP). */
  void stop(int state) throws IOException;

  /**
   * The daemons (as {@link #key}s) this agent recorded as started and not yet stopped, by this run
   * or an earlier one: its own to stop even when the spec no longer names them. None by default.
   */
  default Set<String> recorded() throws IOException {
    return Set.of();
  }

  /** Replaces the record (written before a daemon starts, so a crash cannot lose one). */
  default void record(Set<String> keys) throws IOException {}

  /** A daemon's identity in the record: {@code <interface> <sync id>}. */
  static String key(SyncDaemon daemon) {
    return daemon.interfaceName() + " " + daemon.syncId();
  }

  /**
   * The connections in this node's IPVS table by where they came from, or empty when the kernel
   * does not say.
   */
  Optional<ConnectionOrigins> connections() throws IOException;

  /**
   * Connection entries by origin (the kernel's /proc/net/ip_vs_conn_sync column "Origin").
   *
   * @param local made by this node's IPVS for packets it received
   * @param synced received from a master's sync daemon (IP_VS_CONN_F_SYNC)
   */
  record ConnectionOrigins(long local, long synced) {}
}
