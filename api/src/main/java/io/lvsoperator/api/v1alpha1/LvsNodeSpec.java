package io.lvsoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * The desired state of one node, as the compiler computes it: complete and with every default
 * resolved, so the agent needs nothing else. Lists are sorted so equal inputs serialize to equal
 * bytes.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record LvsNodeSpec(
    @JsonPropertyDescription("VRRP instances this node runs as a director.")
        List<VrrpInstance> vrrpInstances,
    @JsonPropertyDescription("IPVS services this node programs as a director.")
        List<IpvsService> ipvsServices,
    @JsonPropertyDescription(
            "VIPs this node holds on lo/32 as a DR real server (with arp_ignore=1,"
                + " arp_announce=2).")
        List<String> realServerVips,
    @JsonPropertyDescription(
            "The VirtualServers (and their generations) this spec was compiled from.")
        List<Source> sources,
    @JsonPropertyDescription(
            "VRRP instances that change state together (keepalived: vrrp_sync_group).")
        List<SyncGroup> syncGroups) {

  public LvsNodeSpec {
    syncGroups = syncGroups == null ? List.of() : List.copyOf(syncGroups);
    vrrpInstances = vrrpInstances == null ? List.of() : List.copyOf(vrrpInstances);
    ipvsServices = ipvsServices == null ? List.of() : List.copyOf(ipvsServices);
    realServerVips = realServerVips == null ? List.of() : List.copyOf(realServerVips);
    sources = sources == null ? List.of() : List.copyOf(sources);
  }

  /** An empty spec: the node does nothing. */
  public static LvsNodeSpec empty() {
    return new LvsNodeSpec(List.of(), List.of(), List.of(), List.of(), List.of());
  }

  /** Without sync groups (most nodes). */
  public LvsNodeSpec(
      List<VrrpInstance> vrrpInstances,
      List<IpvsService> ipvsServices,
      List<String> realServerVips,
      List<Source> sources) {
    this(vrrpInstances, ipvsServices, realServerVips, sources, List.of());
  }

  /** Instances, by name, that change state together. */
  public record SyncGroup(
      @JsonPropertyDescription("Group name, '<namespace>/<syncGroup>'.") String name,
      @JsonPropertyDescription("Names of the VRRP instances in the group.")
          List<String> instances) {
    public SyncGroup {
      instances = instances == null ? List.of() : List.copyOf(instances);
    }
  }

  /** One VRRP instance, every default resolved. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record VrrpInstance(
      @JsonPropertyDescription("Stable name, '<interface>-<vrid>'.") String name,
      @JsonProperty("interface") @JsonPropertyDescription("Interface name.") String interfaceName,
      @JsonPropertyDescription("Virtual router id 1-255.") int virtualRouterId,
      @JsonPropertyDescription("This node's priority 1-254.") int priority,
      @JsonPropertyDescription("VRRP version, 2 or 3.") int version,
      @JsonPropertyDescription("Advertisement interval in milliseconds.") int advertIntervalMs,
      @JsonPropertyDescription("Preempt a lower-priority master.") boolean preempt,
      @JsonPropertyDescription("Delay before preempting, in milliseconds.") int preemptDelayMs,
      @JsonPropertyDescription("Accept mode.") boolean accept,
      @JsonPropertyDescription("VRRP v2 PASS password, when used.") String authPass,
      @JsonPropertyDescription("Unicast peers; empty means multicast to 224.0.0.18.")
          List<String> unicastPeers,
      @JsonPropertyDescription(
              "Addresses the master holds and advertises, in advertisement order (at most 255).")
          List<Vip> vips,
      @JsonPropertyDescription("Interfaces whose loss means FAULT (the VRRP interface included).")
          List<String> trackInterfaces,
      @JsonPropertyDescription("Gratuitous ARP on becoming master.") Garp garp,
      @JsonInclude(JsonInclude.Include.NON_EMPTY)
          @JsonPropertyDescription(
              "Addresses the master holds but does not advertise (keepalived:"
                  + " virtual_ipaddress_excluded, and the addresses beyond the 255th).")
          List<Vip> excludedVips,
      @JsonPropertyDescription(
              "The VrrpInstance object (namespace/name) this instance runs; absent for the"
                  + " one-VIP instance of VirtualServers without spec.vrrpInstance.")
          String definedBy,
      @JsonProperty("notify")
          @JsonPropertyDescription(
              "Commands to run on state changes (standalone mode only); absent: none.")
          Notify notifyCommands,
      @JsonPropertyDescription(
              "The IPVS connection sync daemon this instance drives (master while MASTER, backup"
                  + " otherwise); absent: none. At most one instance per node has it.")
          ConnectionSync connectionSync,
      @JsonPropertyDescription(
              "In a node's head (LvsNodeHeadSpec), instead of authPass: the key of the operator's"
                  + " lvs-vrrp-auth Secret that holds it. Absent in a complete spec.")
          String authPassKey) {

    public VrrpInstance {
      unicastPeers = unicastPeers == null ? List.of() : List.copyOf(unicastPeers);
      vips = vips == null ? List.of() : List.copyOf(vips);
      trackInterfaces = trackInterfaces == null ? List.of() : List.copyOf(trackInterfaces);
      excludedVips = excludedVips == null ? List.of() : List.copyOf(excludedVips);
    }

    /**
     * The same instance with these addresses, and the password either as {@code authPass} or as the
     * {@code authPassKey} that names it.
     */
    public VrrpInstance withAddresses(
        List<Vip> vips, List<Vip> excludedVips, String authPass, String authPassKey) {
      return new VrrpInstance(
          name,
          interfaceName,
          virtualRouterId,
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

    /** Every address advertised, none excluded, no VrrpInstance object. */
    public VrrpInstance(
        String name,
        String interfaceName,
        int virtualRouterId,
        int priority,
        int version,
        int advertIntervalMs,
        boolean preempt,
        int preemptDelayMs,
        boolean accept,
        String authPass,
        List<String> unicastPeers,
        List<Vip> vips,
        List<String> trackInterfaces,
        Garp garp) {
      this(
          name,
          interfaceName,
          virtualRouterId,
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
          List.of(),
          null,
          null,
          null,
          null);
    }
  }

  /**
   * Commands run on state changes, each a command line split on whitespace (double quotes keep
   * words together), at most {@code timeoutMs} each, never on the VRRP thread.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Notify(
      @JsonPropertyDescription("Run on becoming MASTER (keepalived: notify_master).") String master,
      @JsonPropertyDescription("Run on becoming BACKUP (keepalived: notify_backup).") String backup,
      @JsonPropertyDescription("Run on entering FAULT (keepalived: notify_fault).") String fault,
      @JsonPropertyDescription("Run when the instance stops (keepalived: notify_stop).")
          String stop,
      @JsonPropertyDescription(
              "Run on every change with INSTANCE <name> <STATE> <priority> appended (keepalived:"
                  + " notify).")
          String any,
      @JsonPropertyDescription("Milliseconds one command may run before it is killed.")
          int timeoutMs) {}

  /** The kernel's IPVS connection sync daemon; absent options are the kernel's defaults. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ConnectionSync(
      @JsonProperty("interface") @JsonPropertyDescription("Interface of the sync messages.")
          String interfaceName,
      @JsonPropertyDescription("Sync id 0-255.") int syncId,
      @JsonPropertyDescription("Largest sync message in bytes; absent: from the MTU.")
          Integer maxLength,
      @JsonPropertyDescription("UDP port; absent: 8848.") Integer port,
      @JsonPropertyDescription("Multicast TTL; absent: 1.") Integer ttl,
      @JsonPropertyDescription("Multicast group; absent: 224.0.0.81.") String group) {}

  /** An address the VRRP master holds. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Vip(
      @JsonPropertyDescription("The address.") String address,
      @JsonPropertyDescription("Prefix length on the interface.") int prefixLength,
      @JsonPropertyDescription("Address label, e.g. eth0:1.") String label,
      @JsonProperty("interface")
          @JsonPropertyDescription(
              "Interface the address goes on; absent: the instance's interface.")
          String interfaceName,
      @JsonPropertyDescription(
              "The VirtualServer (namespace/name) whose VIP this is; absent for an address of"
                  + " the VrrpInstance itself.")
          String source) {

    /** On the instance's interface, of no VirtualServer. */
    public Vip(String address, int prefixLength, String label) {
      this(address, prefixLength, label, null, null);
    }

    /** The interface the address goes on, given the instance's. */
    public String interfaceOr(String instanceInterface) {
      return interfaceName != null ? interfaceName : instanceInterface;
    }
  }

  /** Gratuitous ARP settings. */
  public record Garp(
      @JsonPropertyDescription("ARPs sent on becoming master.") int repeat,
      @JsonPropertyDescription("Milliseconds between them.") int intervalMs,
      @JsonPropertyDescription("Refresh period while master in milliseconds, 0 for none.")
          int refreshMs) {}

  /** One IPVS virtual service, every default resolved. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record IpvsService(
      @JsonPropertyDescription("Virtual address.") String address,
      @JsonPropertyDescription("Virtual port.") int port,
      @JsonPropertyDescription("TCP, UDP or SCTP.") Protocol protocol,
      @JsonPropertyDescription("Kernel scheduler name.") Scheduler scheduler,
      @JsonPropertyDescription("Persistence timeout in seconds, 0 for none.")
          int persistenceTimeoutSeconds,
      @JsonPropertyDescription("Persistence netmask.") String persistenceNetmask,
      @JsonPropertyDescription("The VRRP instance that carries the address.") String vrrpInstance,
      @JsonPropertyDescription("How real servers are checked.") CompiledHealthCheck healthCheck,
      @JsonPropertyDescription("What a failed check does to a destination.") OnFailure onFailure,
      @JsonPropertyDescription("Real servers.") List<Destination> destinations,
      @JsonPropertyDescription("The VirtualServer (namespace/name) this service comes from.")
          String source,
      @JsonPropertyDescription(
              "Firewall mark the service is keyed by instead of address and port (ipvsadm -f);"
                  + " port is then 0.")
          Long firewallMark,
      @JsonPropertyDescription(
              "Destination that replaces the real servers while quorum is lost (keepalived:"
                  + " sorry_server).")
          Destination sorryServer,
      @JsonPropertyDescription(
              "Sum of healthy, undrained weights below which (less hysteresis) quorum is lost;"
                  + " absent: 1.")
          Integer quorum,
      @JsonPropertyDescription("Quorum hysteresis; absent: 0.") Integer hysteresis) {

    public IpvsService {
      destinations = destinations == null ? List.of() : List.copyOf(destinations);
    }

    /** The same service from {@code source}. */
    public IpvsService withSource(String source) {
      return new IpvsService(
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

    /** The quorum, 1 when absent. */
    public int quorumOrDefault() {
      return quorum == null ? 1 : quorum;
    }

    /** The hysteresis, 0 when absent. */
    public int hysteresisOrDefault() {
      return hysteresis == null ? 0 : hysteresis;
    }

    /** Without firewall mark, sorry server and quorum settings. */
    public IpvsService(
        String address,
        int port,
        Protocol protocol,
        Scheduler scheduler,
        int persistenceTimeoutSeconds,
        String persistenceNetmask,
        String vrrpInstance,
        CompiledHealthCheck healthCheck,
        OnFailure onFailure,
        List<Destination> destinations,
        String source) {
      this(
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
          null,
          null,
          null,
          null);
    }

    /** Of no known VirtualServer. */
    public IpvsService(
        String address,
        int port,
        Protocol protocol,
        Scheduler scheduler,
        int persistenceTimeoutSeconds,
        String persistenceNetmask,
        String vrrpInstance,
        CompiledHealthCheck healthCheck,
        OnFailure onFailure,
        List<Destination> destinations) {
      this(
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
          null);
    }
  }

  /** One IPVS destination (real server). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Destination(
      @JsonPropertyDescription("Real server address.") String address,
      @JsonPropertyDescription("Real server port.") int port,
      @JsonPropertyDescription("Configured weight (used while healthy and not drained).")
          int weight,
      @JsonPropertyDescription("Forwarding method.") Forwarding forwarding,
      @JsonPropertyDescription("Drained: weight 0 whatever the checks say.") boolean drain) {}

  /** A health check with keepalived's timing terms resolved to milliseconds. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CompiledHealthCheck(
      @JsonPropertyDescription("Check type.") HealthCheckType type,
      @JsonPropertyDescription("HTTP path.") String path,
      @JsonPropertyDescription("Healthy status codes and ranges.") List<String> expectedStatus,
      @JsonPropertyDescription("Host header and TLS server name.") String host,
      @JsonPropertyDescription("Required body substring.") String bodyContains,
      @JsonPropertyDescription("PEM CA bundle for HTTPS verification.") String caBundle,
      @JsonPropertyDescription("Port checked, when not the destination's.") Integer port,
      @JsonPropertyDescription("Milliseconds between checks (delay_loop).") int intervalMs,
      @JsonPropertyDescription("Connect and response timeout in milliseconds.") int timeoutMs,
      @JsonPropertyDescription("keepalived retry count, when given.") Integer retry,
      @JsonPropertyDescription("Milliseconds between a failure and its retry.")
          int delayBeforeRetryMs,
      @JsonPropertyDescription("Successes to come up.") int rise,
      @JsonPropertyDescription("Failures to go down.") int fall) {

    public CompiledHealthCheck {
      expectedStatus = expectedStatus == null ? List.of() : List.copyOf(expectedStatus);
    }
  }

  /** A VirtualServer this spec comes from. */
  public record Source(
      @JsonPropertyDescription("Namespace.") String namespace,
      @JsonPropertyDescription("Name.") String name,
      @JsonPropertyDescription("metadata.generation compiled.") long generation,
      @JsonInclude(JsonInclude.Include.NON_EMPTY)
          @JsonPropertyDescription(
              "Its VIPs this node holds on lo as a DR real server (a part of realServerVips).")
          List<String> realServerVips) {

    public Source {
      realServerVips = realServerVips == null ? List.of() : List.copyOf(realServerVips);
    }

    /** Of a director (no VIP on lo). */
    public Source(String namespace, String name, long generation) {
      this(namespace, name, generation, List.of());
    }

    /** "namespace/name", as the items of the spec name their source. */
    public String key() {
      return namespace + "/" + name;
    }
  }
}
