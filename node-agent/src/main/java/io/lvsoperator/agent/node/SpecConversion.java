package io.lvsoperator.agent.node;

import io.lvsoperator.agent.health.CheckType;
import io.lvsoperator.agent.health.CheckedDestination;
import io.lvsoperator.agent.health.CheckedService;
import io.lvsoperator.agent.health.DestinationEffect;
import io.lvsoperator.agent.health.EffectiveService;
import io.lvsoperator.agent.health.FailureAction;
import io.lvsoperator.agent.health.HealthCheck;
import io.lvsoperator.agent.ipvs.IpvsConstants;
import io.lvsoperator.agent.ipvs.SyncDaemon;
import io.lvsoperator.agent.vrrp.SyncGroupConfig;
import io.lvsoperator.agent.vrrp.VrrpConfigException;
import io.lvsoperator.agent.vrrp.VrrpInstanceConfig;
import io.lvsoperator.agent.vrrp.VrrpInstanceConfig.GarpSettings;
import io.lvsoperator.agent.vrrp.VrrpInstanceConfig.VirtualAddress;
import io.lvsoperator.agent.vrrp.codec.VrrpVersion;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The edge between the compiled {@link LvsNodeSpec} (the API's wire type) and the agent's own
 * packages: VRRP instances become {@link VrrpInstanceConfig}s, IPVS services become the health
 * checks' {@link CheckedService}s (and, through {@link DesiredServices}, the kernel's IPVS
 * records). The only place {@code vrrp} and {@code health} data is made from the API's types.
 */
public final class SpecConversion {

  private SpecConversion() {}

  /** Every instance, in order; the first bad one throws. */
  public static List<VrrpInstanceConfig> vrrpInstances(List<LvsNodeSpec.VrrpInstance> instances) {
    List<VrrpInstanceConfig> configs = new ArrayList<>(instances.size());
    for (LvsNodeSpec.VrrpInstance in : instances) {
      configs.add(vrrpInstance(in));
    }
    return configs;
  }

  /** Validates and converts one compiled instance; errors name the instance and the field. */
  public static VrrpInstanceConfig vrrpInstance(LvsNodeSpec.VrrpInstance in) {
    String where = "vrrpInstances[" + in.name() + "]";
    VrrpVersion version =
        switch (in.version()) {
          case 2 -> VrrpVersion.V2;
          case 3 -> VrrpVersion.V3;
          default ->
              throw new VrrpConfigException(where + ".version: " + in.version() + " is not 2 or 3");
        };
    if (in.advertIntervalMs() % 10 != 0) {
      throw new VrrpConfigException(
          where + ".advertIntervalMs: " + in.advertIntervalMs() + " is not a multiple of 10 ms");
    }
    if (in.preemptDelayMs() < 0) {
      throw new VrrpConfigException(
          where + ".preemptDelayMs: " + in.preemptDelayMs() + " is negative");
    }
    List<InetAddress> peers = new ArrayList<>();
    for (String peer : in.unicastPeers()) {
      peers.add(literal(where + ".unicastPeers", peer));
    }
    List<VirtualAddress> vips = addresses(where + ".vips", in.vips());
    List<VirtualAddress> excluded = addresses(where + ".excludedVips", in.excludedVips());
    GarpSettings garp =
        in.garp() == null
            ? null
            : new GarpSettings(
                in.garp().repeat(),
                Duration.ofMillis(in.garp().intervalMs()),
                Duration.ofMillis(in.garp().refreshMs()));
    return new VrrpInstanceConfig(
        in.name(),
        in.interfaceName(),
        in.virtualRouterId(),
        in.priority(),
        version,
        in.advertIntervalMs() / 10,
        in.preempt(),
        Duration.ofMillis(in.preemptDelayMs()),
        in.accept(),
        in.authPass(),
        peers,
        vips,
        in.trackInterfaces(),
        garp,
        excluded);
  }

  private static List<VirtualAddress> addresses(String field, List<LvsNodeSpec.Vip> vips) {
    List<VirtualAddress> addresses = new ArrayList<>(vips.size());
    for (LvsNodeSpec.Vip vip : vips) {
      addresses.add(
          new VirtualAddress(
              literal(field, vip.address()), vip.prefixLength(), vip.label(), vip.interfaceName()));
    }
    return addresses;
  }

  private static InetAddress literal(String field, String text) {
    try {
      return InetAddress.ofLiteral(text);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new VrrpConfigException(field + ": '" + text + "' is not an IP address");
    }
  }

  /**
   * The IPVS connection sync daemon the spec asks for: that of the one instance with {@code
   * connectionSync} (the compiler allows one per node), or null when none has it.
   */
  public static ConnectionSyncFollower.Wanted connectionSync(
      List<LvsNodeSpec.VrrpInstance> instances) {
    ConnectionSyncFollower.Wanted found = null;
    for (LvsNodeSpec.VrrpInstance in : instances) {
      LvsNodeSpec.ConnectionSync c = in.connectionSync();
      if (c == null) {
        continue;
      }
      String where = "vrrpInstances[" + in.name() + "].connectionSync";
      if (found != null) {
        throw new VrrpConfigException(
            where
                + ": vrrpInstances["
                + found.instance()
                + "] drives this node's sync daemon already; one instance per node may");
      }
      InetAddress group = c.group() == null ? null : literal(where + ".group", c.group());
      try {
        found =
            new ConnectionSyncFollower.Wanted(
                in.name(),
                new SyncDaemon(
                    IpvsConstants.IP_VS_STATE_BACKUP,
                    c.interfaceName(),
                    c.syncId(),
                    c.maxLength() == null ? 0 : c.maxLength(),
                    c.port() == null ? 0 : c.port(),
                    c.ttl() == null ? 0 : c.ttl(),
                    group));
      } catch (IllegalArgumentException e) {
        throw new VrrpConfigException(where + ": " + e.getMessage());
      }
    }
    return found;
  }

