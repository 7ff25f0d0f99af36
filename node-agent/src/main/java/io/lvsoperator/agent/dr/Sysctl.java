package io.lvsoperator.agent.dr;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads and writes sysctls as files under a root ({@code /proc/sys} for real; a temp directory in
 * unit tests). Keys use dots, like sysctl(8): {@code net.ipv4.conf.all.arp_ignore}.
 */
public final class Sysctl {

  private final Path root;

  public Sysctl(Path root) {
    this.root = root;
  }

  public static Sysctl proc() {
    return new Sysctl(Path.of("/proc/sys"));
  }

  private Path path(String key) {
    if (!key.matches("[A-Za-z0-9_.:-]+") || key.contains("..")) {
      throw new IllegalArgumentException("sysctl key: '" + key + "' is not a sysctl name");
    }
    // Interface names may contain dots; sysctl(8) writes them as '/'. We only take names without.
    return root.resolve(key.replace('.', '/'));
  }

  public String read(String key) throws IOException {
    try {
      return Files.readString(path(key), StandardCharsets.US_ASCII).strip();
    } catch (NoSuchFileException e) {
      throw new IOException("sysctl " + key + ": does not exist (" + e.getFile() + ")", e);
    }
  }

  public void write(String key, String value) throws IOException {
    try {
      Files.writeString(path(key), value + "\n", StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new IOException("sysctl " + key + ": does not exist (" + e.getFile() + ")", e);
    } catch (IOException e) {
      throw new IOException("sysctl " + key + "=" + value + ": " + e.getMessage(), e);
    }
  }
}
