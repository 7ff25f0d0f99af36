package io.lvsoperator.agent.dr;

import io.lvsoperator.agent.rtnl.RtnlClient;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real-server side of LVS-DR: the node answers for VIPs it holds on {@code lo}/32 but must
 * never ARP for them, so arp_ignore=1 and arp_announce=2 are set (on {@code all} and on each given
 * interface) before the first VIP goes on lo, and restored after the last one is gone.
 *
 * <p>Crash-safe: the original sysctl values and the VIPs we added are written to a state file
 * before anything changes, and only the first recorded original of a key is kept, so re-running
 * after a crash restores what was there before us, not our own values. Idempotent.
 */
public final class DrRealServer {

  private static final Logger LOG = LoggerFactory.getLogger(DrRealServer.class);
  static final String LOOPBACK = "lo";
  private static final String ORIGINAL = "original.";
  private static final String VIP = "vip.";

  /** Puts addresses on lo; the real one is rtnetlink. */
  public interface LoopbackAddresses {
    /** Adds {@code vip}/32 to lo; fine when already there. */
    void add(Inet4Address vip) throws IOException;

    /** Removes {@code vip}/32 from lo; fine when absent. */
    void remove(Inet4Address vip) throws IOException;
  }

  /** rtnetlink-backed {@link LoopbackAddresses}. */
  public static LoopbackAddresses rtnetlink(RtnlClient rtnl) {
    return new LoopbackAddresses() {
      @Override
      public void add(Inet4Address vip) throws IOException {
        rtnl.addAddress(LOOPBACK, vip, 32, null);
      }

      @Override
      public void remove(Inet4Address vip) throws IOException {
        rtnl.removeAddress(LOOPBACK, vip, 32);
      }
    };
  }

  private final Sysctl sysctl;
  private final LoopbackAddresses loopback;
  private final Path stateFile;

  public DrRealServer(Sysctl sysctl, LoopbackAddresses loopback, Path stateDirectory) {
    this.sysctl = sysctl;
    this.loopback = loopback;
    this.stateFile = stateDirectory.resolve("dr-real-server.properties");
  }

  /** The settings DR needs, in the order they are applied. */
  static List<String[]> settings(List<String> interfaces) {
    List<String[]> out = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    names.add("all");
    names.addAll(interfaces);
    for (String nif : names) {
      out.add(new String[] {"net.ipv4.conf." + nif + ".arp_ignore", "1"});
      out.add(new String[] {"net.ipv4.conf." + nif + ".arp_announce", "2"});
    }
    return out;
  }

  /**
   * Makes the node hold exactly {@code vips} on lo/32 with the ARP sysctls set on {@code all} and
   * {@code interfaces}; with no VIPs, undoes everything and restores the original values.
   */
  public void apply(List<Inet4Address> vips, List<String> interfaces) throws IOException {
    for (String nif : interfaces) {
      if (nif.isEmpty() || nif.contains("/") || nif.contains(".") || nif.length() > 15) {
        throw new IllegalArgumentException("DR interface: '" + nif + "' is not an interface name");
      }
    }
    Properties state = load();
    Set<String> wanted = new TreeSet<>();
    vips.forEach(v -> wanted.add(v.getHostAddress()));
    Set<String> held = heldVips(state);

    if (!wanted.isEmpty()) {
      // 1. Sysctls first, so lo never holds a VIP while the node would still ARP for it.
      for (String[] setting : settings(interfaces)) {
        String key = setting[0];
        if (!state.containsKey(ORIGINAL + key)) {
          state.setProperty(ORIGINAL + key, sysctl.read(key));
          save(state);
        }
        if (!sysctl.read(key).equals(setting[1])) {
          sysctl.write(key, setting[1]);
          LOG.info("event=sysctl_set key={} value={}", key, setting[1]);
        }
      }
      // 2. Then the VIPs, each recorded before it is added.
      for (Inet4Address vip : vips) {
        if (!held.contains(vip.getHostAddress())) {
          state.setProperty(VIP + vip.getHostAddress(), "lo/32");
          save(state);
        }
        loopback.add(vip);
      }
    }
    // 3. VIPs no longer wanted go.
    for (String old : held) {
      if (!wanted.contains(old)) {
        loopback.remove((Inet4Address) InetAddress.getByName(old));
        state.remove(VIP + old);
        save(state);
        LOG.info("event=dr_vip_removed vip={}", old);
      }
    }
    // 4. Nothing left: restore the sysctls, newest first, and forget.
    if (wanted.isEmpty()) {
      restore(state);
    }
  }

  /** Undoes everything this node did (uninstall, or no DR real servers left). */
  public void cleanup() throws IOException {
    apply(List.of(), List.of());
  }

  private void restore(Properties state) throws IOException {
    List<String> keys = new ArrayList<>();
    for (String p : state.stringPropertyNames()) {
      if (p.startsWith(ORIGINAL)) {
        keys.add(p.substring(ORIGINAL.length()));
      }
    }
    keys.sort(null);
    for (String key : keys.reversed()) {
      String original = state.getProperty(ORIGINAL + key);
      try {
        sysctl.write(key, original);
        LOG.info("event=sysctl_restored key={} value={}", key, original);
      } catch (IOException e) {
        // The interface may be gone; its settings went with it.
        LOG.warn(
            "event=sysctl_restore_failed key={} value={} error=\"{}\"",
            key,
            original,
            e.getMessage());
      }
      state.remove(ORIGINAL + key);
    }
    Files.deleteIfExists(stateFile);
  }

  private static Set<String> heldVips(Properties state) {
    Set<String> vips = new TreeSet<>();
    for (String p : state.stringPropertyNames()) {
      if (p.startsWith(VIP)) {
        vips.add(p.substring(VIP.length()));
      }
    }
    return vips;
  }

  /** The VIPs recorded as ours (for status and tests). */
  public Set<String> heldVips() throws IOException {
    return heldVips(load());
  }

  private Properties load() throws IOException {
    Properties p = new Properties();
    if (Files.exists(stateFile)) {
      try (Reader r = Files.newBufferedReader(stateFile, StandardCharsets.UTF_8)) {
        p.load(r);
      }
    }
    return p;
  }

  private void save(Properties state) throws IOException {
    Path dir = stateFile.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "dr-real-server", ".tmp");
    try {
      try (Writer w = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
        state.store(w, "lvs-operator DR real-server state: original sysctls and VIPs on lo");
      }
      try {
        Files.move(
            temp, stateFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, stateFile, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
