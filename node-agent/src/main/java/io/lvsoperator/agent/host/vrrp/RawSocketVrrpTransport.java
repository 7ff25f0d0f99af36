package io.lvsoperator.agent.host.vrrp;

import io.lvsoperator.agent.host.ffm.Ipv4Packet;
import io.lvsoperator.agent.host.ffm.Ipv4RawSocket;
import io.lvsoperator.agent.host.ffm.NativeException;
import io.lvsoperator.agent.host.ffm.NetworkInterfaces;
import io.lvsoperator.agent.host.rtnl.InterfaceAddress;
import io.lvsoperator.agent.host.rtnl.RtnlClient;
import io.lvsoperator.agent.vrrp.VrrpTransport;
import io.lvsoperator.agent.vrrp.codec.VrrpConstants;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * VRRP over a raw IPv4 socket (protocol 112) bound to one interface: joins 224.0.0.18 there while a
 * multicast instance runs on it (never for unicast-only instances), sends with TTL 255 from the
 * interface's primary address, and hands every received packet (IP header included) to the sink
 * from its own receive thread.
 */
public final class RawSocketVrrpTransport implements VrrpTransport {
  private static final int WARM_UP_PROTOCOL = 253;
  private static final Logger log = LoggerFactory.getLogger(RawSocketVrrpTransport.class);
  private static final int POLL_MILLIS = 250;

  private final String interfaceName;
  private final int interfaceIndex;
  private final Ipv4RawSocket socket;
  private final PrimaryAddress primary;
  private final Thread receiver;
  private volatile boolean closed;
  private boolean multicastMember; // engine loop only

  private RawSocketVrrpTransport(
      String interfaceName,
      int interfaceIndex,
      Ipv4RawSocket socket,
      PrimaryAddressSource primarySource,
      Runnable onReceiverStart,
      PacketSink sink) {
    this.interfaceName = interfaceName;
    this.interfaceIndex = interfaceIndex;
    this.socket = socket;
    this.primary = new PrimaryAddress(interfaceName, primarySource);
    this.receiver =
        Thread.ofPlatform()
            .daemon()
            .name("vrrp-rx-" + interfaceName)
            .unstarted(
                () -> {
                  onReceiverStart.run();
                  receiveLoop(sink);
                });
  }

  /** Finds an interface's primary IPv4 address: our adverts' source and the tie-breaker. */
  @FunctionalInterface
  public interface PrimaryAddressSource {
    Optional<Inet4Address> primaryOf(String interfaceName) throws IOException;

    /**
     * From rtnetlink: the first IPv4 address of the interface that the kernel does not mark
     * secondary and that is not one of our VIPs (a /32 VIP in another subnet is "primary" too).
     * Called on the engine's event loop: {@code rtnl} must be used by nothing else but the VRRP
     * effects (which run on the same loop); {@link RtnlClient} is single-user.
     */
    static PrimaryAddressSource rtnl(RtnlClient rtnl, Supplier<Collection<InetAddress>> ownVips) {
      return interfaceName -> {
        Set<InetAddress> vips = Set.copyOf(ownVips.get());
        for (InterfaceAddress a : rtnl.addresses(interfaceName)) {
          if (a.address() instanceof Inet4Address v4 && !a.secondary() && !vips.contains(v4)) {
            return Optional.of(v4);
          }
        }
        return Optional.empty();
      };
    }

    /** From java.net (getifaddrs order): the first IPv4 address that is not one of our VIPs. */
    static PrimaryAddressSource javaNet(Supplier<Collection<InetAddress>> ownVips) {
      return interfaceName -> {
        NetworkInterface nif = NetworkInterface.getByName(interfaceName);
        if (nif == null) {
          return Optional.empty();
        }
        Set<InetAddress> vips = Set.copyOf(ownVips.get());
        for (java.net.InterfaceAddress a : nif.getInterfaceAddresses()) {
          if (a.getAddress() instanceof Inet4Address v4 && !vips.contains(v4)) {
            return Optional.of(v4);
          }
        }
        return Optional.empty();
      };
    }
  }

  /**
   * A factory opening one transport per interface.
   *
   * @param onReceiverStart run first on each receiver thread (e.g. to give it real-time scheduling)
   */
  public static Factory factory(PrimaryAddressSource primarySource, Runnable onReceiverStart) {
    return (interfaceName, sink) -> open(interfaceName, primarySource, onReceiverStart, sink);
  }

