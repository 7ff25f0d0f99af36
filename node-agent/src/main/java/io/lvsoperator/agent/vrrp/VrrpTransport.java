package io.lvsoperator.agent.vrrp;

import java.io.IOException;

/**
 * Sends VRRP messages from one interface; the IP header (TTL 255, protocol 112, the primary address
 * as source) is the transport's job. Received packets go to the {@link PacketSink} given when the
 * transport was opened.
 */
public interface VrrpTransport extends AutoCloseable {
  /**
   * The interface's primary IPv4 address: our adverts' source and the tie-breaker. The same array
   * until the address changes (callers compare it cheaply and must not modify it).
   */
  byte[] primaryAddress();

  /** The interface's addresses may have changed: look the primary address up again. */
  default void refreshPrimaryAddress() {}

  /**
   * Joins or leaves 224.0.0.18 on the interface: joined while any instance on it advertises by
   * multicast, left when all use unicast peers, so a unicast instance receives no group traffic.
   */
  default void setMulticastMember(boolean member) throws IOException {}

  /** Sends {@code message[0, length)} to {@code destination} (224.0.0.18 or a unicast peer). */
  void send(byte[] destination, byte[] message, int length) throws IOException;

  @Override
  void close();

  /** Receives whole IPv4 packets (header included), as a raw socket delivers them. */
  @FunctionalInterface
  interface PacketSink {
    void onPacket(byte[] packet, int length);
  }

  /** Opens the transport of one interface. */
  @FunctionalInterface
  interface Factory {
    VrrpTransport open(String interfaceName, PacketSink sink) throws IOException;
  }
}
