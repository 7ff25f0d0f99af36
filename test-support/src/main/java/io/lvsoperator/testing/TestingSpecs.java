package io.lvsoperator.testing;

import io.lvsoperator.api.v1alpha1.Forwarding;
import io.lvsoperator.api.v1alpha1.HealthCheckType;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.api.v1alpha1.OnFailure;
import io.lvsoperator.api.v1alpha1.Protocol;
import io.lvsoperator.api.v1alpha1.Scheduler;
import java.util.ArrayList;
import java.util.List;

/**
 * Builders of the compiled spec's records for tests, so a test names only what it is about and a
 * new field of {@link LvsNodeSpec} changes one place. Every builder starts from the defaults below
 * or from an existing record ({@code from}), and {@code build()} makes the record.
 */
public final class TestingSpecs {

  private TestingSpecs() {}

  /** A check of {@code type} with nothing else set: every default of the agent applies. */
  public static HealthCheckBuilder check(HealthCheckType type) {
    return new HealthCheckBuilder(type);
  }

  /**
   * The reference scenario's check: HTTP GET / expecting 200, delay_loop 6, connect_timeout 3,
   * retry 3, delay_before_retry 3; rise 1 as keepalived.
   */
  public static HealthCheckBuilder keepalivedReferenceCheck() {
    return check(HealthCheckType.HTTP_GET)
        .path("/")
        .expectedStatus("200")
        .intervalMs(6000)
        .timeoutMs(3000)
        .retry(3)
        .delayBeforeRetryMs(3000)
        .rise(1);
  }

  /** A TCP service {@code address:port}, rr, no persistence, no check, no destination. */
  public static ServiceBuilder service(String address, int port) {
    return new ServiceBuilder(address, port);
  }

  /** A destination with weight {@code weight}, not drained. */
  public static LvsNodeSpec.Destination destination(
      String address, int port, int weight, Forwarding forwarding) {
    return new LvsNodeSpec.Destination(address, port, weight, forwarding, false);
  }

  /**
   * A VRRP instance {@code name} on {@code interfaceName}, VRID {@code vrid}: priority 100, VRRPv3
   * every second, preempting at once, no authentication, multicast, no VIP, no GARP settings.
   */
  public static VrrpInstanceBuilder vrrpInstance(String name, String interfaceName, int vrid) {
    return new VrrpInstanceBuilder(name, interfaceName, vrid);
  }

  /** A node spec of these instances and services, nothing else. */
  public static LvsNodeSpec spec(
      List<LvsNodeSpec.VrrpInstance> instances, List<LvsNodeSpec.IpvsService> services) {
    return new LvsNodeSpec(instances, services, List.of(), List.of());
  }

  /** {@link LvsNodeSpec.CompiledHealthCheck}: 13 fields, named one by one. */
  public static final class HealthCheckBuilder {
    private HealthCheckType type;
    private String path;
    private List<String> expectedStatus = List.of();
    private String host;
    private String bodyContains;
    private String caBundle;
    private Integer port;
    private int intervalMs;
    private int timeoutMs;
    private Integer retry;
    private int delayBeforeRetryMs;
    private int rise;
    private int fall;

    private HealthCheckBuilder(HealthCheckType type) {
      this.type = type;
    }

    /** Starts from {@code check}, field for field. */
    public static HealthCheckBuilder from(LvsNodeSpec.CompiledHealthCheck check) {
      return new HealthCheckBuilder(check.type())
          .path(check.path())
          .expectedStatus(check.expectedStatus())
          .host(check.host())
          .bodyContains(check.bodyContains())
          .caBundle(check.caBundle())
          .port(check.port())
          .intervalMs(check.intervalMs())
          .timeoutMs(check.timeoutMs())
          .retry(check.retry())
          .delayBeforeRetryMs(check.delayBeforeRetryMs())
          .rise(check.rise())
          .fall(check.fall());
    }

