package io.lvsoperator.agent.vrrp;

import io.lvsoperator.agent.rtnl.LinkState;
import io.lvsoperator.agent.rtnl.RtnlClient;
import io.lvsoperator.agent.rtnl.RtnlEvent;
import io.lvsoperator.agent.rtnl.RtnlEvents;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds rtnetlink into the engine: a tracked link that is not usable (admin down, no carrier, oper
 * down) puts its instances in FAULT; an address change makes the transport look up its primary
 * address again. Reads every link at start and after an overrun.
 */
public final class VrrpLinkTracker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VrrpLinkTracker.class);

  private final RtnlEvents events;

  private VrrpLinkTracker(RtnlEvents events) {
    this.events = events;
  }

  /**
   * Starts tracking. {@code rtnl} is used for the initial read and after overruns, from the events
   * thread.
   */
  public static VrrpLinkTracker start(RtnlClient rtnl, VrrpEngine engine) throws IOException {
    RtnlEvents events =
        RtnlEvents.start(
            event -> {
              switch (event) {
                case RtnlEvent.LinkChanged changed ->
                    engine.setLinkUp(
                        changed.link().name(), !changed.removed() && changed.link().usable());
                case RtnlEvent.Overrun overrun -> readAll(rtnl, engine);
                case RtnlEvent.AddressChanged address ->
                    interfaceName(rtnl, address.address().interfaceIndex())
                        .ifPresent(engine::addressesChanged);
              }
            });
    readAll(rtnl, engine);
    return new VrrpLinkTracker(events);
  }

  private static java.util.Optional<String> interfaceName(RtnlClient rtnl, int index) {
    try {
      for (LinkState link : rtnl.links()) {
        if (link.index() == index) {
          return java.util.Optional.of(link.name());
        }
      }
    } catch (IOException e) {
      log.warn("vrrp link lookup failed ifindex={} cause={}", index, e.toString());
    }
    return java.util.Optional.empty();
  }

  private static void readAll(RtnlClient rtnl, VrrpEngine engine) {
    try {
      for (LinkState link : rtnl.links()) {
        engine.setLinkUp(link.name(), link.usable());
      }
    } catch (IOException e) {
      log.warn("vrrp link read failed cause={}", e.toString());
    }
  }

  @Override
  public void close() throws IOException {
    events.close();
  }
}
