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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Being VRRP master on this host: every address the instance holds (advertised and excluded, as
 * keepalived's virtual_ipaddress and virtual_ipaddress_excluded) on its interface through rtnetlink
 * (with its label and prefix), and gratuitous ARPs on that interface so neighbours update their
 * caches at once, again every {@code garp.refresh} while master. A burst still running when the
 * instance leaves master is cancelled: a GARP for an address we no longer hold would pull traffic
 * back to us.
 *
 * <p>The VIPs die with the agent: they carry a kernel lifetime of {@link #VIP_LIFETIME}, which the
 * master renews every {@link #VIP_RENEWAL}, so after a {@code kill -9} (or a hung process) the
 * kernel removes them about 0.75 to 1.6 s later, even if no agent ever starts again on this node,
 * while a live master tolerates a stall of its VRRP thread of up to 0.75 s. docs/vrrp.md defends
 * the numbers.
 */
public final class HostVrrpEffects implements VrrpEffects {
  private static final Logger log = LoggerFactory.getLogger(HostVrrpEffects.class);

  /** The VIPs' kernel lifetime (whole seconds: ifa_cacheinfo counts seconds). */
  public static final Duration VIP_LIFETIME = Duration.ofSeconds(1);

  /** How often a master renews its VIPs' lifetime. */
  public static final Duration VIP_RENEWAL = Duration.ofMillis(250);

  /**
   * The most addresses an instance holds with a lifetime; beyond, they are permanent, as before
   * lifetimes (and as keepalived's): renewing them all four times a second does not scale. The
   * kernel finds an IPv4 address by walking the interface's list, so each round costs addresses
   * squared: at 10,000 VIPs in 5 instances the renewals fell behind the 1 s lifetime, the agent
   * spent a core on them and only about 4,000 addresses stayed (bench/vips10k, docs/vrrp.md).
   */
  public static final int LIFETIME_MAX_ADDRESSES = 256;

  private final RtnlClient rtnl;
  private final GratuitousArpSender garp;
  private final AddressLifetime lifetime;
  private final Duration renewal;

  /** Running bursts, by instance name and interface. */
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
  public Duration addressRenewalInterval(VrrpInstanceConfig config) {
    return lifetimeOf(config).permanent() ? Duration.ZERO : renewal;
  }

  /**
   * The lifetime {@code config}'s addresses get: permanent for an address owner (priority 255: the
   * VIP is the interface's own address, which must not die with the agent) and for an instance of
   * more than {@link #LIFETIME_MAX_ADDRESSES} addresses.
   */
  private AddressLifetime lifetimeOf(VrrpInstanceConfig config) {
    return lifetimeOf(lifetime, config);
  }

  static AddressLifetime lifetimeOf(AddressLifetime lifetime, VrrpInstanceConfig config) {
    if (lifetime.permanent()
        || config.priority() == 255
        || config.heldAddresses().size() > LIFETIME_MAX_ADDRESSES) {
      return AddressLifetime.PERMANENT;
    }
    return lifetime;
  }

  @Override
  public boolean onBecomeMaster(VrrpInstanceConfig config) {
    return add(config, config.heldAddresses());
  }

  private boolean add(VrrpInstanceConfig config, List<VirtualAddress> addresses) {
    AddressLifetime each = lifetimeOf(config);
    if (!lifetime.permanent() && each.permanent() && !addresses.isEmpty()) {
      log.info(
          "event=vip_lifetime_off instance={} addresses={} priority={} limit={}",
          config.name(),
          config.heldAddresses().size(),
          config.priority(),
          LIFETIME_MAX_ADDRESSES);
    }
    for (VirtualAddress vip : addresses) {
      String iface = vip.interfaceOr(config.interfaceName());
      try {
        if (lifetime.permanent()) {
          rtnl.addAddress(iface, vip.address(), vip.prefixLength(), vip.label());
        } else {
          // Replace, not add: a VIP already there (a permanent one left by an older agent, or
          // added by hand) takes the lifetime too, and one that had a lifetime loses it when the
          // instance grew past the limit.
          rtnl.putAddress(iface, vip.address(), vip.prefixLength(), vip.label(), each);
        }
      } catch (IOException | RuntimeException e) {
        log.error(
            "event=vip_add_failed instance={} address={} interface={} error=\"{}\"",
            config.name(),
            vip.address().getHostAddress(),
            iface,
            e.getMessage());
        return false;
      }
    }
    return true;
  }

  /**
   * Only the difference: addresses that stay are never removed (a remove and re-add would drop
   * their traffic for a moment and send needless GARPs).
   */
  @Override
  public boolean onAddressesChanged(VrrpInstanceConfig before, VrrpInstanceConfig now) {
    Set<String> kept = new HashSet<>();
    now.heldAddresses().forEach(v -> kept.add(key(now, v)));
    List<VirtualAddress> gone = new ArrayList<>();
    for (VirtualAddress v : before.heldAddresses()) {
      if (!kept.remove(key(before, v))) {
        gone.add(v);
      }
    }
    remove(before, gone, "vip_removed");
    return add(now, now.heldAddresses());
  }

  private static String key(VrrpInstanceConfig config, VirtualAddress v) {
    return v.interfaceOr(config.interfaceName())
        + " "
        + v.address().getHostAddress()
        + "/"
        + v.prefixLength()
        + " "
        + v.label();
  }

  @Override
  public void renewAddresses(VrrpInstanceConfig config) {
    if (lifetimeOf(config).permanent()) {
      return;
    }
    List<RtnlClient.Renewal> renewals = new ArrayList<>(config.heldAddresses().size());
    for (VirtualAddress vip : config.heldAddresses()) {
      renewals.add(
          new RtnlClient.Renewal(
              vip.interfaceOr(config.interfaceName()),
              vip.address(),
              vip.prefixLength(),
              vip.label()));
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
    send(config, 1, Duration.ZERO, "garp_refresh_failed");
  }

  private void send(VrrpInstanceConfig config, int count, Duration interval, String failure) {
    for (var perInterface : ipv4ByInterface(config).entrySet()) {
      String iface = perInterface.getKey();
      String burstKey = config.name() + " " + iface;
      CompletableFuture<Integer> running = bursts.get(burstKey);
      if (count == 1 && running != null && !running.isDone()) {
        continue; // a refresh while the burst still runs adds nothing
      }
      CompletableFuture<Integer> burst;
      try {
        burst = garp.announce(iface, perInterface.getValue(), count, interval);
      } catch (RuntimeException e) {
        warn(failure, config, iface, e);
        continue;
      }
      CompletableFuture<Integer> previous = bursts.put(burstKey, burst);
      if (previous != null) {
        previous.cancel(false);
      }
      burst.whenComplete(
          (sent, e) -> {
            bursts.remove(burstKey, burst);
            if (e != null && !burst.isCancelled()) {
              warn(failure, config, iface, e);
            }
          });
    }
  }

  private static Map<String, List<Inet4Address>> ipv4ByInterface(VrrpInstanceConfig config) {
    Map<String, List<Inet4Address>> byInterface = new LinkedHashMap<>();
    for (VirtualAddress vip : config.heldAddresses()) {
      if (vip.address() instanceof Inet4Address a) {
        byInterface
            .computeIfAbsent(vip.interfaceOr(config.interfaceName()), i -> new ArrayList<>())
            .add(a);
      }
    }
    return byInterface;
  }

  private static void warn(String event, VrrpInstanceConfig config, String iface, Throwable e) {
    log.warn(
        "event={} instance={} interface={} error=\"{}\"",
        event,
        config.name(),
        iface,
        e.getMessage());
  }

  @Override
  public void onLeaveMaster(VrrpInstanceConfig config) {
    String prefix = config.name() + " ";
    bursts
        .entrySet()
        .removeIf(
            e -> {
              if (e.getKey().startsWith(prefix)) {
                e.getValue().cancel(false);
                return true;
              }
              return false;
            });
    remove(config, config.heldAddresses(), "vip_removed");
  }

  @Override
  public void removeStale(VrrpInstanceConfig config) {
    remove(config, config.heldAddresses(), "stale_vip_removed");
  }

  private void remove(VrrpInstanceConfig config, List<VirtualAddress> addresses, String event) {
    for (VirtualAddress vip : addresses) {
      String iface = vip.interfaceOr(config.interfaceName());
      try {
        if (rtnl.removeAddress(iface, vip.address(), vip.prefixLength())) {
          log.info(
              "event={} instance={} address={} interface={}",
              event,
              config.name(),
              vip.address().getHostAddress(),
              iface);
        }
      } catch (IOException | RuntimeException e) {
        log.error(
            "event=vip_remove_failed instance={} address={} interface={} error=\"{}\"",
            config.name(),
            vip.address().getHostAddress(),
            iface,
            e.getMessage());
      }
    }
  }
}