    public HealthCheckBuilder type(HealthCheckType type) {
      this.type = type;
      return this;
    }

    public HealthCheckBuilder path(String path) {
      this.path = path;
      return this;
    }

    public HealthCheckBuilder expectedStatus(String... codes) {
      return expectedStatus(List.of(codes));
    }

    public HealthCheckBuilder expectedStatus(List<String> codes) {
      this.expectedStatus = codes;
      return this;
    }

    public HealthCheckBuilder host(String host) {
      this.host = host;
      return this;
    }

    public HealthCheckBuilder bodyContains(String bodyContains) {
      this.bodyContains = bodyContains;
      return this;
    }

    public HealthCheckBuilder caBundle(String caBundle) {
      this.caBundle = caBundle;
      return this;
    }

    public HealthCheckBuilder port(Integer port) {
      this.port = port;
      return this;
    }

    public HealthCheckBuilder intervalMs(int intervalMs) {
      this.intervalMs = intervalMs;
      return this;
    }

    public HealthCheckBuilder timeoutMs(int timeoutMs) {
      this.timeoutMs = timeoutMs;
      return this;
    }

    public HealthCheckBuilder retry(Integer retry) {
      this.retry = retry;
      return this;
    }

    public HealthCheckBuilder delayBeforeRetryMs(int delayBeforeRetryMs) {
      this.delayBeforeRetryMs = delayBeforeRetryMs;
      return this;
    }

    public HealthCheckBuilder rise(int rise) {
      this.rise = rise;
      return this;
    }

    public HealthCheckBuilder fall(int fall) {
      this.fall = fall;
      return this;
    }

    /** Interval, timeout and delay before retry of {@code ms}, rise and fall 1, no retry. */
    public HealthCheckBuilder fast(int ms) {
      return intervalMs(ms).timeoutMs(ms).delayBeforeRetryMs(ms).retry(null).rise(1).fall(1);
    }

    public LvsNodeSpec.CompiledHealthCheck build() {
      return new LvsNodeSpec.CompiledHealthCheck(
          type,
          path,
          expectedStatus,
          host,
          bodyContains,
          caBundle,
          port,
          intervalMs,
          timeoutMs,
          retry,
          delayBeforeRetryMs,
          rise,
          fall);
    }
  }

  /** {@link LvsNodeSpec.IpvsService}. */
  public static final class ServiceBuilder {
    private String address;
    private int port;
    private Protocol protocol = Protocol.TCP;
    private Scheduler scheduler = Scheduler.rr;
    private int persistenceTimeoutSeconds;
    private String persistenceNetmask;
    private String vrrpInstance;
    private LvsNodeSpec.CompiledHealthCheck healthCheck;
    private OnFailure onFailure;
    private List<LvsNodeSpec.Destination> destinations = new ArrayList<>();
    private String source;
    private Long firewallMark;
    private LvsNodeSpec.Destination sorryServer;
    private Integer quorum;
    private Integer hysteresis;

    private ServiceBuilder(String address, int port) {
      this.address = address;
      this.port = port;
    }

    /** Starts from {@code service}, field for field. */
    public static ServiceBuilder from(LvsNodeSpec.IpvsService service) {
      return new ServiceBuilder(service.address(), service.port())
          .protocol(service.protocol())
          .scheduler(service.scheduler())
          .persistence(service.persistenceTimeoutSeconds(), service.persistenceNetmask())
          .vrrpInstance(service.vrrpInstance())
          .healthCheck(service.healthCheck())
          .onFailure(service.onFailure())
          .destinations(service.destinations())
          .source(service.source())
          .firewallMark(service.firewallMark())
          .sorryServer(service.sorryServer())
          .quorum(service.quorum(), service.hysteresis());
    }

    /** The firewall mark the service is keyed by (ipvsadm -f). */
    public ServiceBuilder firewallMark(Long firewallMark) {
      this.firewallMark = firewallMark;
      return this;
    }

