package io.lvsoperator.agent.node;

import io.lvsoperator.agent.statefile.StateFile;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VRRP VIPs this node may hold (advertised and excluded, each on its own interface), kept in a
 * state file so that a restarted agent removes the ones a killed run left behind as the first thing
 * it does, before it reads its manifests or its LvsNode (which takes most of a start). The VRRP
 * engine removes them again per instance when it starts one, which covers a first start without the
 * file.
 *
 * <p>The file holds the VIPs of the last two specs applied, one {@code <interface>
 * <address>/<prefix>} per line: a VIP dropped by the latest spec may still be held while its master
 * hands over when the agent dies.
 */
public final class StaleVips {
  private static final Logger log = LoggerFactory.getLogger(StaleVips.class);

  /** One VIP on one interface. */
  public record Entry(String interfaceName, InetAddress address, int prefixLength) {
    String line() {
      return interfaceName + " " + address.getHostAddress() + "/" + prefixLength;
    }

    /** A line of the file: an IP literal (never looked up in DNS) and a prefix of 1-32. */
    static Entry parse(String line) {
      String[] parts = line.strip().split("\\s+");
      int slash = parts.length == 2 ? parts[1].indexOf('/') : -1;
      if (slash < 0) {
        throw new IllegalArgumentException("not '<interface> <address>/<prefix>'");
      }
      int prefix = Integer.parseInt(parts[1].substring(slash + 1));
      if (prefix < 1 || prefix > 32) {
        throw new IllegalArgumentException("prefix " + prefix + " is not in 1-32");
      }
      return new Entry(parts[0], InetAddress.ofLiteral(parts[1].substring(0, slash)), prefix);
    }
  }

  /** Removes an address; false when it was not there. */
  @FunctionalInterface
  public interface Remover {
    boolean remove(String interfaceName, InetAddress address, int prefixLength) throws IOException;
  }

  private final StateFile file;
  private Set<Entry> previous;
  private Set<Entry> written; // what the file holds, so an apply that changes no VIP writes nothing

  public StaleVips(Path file) {
    this.file = new StateFile(file);
    this.previous = new LinkedHashSet<>(read(this.file));
    this.written = previous;
  }

  /**
   * At start, before anything else: removes every VIP of the file that is on the host. An entry
   * that cannot be removed is logged and skipped.
   *
   * @return the entries removed
   */
  public List<Entry> removeRecorded(Remover remover) {
    List<Entry> removed = new ArrayList<>();
    for (Entry e : previous) {
      try {
        if (remover.remove(e.interfaceName(), e.address(), e.prefixLength())) {
          removed.add(e);
          log.info(
              "event=stale_vip_removed address={} interface={} when=start",
              e.address().getHostAddress(),
              e.interfaceName());
        }
      } catch (IOException | RuntimeException ex) {
        log.warn(
            "event=stale_vip_remove_failed address={} interface={} error=\"{}\"",
            e.address().getHostAddress(),
            e.interfaceName(),
            ex.getMessage());
      }
    }
    return removed;
  }

  /** Before {@code spec} is applied: records its VIPs and the previous spec's. */
  public void record(LvsNodeSpec spec) {
    Set<Entry> now = new LinkedHashSet<>();
    for (LvsNodeSpec.VrrpInstance i : spec.vrrpInstances()) {
      for (List<LvsNodeSpec.Vip> held : List.of(i.vips(), i.excludedVips())) {
        for (LvsNodeSpec.Vip v : held) {
          now.add(
              new Entry(
                  v.interfaceOr(i.interfaceName()),
                  InetAddress.ofLiteral(v.address()),
                  v.prefixLength()));
        }
      }
    }
    Set<Entry> both = new LinkedHashSet<>(previous);
    both.addAll(now);
    previous = now;
    if (both.equals(written)) {
      return;
    }
    try {
      file.writeLines(both.stream().map(Entry::line).toList());
      written = both;
    } catch (IOException e) {
      log.warn("event=stale_vips_unsaved file={} error=\"{}\"", file, e.getMessage());
    }
  }

  private static List<Entry> read(StateFile file) {
    try {
      return file.readLines(Entry::parse);
    } catch (IOException e) {
      log.warn("event=stale_vips_unreadable file={} error=\"{}\"", file.path(), e.getMessage());
      return List.of();
    }
  }
}
