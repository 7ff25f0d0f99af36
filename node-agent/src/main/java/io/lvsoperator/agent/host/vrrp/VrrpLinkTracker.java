package io.lvsoperator.agent.host.vrrp;

import io.lvsoperator.agent.host.ffm.NativeException;
import io.lvsoperator.agent.host.ffm.NetworkInterfaces;
import io.lvsoperator.agent.host.rtnl.LinkState;
import io.lvsoperator.agent.host.rtnl.RtnlClient;
import io.lvsoperator.agent.host.rtnl.RtnlEvent;
import io.lvsoperator.agent.host.rtnl.RtnlEvents;
import io.lvsoperator.agent.vrrp.VrrpEngine;
import java.io.IOException;
import java.net.InetAddress;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds rtnetlink into the engine: a tracked link that is not usable (admin down, no carrier, oper
 * down) puts its instances in FAULT; an address change makes the interface's transport look up its
 * primary address again. Reads every link at start and after an overrun, through a client of its
 * own ({@link RtnlClient} is single-user; the engine's effects use another on the event loop).
 *
 * <p>A master renews its VIPs' lifetime several times a second and the kernel announces each
 * renewal as a new address: those announcements of our own VIPs are ignored (a VIP is never the
 * primary address), so that they do not make every transport read the addresses again.
 */
public final class VrrpLinkTracker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VrrpLinkTracker.class);

  private final RtnlClient rtnl;
  private final RtnlEvents events;

  private VrrpLinkTracker(RtnlClient rtnl, RtnlEvents events) {
    this.rtnl = rtnl;
    this.events = events;
  }

  public static VrrpLinkTracker start(VrrpEngine engine) throws IOException {
    return start(engine, address -> false);
  }

  /** As {@link #start(VrrpEngine)}, ignoring new-address events of {@code ownVip}s. */
  public static VrrpLinkTracker start(VrrpEngine engine, Predicate<InetAddress> ownVip)
      throws IOException {
    RtnlClient rtnl = RtnlClient.open();
    try {
      // Only the events thread touches this client once started; the first read happens before.
      readAll(rtnl, engine);
      RtnlEvents events =
          RtnlEvents.start(
              event -> {
                switch (event) {
                  case RtnlEvent.LinkChanged changed ->
                      engine.setLinkUp(
                          changed.link().name(), !changed.removed() && changed.link().usable());
                  case RtnlEvent.Overrun overrun -> readAll(rtnl, engine);
                  case RtnlEvent.AddressChanged address
                      when !address.removed() && ownVip.test(address.address().address()) -> {}
                  case RtnlEvent.AddressChanged address -> {
                    try {
                      engine.addressesChanged(
                          NetworkInterfaces.nameOf(address.address().interfaceIndex()));
                    } catch (NativeException e) {
                      // The interface is gone; its link event says so.
                    }
                  }
                }
              });
      return new VrrpLinkTracker(rtnl, events);
    } catch (IOException | RuntimeException e) {
      rtnl.close();
      throw e;
    }
  }

  private static void readAll(RtnlClient rtnl, VrrpEngine engine) {
    try {
      for (LinkState link : rtnl.links()) {
        engine.setLinkUp(link.name(), link.usable());
      }
    } catch (IOException e) {
      log.warn("event=vrrp_link_read_failed error=\"{}\"", e.toString());
    }
  }

  @Override
  public void close() throws IOException {
    events.close();
    rtnl.close();
  }
}