    public ServiceBuilder sorryServer(LvsNodeSpec.Destination sorryServer) {
      this.sorryServer = sorryServer;
      return this;
    }

    public ServiceBuilder quorum(Integer quorum, Integer hysteresis) {
      this.quorum = quorum;
      this.hysteresis = hysteresis;
      return this;
    }

    /** The VirtualServer (namespace/name) the service comes from. */
    public ServiceBuilder source(String source) {
      this.source = source;
      return this;
    }

    public ServiceBuilder address(String address) {
      this.address = address;
      return this;
    }

    public ServiceBuilder port(int port) {
      this.port = port;
      return this;
    }

    public ServiceBuilder protocol(Protocol protocol) {
      this.protocol = protocol;
      return this;
    }

    public ServiceBuilder scheduler(Scheduler scheduler) {
      this.scheduler = scheduler;
      return this;
    }

    public ServiceBuilder persistence(int timeoutSeconds, String netmask) {
      this.persistenceTimeoutSeconds = timeoutSeconds;
      this.persistenceNetmask = netmask;
      return this;
    }

    public ServiceBuilder vrrpInstance(String vrrpInstance) {
      this.vrrpInstance = vrrpInstance;
      return this;
    }

    public ServiceBuilder healthCheck(LvsNodeSpec.CompiledHealthCheck healthCheck) {
      this.healthCheck = healthCheck;
      return this;
    }

    public ServiceBuilder onFailure(OnFailure onFailure) {
      this.onFailure = onFailure;
      return this;
    }

    /** Replaces the destinations. */
    public ServiceBuilder destinations(List<LvsNodeSpec.Destination> destinations) {
      this.destinations = new ArrayList<>(destinations);
      return this;
    }

    public ServiceBuilder destination(LvsNodeSpec.Destination destination) {
      destinations.add(destination);
      return this;
    }

    public LvsNodeSpec.IpvsService build() {
      return new LvsNodeSpec.IpvsService(
          address,
          port,
          protocol,
          scheduler,
          persistenceTimeoutSeconds,
          persistenceNetmask,
          vrrpInstance,
          healthCheck,
          onFailure,
          destinations,
          source,
          firewallMark,
          sorryServer,
          quorum,
          hysteresis);
    }
  }

  /** {@link LvsNodeSpec.VrrpInstance}. */
  public static final class VrrpInstanceBuilder {
    private String name;
    private String interfaceName;
    private int vrid;
    private int priority = 100;
    private int version = 3;
    private int advertIntervalMs = 1000;
    private boolean preempt = true;
    private int preemptDelayMs;
    private boolean accept;
    private String authPass;
    private List<String> unicastPeers = List.of();
    private List<LvsNodeSpec.Vip> vips = new ArrayList<>();
    private List<String> trackInterfaces = List.of();
    private LvsNodeSpec.Garp garp;
    private List<LvsNodeSpec.Vip> excludedVips = new ArrayList<>();
    private String definedBy;
    private LvsNodeSpec.Notify notifyCommands;
    private LvsNodeSpec.ConnectionSync connectionSync;
    private String authPassKey;

    private VrrpInstanceBuilder(String name, String interfaceName, int vrid) {
      this.name = name;
      this.interfaceName = interfaceName;
      this.vrid = vrid;
    }

    /** Starts from {@code instance}, field for field. */
    public static VrrpInstanceBuilder from(LvsNodeSpec.VrrpInstance instance) {
      VrrpInstanceBuilder b =
          new VrrpInstanceBuilder(
              instance.name(), instance.interfaceName(), instance.virtualRouterId());
      b.priority = instance.priority();
      b.version = instance.version();
      b.advertIntervalMs = instance.advertIntervalMs();
      b.preempt = instance.preempt();
      b.preemptDelayMs = instance.preemptDelayMs();
      b.accept = instance.accept();
      b.authPass = instance.authPass();
      b.unicastPeers = instance.unicastPeers();
      b.vips = new ArrayList<>(instance.vips());
      b.trackInterfaces = instance.trackInterfaces();
      b.garp = instance.garp();
      b.excludedVips = new ArrayList<>(instance.excludedVips());
      b.definedBy = instance.definedBy();
      b.notifyCommands = instance.notifyCommands();
      b.connectionSync = instance.connectionSync();
      b.authPassKey = instance.authPassKey();
      return b;
    }

