package io.lvsoperator.agent.host.rtnl;

import io.lvsoperator.agent.host.ffm.Errno;
import io.lvsoperator.agent.host.ffm.NativeException;
import io.lvsoperator.agent.host.ffm.NetlinkChannel;
import io.lvsoperator.agent.host.netlink.NetlinkCodec;
import io.lvsoperator.agent.host.netlink.NetlinkConstants;
import io.lvsoperator.agent.host.netlink.NetlinkException;
import io.lvsoperator.agent.host.netlink.NetlinkMessage;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscribes to link and IPv4/IPv6 address events and hands each to a listener, on one platform
 * thread of its own. {@link #close()} stops the thread (within the poll interval) and the socket.
 * Events that are not from the kernel are dropped.
 */
public final class RtnlEvents implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RtnlEvents.class);
  private static final int POLL_MILLIS = 200;

  private final NetlinkChannel channel;
  private final Consumer<RtnlEvent> listener;
  private final Thread thread;
  private volatile boolean running = true;

  private RtnlEvents(NetlinkChannel channel, Consumer<RtnlEvent> listener, String threadName) {
    this.channel = channel;
    this.listener = listener;
    this.thread = Thread.ofPlatform().name(threadName).daemon(true).unstarted(this::loop);
  }

  /** Starts listening; the listener runs on the events thread and must not block long. */
  public static RtnlEvents start(Consumer<RtnlEvent> listener) throws IOException {
    NetlinkChannel channel = NetlinkChannel.open(NetlinkConstants.NETLINK_ROUTE);
    try {
      channel.setReceiveBufferSize(1 << 20);
      channel.joinGroup(RtnlConstants.RTNLGRP_LINK);
      channel.joinGroup(RtnlConstants.RTNLGRP_IPV4_IFADDR);
      channel.joinGroup(RtnlConstants.RTNLGRP_IPV6_IFADDR);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    RtnlEvents events = new RtnlEvents(channel, listener, "rtnl-events");
    events.thread.start();
    return events;
  }

  private void loop() {
    while (running) {
      try {
        Optional<io.lvsoperator.agent.host.ffm.NetlinkDatagram> datagram =
            channel.receive(POLL_MILLIS);
        if (datagram.isEmpty() || !datagram.get().fromKernel()) {
          continue;
        }
        for (NetlinkMessage m : NetlinkCodec.decode(datagram.get().data())) {
          dispatch(m);
        }
      } catch (NativeException e) {
        if (!running || e.errno() == Errno.EBADF) {
          return;
        }
        if (e.errno() == Errno.ENOBUFS) {
          LOG.warn("event=rtnl_overrun error=\"{}\"", e.getMessage());
          deliver(new RtnlEvent.Overrun());
        } else {
          LOG.error("event=rtnl_receive_failed error=\"{}\"", e.getMessage());
          sleepQuietly();
        }
      } catch (NetlinkException e) {
        LOG.warn("event=rtnl_bad_message error=\"{}\"", e.getMessage());
      }
    }
  }

  private void dispatch(NetlinkMessage m) throws NetlinkException {
    switch (m.type()) {
      case RtnlConstants.RTM_NEWLINK ->
          deliver(new RtnlEvent.LinkChanged(RtnlCodec.decodeLink(m), false));
      case RtnlConstants.RTM_DELLINK ->
          deliver(new RtnlEvent.LinkChanged(RtnlCodec.decodeLink(m), true));
      case RtnlConstants.RTM_NEWADDR ->
          deliver(new RtnlEvent.AddressChanged(RtnlCodec.decodeAddress(m), false));
      case RtnlConstants.RTM_DELADDR ->
          deliver(new RtnlEvent.AddressChanged(RtnlCodec.decodeAddress(m), true));
      default -> {}
    }
  }

  private void deliver(RtnlEvent event) {
    try {
      listener.accept(event);
    } catch (RuntimeException e) {
      LOG.error(
          "event=rtnl_listener_failed event_type={} error=\"{}\"",
          event.getClass().getSimpleName(),
          e.toString());
    }
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the thread and closes the socket; waits for the thread. */
  @Override
  public void close() throws IOException {
    running = false;
    try {
      thread.join(5L * POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    channel.close();
  }
}