  /** Every sync group, in order. */
  public static List<SyncGroupConfig> syncGroups(List<LvsNodeSpec.SyncGroup> groups) {
    List<SyncGroupConfig> configs = new ArrayList<>(groups.size());
    for (LvsNodeSpec.SyncGroup g : groups) {
      configs.add(new SyncGroupConfig(g.name(), g.instances()));
    }
    return configs;
  }

  /** Every service as its checks see it, in order. */
  public static List<CheckedService> checkedServices(List<LvsNodeSpec.IpvsService> services) {
    List<CheckedService> checked = new ArrayList<>(services.size());
    for (LvsNodeSpec.IpvsService s : services) {
      checked.add(checkedService(s));
    }
    return List.copyOf(checked);
  }

  /** One service as its checks see it: a field-for-field copy, validated by the health monitor. */
  public static CheckedService checkedService(LvsNodeSpec.IpvsService s) {
    List<CheckedDestination> destinations = new ArrayList<>(s.destinations().size());
    for (LvsNodeSpec.Destination d : s.destinations()) {
      destinations.add(new CheckedDestination(d.address(), d.port(), d.weight(), d.drain()));
    }
    FailureAction onFailure =
        s.onFailure() == null
            ? null
            : switch (s.onFailure()) {
              case REMOVE -> FailureAction.REMOVE;
              case WEIGHT_ZERO -> FailureAction.WEIGHT_ZERO;
            };
    return new CheckedService(
        s.address(), s.port(), healthCheck(s.healthCheck()), onFailure, destinations);
  }

  /** A compiled check as the health monitor takes it; null stays null. */
  public static HealthCheck healthCheck(LvsNodeSpec.CompiledHealthCheck c) {
    if (c == null) {
      return null;
    }
    CheckType type =
        c.type() == null
            ? null
            : switch (c.type()) {
              case HTTP_GET -> CheckType.HTTP_GET;
              case HTTPS_GET -> CheckType.HTTPS_GET;
              case TCP -> CheckType.TCP;
              case NONE -> CheckType.NONE;
            };
    return new HealthCheck(
        type,
        c.path(),
        c.expectedStatus(),
        c.host(),
        c.bodyContains(),
        c.caBundle(),
        c.port(),
        c.intervalMs(),
        c.timeoutMs(),
        c.retry(),
        c.delayBeforeRetryMs(),
        c.rise(),
        c.fall());
  }

  /** As below, for a service seen for the first time. */
  public static EffectiveIpvsService effective(
      LvsNodeSpec.IpvsService compiled, EffectiveService checked) {
    return effective(compiled, checked, null);
  }

  /**
   * The compiled service as IPVS should have it given its checks and its quorum: the destinations
   * the checks keep, in the compiled order, at the weight they decided, or the sorry server in
   * their place while quorum is lost ({@link ServiceQuorum}); every other field as compiled (a
   * field the API adds must be passed on here).
   *
   * @param hadQuorum whether the service had quorum before, null when it is new
   */
  public static EffectiveIpvsService effective(
      LvsNodeSpec.IpvsService compiled, EffectiveService checked, Boolean hadQuorum) {
    List<LvsNodeSpec.Destination> kept = new ArrayList<>(compiled.destinations().size());
    List<DestinationEffect> effects = checked.destinations();
    for (int i = 0; i < effects.size(); i++) {
      DestinationEffect effect = effects.get(i);
      if (effect.inIpvs()) {
        LvsNodeSpec.Destination d = compiled.destinations().get(i);
        kept.add(
            d.weight() == effect.weight()
                ? d
                : new LvsNodeSpec.Destination(
                    d.address(), d.port(), effect.weight(), d.forwarding(), d.drain()));
      }
    }
    int liveWeight = ServiceQuorum.liveWeight(effects);
    boolean quorum = ServiceQuorum.hasQuorum(compiled, hadQuorum, liveWeight);
    LvsNodeSpec.IpvsService service =
        new LvsNodeSpec.IpvsService(
            compiled.address(),
            compiled.port(),
            compiled.protocol(),
            compiled.scheduler(),
            compiled.persistenceTimeoutSeconds(),
            compiled.persistenceNetmask(),
            compiled.vrrpInstance(),
            compiled.healthCheck(),
            compiled.onFailure(),
            ServiceQuorum.destinations(compiled, quorum, kept),
            compiled.source(),
            compiled.firewallMark(),
            compiled.sorryServer(),
            compiled.quorum(),
            compiled.hysteresis());
    return new EffectiveIpvsService(service, effects, checked.allDown(), quorum, liveWeight);
  }
}
