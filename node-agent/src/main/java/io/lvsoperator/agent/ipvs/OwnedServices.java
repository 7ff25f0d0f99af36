package io.lvsoperator.agent.ipvs;

import io.lvsoperator.agent.statefile.StateFile;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The services the agent owns, kept in a small state file so a restarted agent still knows which
 * kernel services are its own (and removes the ones its new config dropped) while every other
 * service stays untouched. One key per line, e.g. {@code tcp 2 10.0.0.1 80} or {@code fwmark 2 5};
 * written as a {@link StateFile} (temp file, fsync, rename, fsync of the directory). Without a file
 * it lives in memory only.
 */
public final class OwnedServices {

  private final Path file;
  private Set<IpvsServiceKey> keys;

  private OwnedServices(Path file, Set<IpvsServiceKey> keys) {
    this.file = file;
    this.keys = Set.copyOf(keys);
  }

  /**
   * Owned keys kept in {@code file} (created on first save). A line that is not a key is reported
   * and skipped: the service it named is then not taken for ours, so it is left alone, the safe
   * side. An unreadable file throws.
   */
  public static OwnedServices load(Path file) throws IOException {
    return new OwnedServices(file, Set.copyOf(new StateFile(file).readLines(OwnedServices::parse)));
  }

  /** Owned keys in memory only (tests; agents without a state directory). */
  public static OwnedServices inMemory() {
    return new OwnedServices(null, Set.of());
  }

  public Set<IpvsServiceKey> keys() {
    return keys;
  }

  /** Replaces the set and writes it through. */
  public void save(Set<IpvsServiceKey> newKeys) throws IOException {
    Set<IpvsServiceKey> copy = Set.copyOf(newKeys);
    if (file != null) {
      List<String> lines = new ArrayList<>();
      lines.add("# IPVS services owned by lvs-operator's node agent; do not edit while it runs");
      copy.stream().sorted(IpvsPlanner.KEY_ORDER).forEach(k -> lines.add(format(k)));
      new StateFile(file).writeLines(lines);
    }
    keys = copy;
  }

  static String format(IpvsServiceKey key) {
    if (key.isFwmark()) {
      return "fwmark " + key.family() + " " + key.fwmark();
    }
    return key.protocol().name().toLowerCase()
        + " "
        + key.family()
        + " "
        + key.address().getHostAddress()
        + " "
        + key.port();
  }

  static IpvsServiceKey parse(String line) throws IOException {
    String[] f = line.split("\\s+");
    if (f[0].equals("fwmark") && f.length == 3) {
      return IpvsServiceKey.ofFwmark(Integer.parseInt(f[1]), Integer.parseInt(f[2]));
    }
    if (f.length != 4) {
      throw new IOException(
          "expected '<proto> <family> <address> <port>' or 'fwmark <family> <mark>'");
    }
    IpvsProtocol protocol = IpvsProtocol.valueOf(f[0].toUpperCase());
    InetAddress address;
    try {
      address = InetAddress.ofLiteral(f[2]); // never a DNS lookup: "cafe" is not an address
    } catch (IllegalArgumentException e) {
      throw new IOException("address '" + f[2] + "' is not an IP literal");
    }
    return new IpvsServiceKey(Integer.parseInt(f[1]), protocol, address, Integer.parseInt(f[3]), 0);
  }
}