    public VrrpInstanceBuilder name(String name) {
      this.name = name;
      return this;
    }

    public VrrpInstanceBuilder virtualRouterId(int vrid) {
      this.vrid = vrid;
      return this;
    }

    public VrrpInstanceBuilder priority(int priority) {
      this.priority = priority;
      return this;
    }

    /** VRRP version 2 or 3 and the advert interval in milliseconds. */
    public VrrpInstanceBuilder version(int version, int advertIntervalMs) {
      this.version = version;
      this.advertIntervalMs = advertIntervalMs;
      return this;
    }

    public VrrpInstanceBuilder preempt(boolean preempt, int delayMs) {
      this.preempt = preempt;
      this.preemptDelayMs = delayMs;
      return this;
    }

    public VrrpInstanceBuilder accept(boolean accept) {
      this.accept = accept;
      return this;
    }

    public VrrpInstanceBuilder authPass(String authPass) {
      this.authPass = authPass;
      return this;
    }

    public VrrpInstanceBuilder unicastPeers(String... peers) {
      this.unicastPeers = List.of(peers);
      return this;
    }

    /** Replaces the VIPs. */
    public VrrpInstanceBuilder vips(List<LvsNodeSpec.Vip> vips) {
      this.vips = new ArrayList<>(vips);
      return this;
    }

    public VrrpInstanceBuilder vip(String address, int prefixLength, String label) {
      vips.add(new LvsNodeSpec.Vip(address, prefixLength, label));
      return this;
    }

    public VrrpInstanceBuilder trackInterfaces(String... interfaces) {
      this.trackInterfaces = List.of(interfaces);
      return this;
    }

    /** An address the master holds but does not advertise. */
    public VrrpInstanceBuilder excludedVip(String address, int prefixLength, String label) {
      excludedVips.add(new LvsNodeSpec.Vip(address, prefixLength, label));
      return this;
    }

    /** The VrrpInstance object (namespace/name) this instance runs. */
    public VrrpInstanceBuilder definedBy(String definedBy) {
      this.definedBy = definedBy;
      return this;
    }

    /** Commands run on state changes (standalone). */
    public VrrpInstanceBuilder notifyCommands(LvsNodeSpec.Notify notifyCommands) {
      this.notifyCommands = notifyCommands;
      return this;
    }

    public VrrpInstanceBuilder connectionSync(LvsNodeSpec.ConnectionSync connectionSync) {
      this.connectionSync = connectionSync;
      return this;
    }

    /** In a node's head: the key of the Secret entry that holds the password. */
    public VrrpInstanceBuilder authPassKey(String authPassKey) {
      this.authPassKey = authPassKey;
      return this;
    }

    public VrrpInstanceBuilder garp(int repeat, int intervalMs, int refreshMs) {
      this.garp = new LvsNodeSpec.Garp(repeat, intervalMs, refreshMs);
      return this;
    }

    public LvsNodeSpec.VrrpInstance build() {
      return new LvsNodeSpec.VrrpInstance(
          name,
          interfaceName,
          vrid,
          priority,
          version,
          advertIntervalMs,
          preempt,
          preemptDelayMs,
          accept,
          authPass,
          unicastPeers,
          vips,
          trackInterfaces,
          garp,
          excludedVips,
          definedBy,
          notifyCommands,
          connectionSync,
          authPassKey);
    }
  }
}
