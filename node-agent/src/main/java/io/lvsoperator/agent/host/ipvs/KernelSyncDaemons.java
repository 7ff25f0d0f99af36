package io.lvsoperator.agent.host.ipvs;

import io.lvsoperator.agent.ipvs.SyncDaemon;
import io.lvsoperator.agent.node.SyncDaemons;
import io.lvsoperator.agent.statefile.StateFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@link SyncDaemons} on the running kernel: the daemons over generic netlink (a client of its own,
 * opened at the first use, so that a node without connection sync never opens it), the connections'
 * origins from {@code /proc/net/ip_vs_conn_sync}.
 */
public final class KernelSyncDaemons implements SyncDaemons, AutoCloseable {
  /** How long a count of the connection table is reused: reading it walks the whole table. */
  static final long CONNECTIONS_CACHE_NANOS = 5_000_000_000L;

  private final Path connSync;
  private final StateFile record;
  private GenlIpvsClient client;
  private Optional<ConnectionOrigins> lastCount = Optional.empty();
  private long lastCountAt;
  private boolean counted;

  /**
   * @param record the state file of the daemons this agent started
   */
  public KernelSyncDaemons(Path record) {
    this(Path.of("/proc/net/ip_vs_conn_sync"), record);
  }

  KernelSyncDaemons(Path connSync, Path record) {
    this.connSync = connSync;
    this.record = new StateFile(record);
  }

  @Override
  public synchronized Set<String> recorded() throws IOException {
    return Set.copyOf(
        record.readLines(
            line -> {
              String[] w = line.split("\\s+");
              if (w.length != 2 || Integer.parseInt(w[1]) < 0 || Integer.parseInt(w[1]) > 255) {
                throw new IllegalArgumentException("not '<interface> <sync id>'");
              }
              return w[0] + " " + Integer.parseInt(w[1]);
            }));
  }

  @Override
  public synchronized void record(Set<String> keys) throws IOException {
    record.writeLines(List.copyOf(new TreeSet<>(keys)));
  }

  private synchronized GenlIpvsClient client() throws IOException {
    if (client == null) {
      client = GenlIpvsClient.open();
    }
    return client;
  }

  @Override
  public synchronized List<SyncDaemon> running() throws IOException {
    return client().syncDaemons();
  }

  @Override
  public synchronized void start(SyncDaemon daemon) throws IOException {
    client().startSyncDaemon(daemon);
  }

  @Override
  public synchronized void stop(int state) throws IOException {
    client().stopSyncDaemon(state);
  }

  @Override
  public synchronized Optional<ConnectionOrigins> connections() throws IOException {
    long now = System.nanoTime();
    if (counted && now - lastCountAt < CONNECTIONS_CACHE_NANOS) {
      return lastCount;
    }
    try (BufferedReader r = Files.newBufferedReader(connSync)) {
      lastCount = Optional.of(count(r));
    } catch (NoSuchFileException e) {
      lastCount = Optional.empty(); // no IPVS in this kernel (or not loaded yet)
    }
    lastCountAt = now;
    counted = true;
    return lastCount;
  }

  /**
   * Counts the entries of {@code /proc/net/ip_vs_conn_sync} by their Origin column ({@code LOCAL}
   * or {@code SYNC}: the kernel's ip_vs_origin_name); the header line has neither.
   */
  static ConnectionOrigins count(BufferedReader lines) throws IOException {
    long local = 0;
    long synced = 0;
    String line;
    while ((line = lines.readLine()) != null) {
      if (line.contains(" SYNC ")) {
        synced++;
      } else if (line.contains(" LOCAL ")) {
        local++;
      }
    }
    return new ConnectionOrigins(local, synced);
  }

  /**
   * Uninstall: stops the daemons this agent recorded as started (and only those) and empties the
   * record. Returns the errors, none when all went. Without a record the kernel is not asked.
   */
  public synchronized List<String> cleanup() {
    List<String> errors = new java.util.ArrayList<>();
    try {
      Set<String> ours = recorded();
      if (ours.isEmpty()) {
        return errors;
      }
      for (SyncDaemon d : running()) {
        if (ours.contains(SyncDaemons.key(d))) {
          stop(d.state());
        }
      }
      record(Set.of());
    } catch (IOException | RuntimeException e) {
      errors.add("sync daemon: " + e.getMessage());
    }
    return errors;
  }

  @Override
  public synchronized void close() throws IOException {
    if (client != null) {
      client.close();
      client = null;
    }
  }
}
