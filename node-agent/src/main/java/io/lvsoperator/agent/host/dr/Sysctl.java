package io.lvsoperator.agent.host.dr;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads and writes sysctls as files under a root ({@code /proc/sys} for real; a temp directory in
 * unit tests). A sysctl is named by its path under the root, with '/' between the parts: {@code
 * net/ipv4/conf/eth0.100/arp_ignore} (sysctl(8) takes this form too). Not the dotted form {@code
 * net.ipv4.conf.eth0.arp_ignore}: interface names may contain dots (VLANs: {@code eth0.100}), and
 * the dotted form cannot tell those from separators.
 */
public final class Sysctl {

  private final Path root;

  public Sysctl(Path root) {
    this.root = root;
  }

  public static Sysctl proc() {
    return new Sysctl(Path.of("/proc/sys"));
  }

  /**
   * The path of an IPv4 per-interface setting, e.g. {@code ipv4Conf("eth0.100", "arp_ignore")} is
   * {@code net/ipv4/conf/eth0.100/arp_ignore}. The interface name is taken verbatim.
   */
  public static String ipv4Conf(String interfaceName, String setting) {
    return "net/ipv4/conf/" + interfaceName + "/" + setting;
  }

  private Path path(String key) {
    if (key.indexOf('/') < 0) {
      throw new IllegalArgumentException(
          "sysctl path: '"
              + key
              + "' has no '/'; give the path under /proc/sys, e.g. net/ipv4/conf/all/arp_ignore");
    }
    for (String part : key.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..") || part.indexOf('\0') >= 0) {
        throw new IllegalArgumentException(
            "sysctl path: '" + key + "' has an empty, '.', '..' or NUL-containing part");
      }
    }
    return root.resolve(key);
  }

  /** The value of sysctl {@code key} (a path under the root), without the trailing newline. */
  public String read(String key) throws IOException {
    try {
      return Files.readString(path(key), StandardCharsets.US_ASCII).strip();
    } catch (NoSuchFileException e) {
      throw new IOException("sysctl " + key + ": does not exist (" + e.getFile() + ")", e);
    }
  }

  /** Sets sysctl {@code key} (a path under the root) to {@code value}. */
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