  public static RawSocketVrrpTransport open(
      String interfaceName,
      PrimaryAddressSource primarySource,
      Runnable onReceiverStart,
      PacketSink sink)
      throws IOException {
    int index = NetworkInterfaces.indexOf(interfaceName);
    Ipv4RawSocket socket = Ipv4RawSocket.open(VrrpConstants.IPPROTO_VRRP);
    try {
      socket.bindToDevice(interfaceName);
      socket.setTtl(VrrpConstants.TTL);
      socket.setMulticastTtl(VrrpConstants.TTL);
      socket.setMulticastLoop(false);
      socket.setMulticastInterface(index);
      // The group is joined only while a multicast instance runs here (setMulticastMember).
    } catch (NativeException e) {
      socket.close();
      throw e;
    }
    RawSocketVrrpTransport t =
        new RawSocketVrrpTransport(
            interfaceName, index, socket, primarySource, onReceiverStart, sink);
    t.primary.refresh();
    warmUpSendPath();
    t.receiver.start();
    log.info(
        "event=vrrp_transport_opened interface={} ifindex={} primary={}",
        interfaceName,
        index,
        t.primary.current() == null ? "none" : t.primary.current().getHostAddress());
    return t;
  }

  /**
   * Runs the send path once with a throw-away packet on loopback (IP protocol 253, reserved for
   * experiments by RFC 3692; nothing listens to it and it never leaves the host), so that the first
   * advert of a new master does not pay for linking the native call and loading its classes: in a
   * fresh JVM under emulation that took about a second, during which the master we preempt and we
   * both held the VIP.
   */
  private static void warmUpSendPath() {
    try (Ipv4RawSocket probe = Ipv4RawSocket.open(WARM_UP_PROTOCOL)) {
      Inet4Address loopback = (Inet4Address) InetAddress.getLoopbackAddress();
      probe.send(new byte[] {0}, loopback, NetworkInterfaces.indexOf("lo"), loopback);
    } catch (IOException | RuntimeException e) {
      log.debug("event=vrrp_send_warmup_failed error=\"{}\"", e.toString());
    }
  }

  private static Inet4Address group() {
    try {
      return (Inet4Address) InetAddress.getByAddress(VrrpConstants.IPV4_MULTICAST_GROUP);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void setMulticastMember(boolean member) throws IOException {
    if (member == multicastMember) {
      return;
    }
    if (member) {
      socket.joinGroup(group(), interfaceIndex);
    } else {
      socket.leaveGroup(group(), interfaceIndex);
    }
    multicastMember = member;
    log.info(
        "event=vrrp_multicast_membership interface={} group=224.0.0.18 member={}",
        interfaceName,
        member);
  }

  @Override
  public byte[] primaryAddress() {
    return primary.bytes();
  }

  @Override
  public void refreshPrimaryAddress() {
    primary.refresh();
  }

  @Override
  public void send(byte[] destination, byte[] message, int length) throws IOException {
    Inet4Address source = primary.current();
    if (source == null) {
      source = primary.refresh();
      if (source == null) {
        throw new IOException("send: interface " + interfaceName + " has no IPv4 address");
      }
    }
    byte[] payload = length == message.length ? message : Arrays.copyOf(message, length);
    socket.send(
        payload, (Inet4Address) InetAddress.getByAddress(destination), interfaceIndex, source);
  }

  private void receiveLoop(PacketSink sink) {
    while (!closed) {
      try {
        Optional<Ipv4Packet> p = socket.receive(POLL_MILLIS);
        if (p.isPresent()) {
          byte[] bytes = p.get().packet();
          sink.onPacket(bytes, bytes.length);
        }
      } catch (NativeException e) {
        if (closed) {
          return;
        }
        log.warn(
            "event=vrrp_receive_failed interface={} error=\"{}\"", interfaceName, e.toString());
        try {
          Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException ie) {
          return;
        }
      } catch (RuntimeException e) {
        // The sink never throws by contract; a bug there must not kill the receive loop.
        log.error(
            "event=vrrp_receive_sink_failed interface={} error=\"{}\"",
            interfaceName,
            e.toString());
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      receiver.join(2 * POLL_MILLIS + 100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      socket.close();
    } catch (NativeException e) {
      log.warn(
          "event=vrrp_transport_close_failed interface={} error=\"{}\"",
          interfaceName,
          e.toString());
    }
  }
}
