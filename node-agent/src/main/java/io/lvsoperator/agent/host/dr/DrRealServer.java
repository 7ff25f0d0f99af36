package io.lvsoperator.agent.host.dr;

import io.lvsoperator.agent.host.rtnl.RtnlClient;
import io.lvsoperator.agent.statefile.StateFile;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * <p>Interface names are taken as Linux takes them, dots included ({@code eth0.100}); an invalid
 * name, or an interface whose sysctls cannot be set, is skipped and reported without holding up the
 * others (see {@link #apply}).
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

  /** The settings DR needs on each interface, in the order they are applied. */
  private static final List<Setting> SETTINGS =
      List.of(new Setting("arp_ignore", "1"), new Setting("arp_announce", "2"));

  /** One per-interface IPv4 sysctl and the value DR needs. */
  private record Setting(String name, String value) {}

  /**
   * Whether Linux accepts {@code name} as an interface name, as the kernel's {@code dev_valid_name}
   * decides: 1 to 15 bytes, not "." or "..", and no '/', ':' or whitespace. Dots are fine ({@code
   * eth0.100}, a VLAN), and {@code /proc/sys/net/ipv4/conf/} has a directory of that very name.
   */
  static boolean isInterfaceName(String name) {
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    if (bytes.length < 1 || bytes.length > 15 || name.equals(".") || name.equals("..")) {
      return false;
    }
    for (byte b : bytes) {
      // The kernel's isspace(): \t \n \v \f \r, space, and 0xA0 (Latin-1 no-break space).
      boolean space = (b >= 0x09 && b <= 0x0d) || b == ' ' || b == (byte) 0xa0;
      if (b == '/' || b == ':' || b == 0 || space) {
        return false;
      }
    }
    return true;
  }

  /**
   * Makes the node hold exactly {@code vips} on lo/32 with the ARP sysctls set on {@code all} and
   * {@code interfaces}; with no VIPs, undoes everything and restores the original values.
   *
   * <p>{@code all} comes first and must succeed: if it cannot be set, this throws and no VIP goes
   * on lo. An interface that is not a valid name, or whose sysctls cannot be read or set (it went
   * away, say), is skipped and reported, and the others and the VIPs still go through. That is
   * safe: the kernel uses the larger of the {@code all} and the per-interface value for both
   * arp_ignore and arp_announce, so {@code all} alone already stops the node from ARPing for the
   * VIPs; the per-interface values are a second line.
   *
   * @return one error per skipped interface, naming it; empty when all went through
   * @throws IOException when {@code all} or the VIPs on lo cannot be set, or the state file cannot
   *     be written
   */
  public List<String> apply(List<Inet4Address> vips, List<String> interfaces) throws IOException {
    List<String> errors = new ArrayList<>();
    Properties state = load();
    Set<String> wanted = new TreeSet<>();
    vips.forEach(v -> wanted.add(v.getHostAddress()));
    Set<String> held = heldVips(state);

    if (!wanted.isEmpty()) {
      Set<String> names = new LinkedHashSet<>();
      for (String nif : interfaces) {
        if (isInterfaceName(nif)) {
          names.add(nif);
        } else {
          LOG.warn("event=dr_interface_skipped interface=\"{}\" error=invalid_name", nif);
          errors.add(
              "DR interface '"
                  + nif
                  + "': not a valid Linux interface name (1-15 bytes, no '/', ':' or whitespace,"
                  + " not '.' or '..'); skipped");
        }
      }
      names.remove("all");
      // 1. Sysctls first, so lo never holds a VIP while the node would still ARP for it. A failure
      // on `all` throws before any VIP goes on lo; one on an interface skips just that interface.
      prepare("all", state);
      for (String nif : names) {
        try {
          prepare(nif, state);
        } catch (SysctlFailed e) {
          LOG.warn("event=dr_interface_skipped interface={} error=\"{}\"", nif, e.getMessage());
          errors.add("DR interface '" + nif + "': " + e.getMessage() + "; skipped");
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
        loopback.remove((Inet4Address) InetAddress.ofLiteral(old)); // checked: a literal, no DNS
        state.remove(VIP + old);
        save(state);
        LOG.info("event=dr_vip_removed vip={}", old);
      }
    }
    // 4. Nothing left: restore the sysctls, newest first, and forget.
    if (wanted.isEmpty()) {
      restore(state);
    }
    return errors;
  }

  /** A sysctl of one interface could not be read or set (unlike a state file that cannot). */
  private static final class SysctlFailed extends IOException {
    SysctlFailed(Exception cause) {
      super(cause.getMessage(), cause);
    }
  }

  /**
   * Records the originals of, then sets, DR's sysctls on one interface ({@code all} too).
   *
   * @throws SysctlFailed when one of the interface's sysctls cannot be read or set
   * @throws IOException when the state file cannot be written (then nothing more is changed)
   */
  private void prepare(String nif, Properties state) throws IOException {
    for (Setting setting : SETTINGS) {
      String key = Sysctl.ipv4Conf(nif, setting.name());
      String current;
      try {
        current = sysctl.read(key);
      } catch (IOException | IllegalArgumentException e) {
        throw new SysctlFailed(e);
      }
      if (!state.containsKey(ORIGINAL + key)) {
        state.setProperty(ORIGINAL + key, current);
        save(state);
      }
      if (!current.equals(setting.value())) {
        try {
          sysctl.write(key, setting.value());
        } catch (IOException | IllegalArgumentException e) {
          throw new SysctlFailed(e);
        }
        LOG.info("event=sysctl_set key={} value={}", key, setting.value());
      }
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

  /** The VIPs the state file records; an entry that is not an IPv4 literal is reported, skipped. */
  private Set<String> heldVips(Properties state) {
    Set<String> vips = new TreeSet<>();
    for (String p : state.stringPropertyNames()) {
      if (p.startsWith(VIP)) {
        String vip = p.substring(VIP.length());
        if (isIpv4Literal(vip)) {
          vips.add(vip);
        } else {
          LOG.warn(
              "event=state_file_bad_line file={} line=\"{}\"",
              stateFile,
              p.replaceAll("\\p{Cntrl}", "?"));
        }
      }
    }
    return vips;
  }

  private static boolean isIpv4Literal(String text) {
    try {
      return InetAddress.ofLiteral(text) instanceof Inet4Address;
    } catch (IllegalArgumentException e) {
      return false;
    }
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
    // State files written before interface names could contain dots used sysctl(8)'s dotted keys
    // (original.net.ipv4.conf.eth0.arp_ignore). Their interface names had no dots, so turning
    // every '.' of such a key into '/' gives the path exactly.
    for (String name : p.stringPropertyNames()) {
      if (name.startsWith(ORIGINAL) && name.indexOf('/') < 0) {
        String key = name.substring(ORIGINAL.length()).replace('.', '/');
        String value = (String) p.remove(name);
        p.putIfAbsent(ORIGINAL + key, value);
      }
    }
    return p;
  }

  /** Written as a {@link StateFile}: it holds the sysctl values to restore, so it must survive. */
  private void save(Properties state) throws IOException {
    StringWriter w = new StringWriter();
    state.store(w, "lvs-operator DR real-server state: original sysctls and VIPs on lo");
    new StateFile(stateFile).write(w.toString().getBytes(StandardCharsets.UTF_8));
  }
}
