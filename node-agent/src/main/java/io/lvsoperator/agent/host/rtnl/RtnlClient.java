package io.lvsoperator.agent.host.rtnl;

import io.lvsoperator.agent.host.ffm.Errno;
import io.lvsoperator.agent.host.ffm.NetworkInterfaces;
import io.lvsoperator.agent.host.netlink.ChannelTransport;
import io.lvsoperator.agent.host.netlink.NetlinkClient;
import io.lvsoperator.agent.host.netlink.NetlinkConstants;
import io.lvsoperator.agent.host.netlink.NetlinkException;
import io.lvsoperator.agent.host.netlink.NetlinkMessage;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Addresses and links over rtnetlink. Thread-safe (the {@link NetlinkClient} serialises requests).
 */
public final class RtnlClient implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RtnlClient.class);

  private final NetlinkClient client;

  public RtnlClient(NetlinkClient client) {
    this.client = client;
  }

  public static RtnlClient open() throws IOException {
    return new RtnlClient(new NetlinkClient(ChannelTransport.open(NetlinkConstants.NETLINK_ROUTE)));
  }

  /** The index of interface {@code name}; ENODEV when there is none. */
  public int indexOf(String name) throws IOException {
    return NetworkInterfaces.indexOf(name);
  }

  /**
   * Adds {@code address/prefixLength} to interface {@code interfaceName}, labelled {@code label}
   * (IPv4 only; null for none; must start with the interface name, e.g. eth0:1). Returns false when
   * the address was already there (EEXIST), which is fine.
   */
  public boolean addAddress(
      String interfaceName, InetAddress address, int prefixLength, String label)
      throws IOException {
    validate(interfaceName, address, prefixLength, label);
    int index = indexOf(interfaceName);
    String op =
        "RTM_NEWADDR "
            + address.getHostAddress()
            + "/"
            + prefixLength
            + " dev "
            + interfaceName
            + (label == null ? "" : " label " + label);
    try {
      client.request(RtnlCodec.newAddress(index, address, prefixLength, label), op);
      LOG.info(
          "event=address_added address={}/{} interface={} label={}",
          address.getHostAddress(),
          prefixLength,
          interfaceName,
          label);
      return true;
    } catch (NetlinkException e) {
      if (e.errno() == Errno.EEXIST) {
        return false;
      }
      throw e;
    }
  }

  /**
   * Adds {@code address/prefixLength} with a finite {@code lifetime}, or renews the lifetime of the
   * address that is there ({@code ip addr replace ... valid_lft V preferred_lft P}): the kernel
   * removes it by itself unless it is renewed in time. Label as for {@link #addAddress}.
   */
  public void putAddress(
      String interfaceName,
      InetAddress address,
      int prefixLength,
      String label,
      AddressLifetime lifetime)
      throws IOException {
    validate(interfaceName, address, prefixLength, label);
    int index = indexOf(interfaceName);
    client.request(
        RtnlCodec.putAddress(index, address, prefixLength, label, lifetime),
        "RTM_NEWADDR replace "
            + address.getHostAddress()
            + "/"
            + prefixLength
            + " dev "
            + interfaceName
            + " valid_lft "
            + lifetime.validSeconds());
    LOG.info(
        "event=address_added address={}/{} interface={} label={} valid_lft_s={}",
        address.getHostAddress(),
        prefixLength,
        interfaceName,
        label,
        lifetime.validSeconds());
  }

  /** One address whose lifetime {@link #renewAddresses} renews. */
  public record Renewal(
      String interfaceName, InetAddress address, int prefixLength, String label) {}

  /**
   * Renews the lifetime of many addresses in one pipelined exchange (re-adding any that is gone),
   * quietly: a master does this several times a second. Returns one error text per address that the
   * kernel refused (or that names no interface), none when all went through.
   */
  public List<String> renewAddresses(List<Renewal> renewals, AddressLifetime lifetime)
      throws IOException {
    List<NetlinkMessage> messages = new ArrayList<>(renewals.size());
    List<String> errors = new ArrayList<>();
    List<Renewal> sent = new ArrayList<>(renewals.size());
    // One if_nametoindex per interface, not per address (a socket, an ioctl and a close each, for
    // every VIP four times a second).
    Map<String, Integer> indexes = new HashMap<>();
    for (Renewal r : renewals) {
      try {
        validate(r.interfaceName(), r.address(), r.prefixLength(), r.label());
        Integer index = indexes.get(r.interfaceName());
        if (index == null) {
          index = indexOf(r.interfaceName());
          indexes.put(r.interfaceName(), index);
        }
        messages.add(
            RtnlCodec.putAddress(index, r.address(), r.prefixLength(), r.label(), lifetime));
        sent.add(r);
      } catch (IOException | IllegalArgumentException e) {
        errors.add(describe(r) + ": " + e.getMessage());
      }
    }
    if (messages.isEmpty()) {
      return errors;
    }
    List<NetlinkClient.BatchResult> results =
        client.requestAll(messages, RENEWALS_PER_DATAGRAM, "RTM_NEWADDR renew");
    for (int i = 0; i < results.size(); i++) {
      NetlinkClient.BatchResult r = results.get(i);
      if (!r.ok()) {
        errors.add(
            new NetlinkException(describe(sent.get(i)), r.errno(), r.extendedAck()).getMessage());
      }
    }
    return errors;
  }

  /** Requests per datagram when renewing: keeps the ACKs within the socket's buffer. */
  static final int RENEWALS_PER_DATAGRAM = 64;

  private static String describe(Renewal r) {
    return "RTM_NEWADDR renew "
        + r.address().getHostAddress()
        + "/"
        + r.prefixLength()
        + " dev "
        + r.interfaceName();
  }

  /** Removes {@code address/prefixLength}; false when it was not there (EADDRNOTAVAIL). */
  public boolean removeAddress(String interfaceName, InetAddress address, int prefixLength)
      throws IOException {
    int index = indexOf(interfaceName);
    String op =
        "RTM_DELADDR " + address.getHostAddress() + "/" + prefixLength + " dev " + interfaceName;
    try {
      client.request(RtnlCodec.deleteAddress(index, address, prefixLength), op);
      LOG.info(
          "event=address_removed address={}/{} interface={}",
          address.getHostAddress(),
          prefixLength,
          interfaceName);
      return true;
    } catch (NetlinkException e) {
      if (e.errno() == Errno.EADDRNOTAVAIL) {
        return false;
      }
      throw e;
    }
  }

  /** Every address of every interface (IPv4 and IPv6). */
  public List<InterfaceAddress> addresses() throws IOException {
    List<InterfaceAddress> out = new ArrayList<>();
    for (NetlinkMessage m :
        client.dump(RtnlCodec.dumpAddresses(RtnlConstants.AF_UNSPEC), "RTM_GETADDR dump")) {
      if (m.type() == RtnlConstants.RTM_NEWADDR) {
        out.add(RtnlCodec.decodeAddress(m));
      }
    }
    return out;
  }

  /** The addresses of one interface. */
  public List<InterfaceAddress> addresses(String interfaceName) throws IOException {
    int index = indexOf(interfaceName);
    return addresses().stream().filter(a -> a.interfaceIndex() == index).toList();
  }

  /** Every link. */
  public List<LinkState> links() throws IOException {
    List<LinkState> out = new ArrayList<>();
    for (NetlinkMessage m : client.dump(RtnlCodec.dumpLinks(), "RTM_GETLINK dump")) {
      if (m.type() == RtnlConstants.RTM_NEWLINK) {
        out.add(RtnlCodec.decodeLink(m));
      }
    }
    return out;
  }

  /** One link by name; empty when there is no such interface. */
  public Optional<LinkState> link(String interfaceName) throws IOException {
    int index;
    try {
      index = indexOf(interfaceName);
    } catch (IOException e) {
      return Optional.empty();
    }
    try {
      List<NetlinkMessage> replies =
          client.request(RtnlCodec.getLink(index), "RTM_GETLINK " + interfaceName);
      return replies.isEmpty()
          ? Optional.empty()
          : Optional.of(RtnlCodec.decodeLink(replies.getFirst()));
    } catch (NetlinkException e) {
      if (e.errno() == Errno.ENODEV) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static void validate(
      String interfaceName, InetAddress address, int prefixLength, String label) {
    int max = address instanceof Inet4Address ? 32 : 128;
    if (prefixLength < 0 || prefixLength > max) {
      throw new IllegalArgumentException(
          "prefix length: " + prefixLength + " is not valid for " + address.getHostAddress());
    }
    if (label != null) {
      if (!(address instanceof Inet4Address)) {
        throw new IllegalArgumentException("label " + label + ": IPv6 addresses have no labels");
      }
      if (!label.startsWith(interfaceName) || label.length() >= RtnlConstants.IFNAMSIZ) {
        throw new IllegalArgumentException(
            "label: '"
                + label
                + "' must start with the interface name '"
                + interfaceName
                + "' and be at most 15 characters");
      }
    }
  }

  @Override
  public void close() throws IOException {
    client.close();
  }
}
