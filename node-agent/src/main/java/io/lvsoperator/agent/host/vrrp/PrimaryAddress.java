package io.lvsoperator.agent.host.vrrp;

import io.lvsoperator.agent.host.vrrp.RawSocketVrrpTransport.PrimaryAddressSource;
import java.io.IOException;
import java.net.Inet4Address;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An interface's primary IPv4 address as a transport knows it: the source of its adverts. A look-up
 * that fails says nothing about the address, so the one known is kept: a dump of the interface's
 * addresses that the kernel keeps interrupting (NLM_F_DUMP_INTR, because addresses change while it
 * runs, as they do all the time on a master renewing the lifetimes of thousands of VIPs) must not
 * leave the adverts without a source (docs/vrrp.md).
 */
final class PrimaryAddress {
  private static final Logger log = LoggerFactory.getLogger(PrimaryAddress.class);

  private final String interfaceName;
  private final PrimaryAddressSource source;
  private volatile Inet4Address current;
  private volatile byte[] bytes = new byte[4];

  PrimaryAddress(String interfaceName, PrimaryAddressSource source) {
    this.interfaceName = interfaceName;
    this.source = source;
  }

  /** Looks the address up again; on failure keeps the one known. Returns the address now known. */
  Inet4Address refresh() {
    Inet4Address found;
    try {
      found = source.primaryOf(interfaceName).orElse(null);
    } catch (IOException | RuntimeException e) {
      log.warn(
          "event=vrrp_primary_lookup_failed interface={} kept={} error=\"{}\"",
          interfaceName,
          current == null ? "none" : current.getHostAddress(),
          e.toString());
      return current;
    }
    if (found == null ? current != null : !found.equals(current)) {
      log.info(
          "event=vrrp_primary_address interface={} address={}",
          interfaceName,
          found == null ? "none" : found.getHostAddress());
      bytes = found == null ? new byte[4] : found.getAddress();
    }
    current = found;
    return found;
  }

  /** The address known, null when the interface had none at the last successful look-up. */
  Inet4Address current() {
    return current;
  }

  /** The address known as 4 bytes, 0.0.0.0 when none. */
  byte[] bytes() {
    return bytes;
  }
}
