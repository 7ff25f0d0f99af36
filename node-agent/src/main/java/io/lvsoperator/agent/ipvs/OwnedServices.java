package io.lvsoperator.agent.ipvs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The services the agent owns, kept in a small state file so a restarted agent still knows which
 * kernel services are its own (and removes the ones its new config dropped) while every other
 * service stays untouched. One key per line, e.g. {@code tcp 2 10.0.0.1 80} or {@code fwmark 2 5};
 * written atomically (temp file + rename). Without a file it lives in memory only.
 */
public final class OwnedServices {

  private final Path file;
  private Set<IpvsServiceKey> keys;

  private OwnedServices(Path file, Set<IpvsServiceKey> keys) {
    this.file = file;
    this.keys = Set.copyOf(keys);
  }

  /** Owned keys kept in {@code file} (created on first save). */
  public static OwnedServices load(Path file) throws IOException {
    Set<IpvsServiceKey> keys = new HashSet<>();
    if (Files.exists(file)) {
      int lineNumber = 0;
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        lineNumber++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        try {
          keys.add(parse(line.trim()));
        } catch (RuntimeException | IOException e) {
          throw new IOException(
              file + ":" + lineNumber + ": '" + line + "' is not a service key: " + e.getMessage(),
              e);
        }
      }
    }
    return new OwnedServices(file, keys);
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
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path temp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
      try {
        Files.write(temp, lines, StandardCharsets.UTF_8);
        try {
          Files.move(
              temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(temp);
      }
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
    if (!f[2].matches("[0-9a-fA-F:.]+")) {
      throw new IOException("address '" + f[2] + "' is not a literal");
    }
    try {
      return new IpvsServiceKey(
          Integer.parseInt(f[1]), protocol, InetAddress.getByName(f[2]), Integer.parseInt(f[3]), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
