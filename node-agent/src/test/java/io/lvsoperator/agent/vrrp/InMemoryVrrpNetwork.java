package io.lvsoperator.agent.vrrp;

import io.lvsoperator.agent.vrrp.codec.VrrpConstants;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One L2 segment in memory: every endpoint's multicast adverts reach every other endpoint whose
 * link is up and that has joined the group, unicast ones their addressee, framed in a real IPv4
 * header (TTL 255, protocol 112), so the receive checks run on exactly what a raw socket would
 * deliver.
 */
public final class InMemoryVrrpNetwork {
  private final List<Endpoint> endpoints = new ArrayList<>();

  /** One host's attachment, usable as its transport factory. */
  public final class Endpoint implements VrrpTransport.Factory {
    private byte[] primary;
    private final List<VrrpTransport.PacketSink> sinks = new ArrayList<>();
    private boolean linkUp = true;
    private boolean multicastMember;

    /** Every IP packet this endpoint sent. */
    public final List<byte[]> sent = new ArrayList<>();

    Endpoint(byte[] primary) {
      this.primary = primary;
    }

    /** The host's primary address changed (renumbering, DHCP). */
    public void setPrimary(String address) {
      primary = InetAddress.ofLiteral(address).getAddress();
    }

    public void setLinkUp(boolean up) {
      linkUp = up;
    }

    /** Whether the host's transport has joined 224.0.0.18 (it gets the group's adverts then). */
    public boolean multicastMember() {
      return multicastMember;
    }

    /** Detaches the host (its process died): nothing more is delivered to it. */
    public void detach() {
      sinks.clear();
    }

    /** Injects a raw packet as if received from the wire. */
    public void inject(byte[] packet) {
      for (VrrpTransport.PacketSink s : List.copyOf(sinks)) {
        s.onPacket(packet, packet.length);
      }
    }

    @Override
    public VrrpTransport open(String interfaceName, VrrpTransport.PacketSink sink) {
      sinks.add(sink);
      return new VrrpTransport() {
        @Override
        public byte[] primaryAddress() {
          return primary;
        }

        @Override
        public void setMulticastMember(boolean member) {
          multicastMember = member;
        }

        @Override
        public void send(byte[] destination, byte[] message, int length) throws IOException {
          if (!linkUp) {
            throw new IOException("send: network is down");
          }
          byte[] packet = ipv4(primary, destination, message, length);
          sent.add(packet);
          boolean multicast = Arrays.equals(destination, VrrpConstants.IPV4_MULTICAST_GROUP);
          for (Endpoint e : List.copyOf(endpoints)) {
            if (e != Endpoint.this
                && e.linkUp
                && (multicast ? e.multicastMember : Arrays.equals(destination, e.primary))) {
              e.inject(packet.clone());
            }
          }
        }

        @Override
        public void close() {
          sinks.remove(sink);
        }
      };
    }
  }

  public Endpoint attach(String primary) {
    Endpoint e = new Endpoint(InetAddress.ofLiteral(primary).getAddress());
    endpoints.add(e);
    return e;
  }

  static byte[] ipv4(byte[] src, byte[] dst, byte[] message, int length) {
    ByteBuffer b = ByteBuffer.allocate(20 + length);
    b.put((byte) 0x45).put((byte) 0xc0).putShort((short) (20 + length));
    b.putShort((short) 0).putShort((short) 0);
    b.put((byte) 255).put((byte) VrrpConstants.IPPROTO_VRRP).putShort((short) 0);
    b.put(src).put(dst).put(message, 0, length);
    return b.array();
  }
}
