package io.lvsoperator.agent.host.vrrp;

import io.lvsoperator.agent.host.arp.GratuitousArpSender;
import io.lvsoperator.agent.host.rtnl.AddressLifetime;
import io.lvsoperator.agent.host.rtnl.RtnlClient;
import io.lvsoperator.agent.vrrp.VrrpEffects;
import io.lvsoperator.agent.vrrp.VrrpInstanceConfig;
import io.lvsoperator.agent.vrrp.VrrpInstanceConfig.VirtualAddress;
import java.io.IOException;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Being VRRP master on this host: the VIPs on the interface through rtnetlink (with their label and
 * prefix, as keepalived's virtual_ipaddress), and gratuitous ARPs so neighbours update their caches
 * at once, again every {@code garp.refresh} while master. A burst still running when the instance
 * leaves master is cancelled: a GARP for an address we no longer hold would pull traffic back to
 * us.
 *
 * <p>The VIPs die with the agent: they carry a kernel lifetime of {@link #VIP_LIFETIME}, which the
 * master renews every {@link #VIP_RENEWAL}, so after a {@code kill -9} (or a hung process) the
 * kernel removes them 1.0 to about 1.6 s later, even if no agent ever starts again on this node,
 * while a live master tolerates a stall of its VRRP thread of up to 0.75 s. docs/vrrp.md defends
 * the numbers.
 */
public final class HostVrrpEffects implements VrrpEffects {
  private static final Logger log = LoggerFactory.getLogger(HostVrrpEffects.class);

  /** The VIPs' kernel lifetime (whole seconds: ifa_cacheinfo counts seconds). */
  public static final Duration VIP_LIFETIME = Duration.ofSeconds(1);

  /** How often a master renews its VIPs' lifetime. */
  public static final Duration VIP_RENEWAL = Duration.ofMillis(250);

  private final RtnlClient rtnl;
  private final GratuitousArpSender garp;
  private final AddressLifetime lifetime;
  private final Duration renewal;
  private final Map<String, CompletableFuture<Integer>> bursts = new ConcurrentHashMap<>();
  private long renewalFailures; // event loop only

  public HostVrrpEffects(RtnlClient rtnl, GratuitousArpSender garp) {
    this(rtnl, garp, AddressLifetime.of(VIP_LIFETIME), VIP_RENEWAL);
  }

  /**
   * With another lifetime; {@link AddressLifetime#PERMANENT} makes VIPs that stay until removed
   * (and are never renewed), as before they had a lifetime.
   */
  public HostVrrpEffects(
      RtnlClient rtnl, GratuitousArpSender garp, AddressLifetime lifetime, Duration renewal) {
    if (!lifetime.permanent()
        && (!renewal.isPositive() || renewal.toMillis() >= lifetime.validSeconds() * 1000)) {
      throw new IllegalArgumentException(
          "VIP renewal every " + renewal + " does not renew a lifetime of " + lifetime);
    }
    this.rtnl = rtnl;
    this.garp = garp;
    this.lifetime = lifetime;
    this.renewal = lifetime.permanent() ? Duration.ZERO : renewal;
  }

  @Override
  public Duration addressRenewalInterval() {
    return renewal;
  }

  @Override
  public boolean onBecomeMaster(VrrpInstanceConfig config) {
    for (VirtualAddress vip : config.virtualAddresses()) {
      try {
        if (lifetime.permanent()) {
          rtnl.addAddress(config.interfaceName(), vip.address(), vip.prefixLength(), vip.label());
        } else {
          // Replace, not add: a VIP already there (a permanent one left by an older agent, or
          // added by hand) takes the lifetime too.
          rtnl.putAddress(
              config.interfaceName(), vip.address(), vip.prefixLength(), vip.label(), lifetime);
        }
      } catch (IOException | RuntimeException e) {
        log.error(
            "event=vip_add_failed instance={} address={} interface={} error=\"{}\"",
            config.name(),
            vip.address().getHostAddress(),
            config.interfaceName(),
            e.getMessage());
        return false;
      }
    }
    return true;
  }

  @Override
  public void renewAddresses(VrrpInstanceConfig config) {
    List<RtnlClient.Renewal> renewals = new ArrayList<>(config.virtualAddresses().size());
    for (VirtualAddress vip : config.virtualAddresses()) {
      renewals.add(
          new RtnlClient.Renewal(
              config.interfaceName(), vip.address(), vip.prefixLength(), vip.label()));
    }
    List<String> errors;
    try {
      errors = rtnl.renewAddresses(renewals, lifetime);
    } catch (IOException | RuntimeException e) {
      errors = List.of(e.getMessage());
    }
    if (!errors.isEmpty()) {
      renewalFailures++;
      // Several times a second while it lasts (an interface gone, say): log the first few.
      if (renewalFailures <= 5 || renewalFailures % 1000 == 0) {
        log.warn(
            "event=vip_renew_failed instance={} interface={} failures={} error=\"{}\"",
            config.name(),
            config.interfaceName(),
            renewalFailures,
            String.join("; ", errors));
      }
    }
  }

  @Override
  public void announce(VrrpInstanceConfig config) {
    var g = config.garp();
    if (g.repeat() > 0) {
      send(config, g.repeat(), g.interval(), "garp_failed");
    }
  }

  @Override
  public void refresh(VrrpInstanceConfig config) {
    CompletableFuture<Integer> running = bursts.get(config.name());
    if (running == null || running.isDone()) {
      send(config, 1, Duration.ZERO, "garp_refresh_failed");
    }
  }

  private void send(VrrpInstanceConfig config, int count, Duration interval, String failure) {
    List<Inet4Address> v4 = new ArrayList<>();
    for (VirtualAddress vip : config.virtualAddresses()) {
      if (vip.address() instanceof Inet4Address a) {
        v4.add(a);
      }
    }
    if (v4.isEmpty()) {
      return;
    }
    CompletableFuture<Integer> burst;
    try {
      burst = garp.announce(config.interfaceName(), v4, count, interval);
    } catch (RuntimeException e) {
      warn(failure, config, e);
      return;
    }
    CompletableFuture<Integer> previous = bursts.put(config.name(), burst);
    if (previous != null) {
      previous.cancel(false);
    }
    burst.whenComplete(
        (sent, e) -> {
          bursts.remove(config.name(), burst);
          if (e != null && !burst.isCancelled()) {
            warn(failure, config, e);
          }
        });
  }

  private static void warn(String event, VrrpInstanceConfig config, Throwable e) {
    log.warn(
        "event={} instance={} interface={} error=\"{}\"",
        event,
        config.name(),
        config.interfaceName(),
        e.getMessage());
  }

  @Override
  public void onLeaveMaster(VrrpInstanceConfig config) {
    CompletableFuture<Integer> burst = bursts.remove(config.name());
    if (burst != null) {
      burst.cancel(false);
    }
    remove(config, "vip_removed");
  }

  @Override
  public void removeStale(VrrpInstanceConfig config) {
    remove(config, "stale_vip_removed");
  }

  private void remove(VrrpInstanceConfig config, String event) {
    for (VirtualAddress vip : config.virtualAddresses()) {
      try {
        if (rtnl.removeAddress(config.interfaceName(), vip.address(), vip.prefixLength())) {
          log.info(
              "event={} instance={} address={} interface={}",
              event,
              config.name(),
              vip.address().getHostAddress(),
              config.interfaceName());
        }
      } catch (IOException | RuntimeException e) {
        log.error(
            "event=vip_remove_failed instance={} address={} interface={} error=\"{}\"",
            config.name(),
            vip.address().getHostAddress(),
            config.interfaceName(),
            e.getMessage());
      }
    }
  }
}
