package io.lvsoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;
import java.util.Map;

/**
 * What a VirtualServer asks for: one VIP (and optionally one IPVS service on it), the real servers
 * behind it, how they are checked, and which nodes direct it with VRRP.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "has(self.port) || has(self.firewallMark) || (!has(self.realServers) &&"
            + " !has(self.realServerSelector))",
    message =
        "spec.port is required when real servers are given (only a VIP-only instance or a"
            + " firewall-mark service has no port)")
@ValidationRule(
    value = "!has(self.firewallMark) || !has(self.additionalAddresses)",
    message =
        "spec.additionalAddresses and spec.firewallMark exclude each other (a firewall-mark"
            + " service has no address)")
@ValidationRule(
    value =
        "has(self.port) || has(self.firewallMark) || (!has(self.sorryServer) &&"
            + " !has(self.quorum) && !has(self.hysteresis))",
    message =
        "spec.sorryServer, spec.quorum and spec.hysteresis apply only to a service (spec.port or"
            + " spec.firewallMark)")
@ValidationRule(
    value = "has(self.vrrpInstance) || has(self.directors)",
    message = "spec.directors is required unless spec.vrrpInstance names a VrrpInstance")
@ValidationRule(
    value = "!has(self.vrrpInstance) || (!has(self.vrrp) && !has(self.directors))",
    message =
        "spec.vrrp and spec.directors must be absent when spec.vrrpInstance is given (the"
            + " VrrpInstance has them)")
public record VirtualServerSpec(
    @Required
        @Pattern(Patterns.IP_ADDRESS)
        @JsonPropertyDescription(
            "The virtual IP address clients connect to (keepalived: the address in"
                + " virtual_ipaddress and in 'virtual_server VIP PORT'). IPv4 today; the type also"
                + " accepts IPv6 text for later.")
        String vip,
    @Min(1)
        @Max(65535)
        @JsonPropertyDescription(
            "The service port (keepalived: the PORT of 'virtual_server VIP PORT'). Absent means a"
                + " VIP-only instance: VRRP moves the address, no IPVS service is created (a bare"
                + " keepalived vrrp_instance).")
        Integer port,
    @JsonPropertyDescription("Transport protocol (keepalived: protocol). Default TCP.")
        Protocol protocol,
    @JsonPropertyDescription(
            "IPVS scheduler, the kernel's name (keepalived: lb_algo; ipvsadm -s). Default wlc.")
        Scheduler scheduler,
    @JsonPropertyDescription(
            "Forwarding method to the real servers (keepalived: lb_kind; ipvsadm -g/-m/-i). Default"
                + " DR.")
        Forwarding forwarding,
    @Min(0)
        @Max(2678400)
        @JsonPropertyDescription(
            "Client affinity in seconds; 0 or absent turns persistence off (keepalived:"
                + " persistence_timeout; ipvsadm -p).")
        Integer persistenceTimeoutSeconds,
    @Pattern(Patterns.IPV4_NETMASK)
        @JsonPropertyDescription(
            "Netmask grouping clients for persistence, e.g. 255.255.255.0 (keepalived:"
                + " persistence_granularity; ipvsadm -M). Default 255.255.255.255.")
        String persistenceNetmask,
    @Size(max = 1000)
        @JsonPropertyDescription(
            "Real servers listed inline (keepalived: real_server blocks). May be combined with"
                + " realServerSelector; duplicates (same address and port) are merged.")
        List<InlineRealServer> realServers,
    @JsonPropertyDescription(
            "Selects RealServer objects in this namespace by their labels, in addition to those"
                + " naming this VirtualServer in spec.virtualServer.")
        LabelSelector realServerSelector,
    @JsonPropertyDescription(
            "How the directors check each real server (keepalived: HTTP_GET, SSL_GET, TCP_CHECK)."
                + " Absent means a TCP connect check with fast defaults.")
        HealthCheck healthCheck,
    @JsonPropertyDescription(
            "VRRP settings of the instance that moves the VIP (keepalived: vrrp_instance).")
        Vrrp vrrp,
    @JsonPropertyDescription(
            "Which nodes direct this VIP (run VRRP and IPVS for it), and their priority order."
                + " Required unless spec.vrrpInstance is given.")
        Directors directors,
    @Pattern(Patterns.OBJECT_NAME)
        @JsonPropertyDescription(
            "Name of a VrrpInstance in this namespace whose VRRP instance carries this VIP"
                + " (keepalived: the VIP listed in that vrrp_instance's virtual_ipaddress). Then"
                + " spec.vrrp and spec.directors must be absent: the instance's apply. Absent: the"
                + " VIP has an instance of its own, shared only with VirtualServers of the same"
                + " VIP.")
        String vrrpInstance,
    @JsonPropertyDescription(
            "Where new connections go while quorum is lost (keepalived: sorry_server IP PORT): added"
                + " as the only destination, removed when quorum is back. Forwarded as the"
                + " service's real servers (keepalived's sorry_server_lvs_method is not"
                + " supported).")
        SorryServer sorryServer,
    @Min(1)
        @JsonPropertyDescription(
            "Sum of the weights of the healthy, undrained real servers the service needs (keepalived:"
                + " quorum). Quorum is lost when the sum falls below quorum - hysteresis (or to"
                + " 0), and gained again at quorum + hysteresis or more. On loss with a"
                + " sorryServer, the sorry server replaces the remaining real servers; without"
                + " one, nothing is removed. Default 1.")
        Integer quorum,
    @Min(0)
        @JsonPropertyDescription(
            "Tolerance around quorum, against flapping (keepalived: hysteresis). Default 0.")
        Integer hysteresis,
    @Size(max = 256)
        @JsonPropertyDescription(
            "More VIP:port pairs served like spec.vip:spec.port, with the same real servers,"
                + " scheduler and check (keepalived: virtual_server_group). Each pair is one IPVS"
                + " service, and each address joins the VIP's VRRP instance.")
        List<AdditionalAddress> additionalAddresses,
    @Min(1)
        @Max(4294967295L)
        @JsonPropertyDescription(
            "Serve the packets carrying this firewall mark instead of VIP:port (keepalived:"
                + " virtual_server fwmark N; ipvsadm -f): the IPVS service is keyed by the mark,"
                + " which a firewall rule sets. spec.port may then be absent (the real servers"
                + " then need a port); VRRP still moves spec.vip.")
        Long firewallMark) {

  /** Without a VrrpInstance (the fields before VrrpInstances existed). */
  public VirtualServerSpec(
      String vip,
      Integer port,
      Protocol protocol,
      Scheduler scheduler,
      Forwarding forwarding,
      Integer persistenceTimeoutSeconds,
      String persistenceNetmask,
      List<InlineRealServer> realServers,
      LabelSelector realServerSelector,
      HealthCheck healthCheck,
      Vrrp vrrp,
      Directors directors) {
    this(
        vip,
        port,
        protocol,
        scheduler,
        forwarding,
        persistenceTimeoutSeconds,
        persistenceNetmask,
        realServers,
        realServerSelector,
        healthCheck,
        vrrp,
        directors,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /** A sorry server (keepalived: sorry_server). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SorryServer(
      @Required
          @Pattern(Patterns.IP_ADDRESS)
          @JsonPropertyDescription("Address of the sorry server (keepalived: sorry_server IP).")
          String address,
      @Min(1)
          @Max(65535)
          @JsonPropertyDescription(
              "Its port (keepalived: sorry_server IP PORT). Default: the service's port (DR and"
                  + " TUN require it).")
          Integer port) {}

  /** More VIP:port pairs of one service (keepalived: a line of virtual_server_group). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AdditionalAddress(
      @Required
          @Pattern(Patterns.IPV4_ADDRESS_RANGE)
          @JsonPropertyDescription(
              "An address, or a range of addresses in the last octet such as 10.0.0.10-20"
                  + " (keepalived: IP or IP-RANGE in virtual_server_group).")
          String address,
      @Min(1)
          @Max(65535)
          @JsonPropertyDescription(
              "The port (keepalived: the PORT of the line). Default: spec.port; with neither, the"
                  + " address only joins the VRRP instance.")
          Integer port) {}

  /** A real server written inside the VirtualServer (keepalived: a real_server block). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record InlineRealServer(
      @Required
          @Pattern(Patterns.IP_ADDRESS)
          @JsonPropertyDescription("Address of the real server (keepalived: real_server ADDRESS).")
          String address,
      @Min(1)
          @Max(65535)
          @JsonPropertyDescription(
              "Port on the real server; defaults to the VirtualServer's port (DR and TUN require"
                  + " the same port).")
          Integer port,
      @Min(0) @Max(65535) @JsonPropertyDescription("IPVS weight (keepalived: weight). Default 1.")
          Integer weight,
      @JsonPropertyDescription(
              "Drain: weight 0 whatever the checks say; existing connections stay, new ones go"
                  + " elsewhere.")
          Boolean drain,
      @JsonPropertyDescription(
              "Cluster node this real server runs on; with DR forwarding that node's agent puts the"
                  + " VIP on lo and sets arp_ignore/arp_announce.")
          String node) {}

  /** How a real server is checked. Durations are written like "500ms", "6s" or "1m". */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "!has(self.path) || self.type in ['HTTP_GET', 'HTTPS_GET']",
      message = "healthCheck.path applies only to HTTP_GET and HTTPS_GET")
  @ValidationRule(
      value = "!has(self.caBundle) || self.type == 'HTTPS_GET'",
      message = "healthCheck.caBundle applies only to HTTPS_GET")
  public record HealthCheck(
      @Required
          @JsonPropertyDescription(
              "HTTP_GET, HTTPS_GET (keepalived: SSL_GET), TCP (keepalived: TCP_CHECK) or NONE.")
          HealthCheckType type,
      @Pattern(Patterns.HTTP_PATH)
          @JsonPropertyDescription(
              "Request path for HTTP checks (keepalived: url { path }): '/' then printable ASCII"
                  + " without spaces (percent-encode the rest). Default /.")
          String path,
      @Size(max = 16)
          @JsonPropertyDescription(
              "Status codes that mean healthy, each a code or an inclusive range: [\"200\"],"
                  + " [\"200-299\", \"301\"] (keepalived: status_code). Default 200-299.")
          List<@Pattern("^[1-5][0-9][0-9](-[1-5][0-9][0-9])?$") String> expectedStatus,
      @Pattern(Patterns.HTTP_HOST)
          @JsonPropertyDescription(
              "Host header, and the TLS server name for HTTPS_GET (keepalived: virtualhost):"
                  + " printable ASCII without spaces. Default: the real server's address.")
          String host,
      @JsonPropertyDescription(
              "A substring the response body must contain to count as healthy. Default: not"
                  + " checked.")
          String bodyContains,
      @JsonPropertyDescription(
              "PEM CA certificates (one or more -----BEGIN CERTIFICATE----- blocks); when set,"
                  + " HTTPS_GET verifies the server certificate against them. Default: not"
                  + " verified, as keepalived.")
          String caBundle,
      @Min(1)
          @Max(65535)
          @JsonPropertyDescription(
              "Port to check instead of the real server's port (keepalived: connect_port).")
          Integer port,
      @Pattern(Patterns.DURATION)
          @JsonPropertyDescription(
              "Time between checks of one real server (keepalived: delay_loop). Default 500ms.")
          String delayLoop,
      @Pattern(Patterns.DURATION)
          @JsonPropertyDescription(
              "Time allowed to connect and to get the whole response (keepalived:"
                  + " connect_timeout). Default 500ms.")
          String connectTimeout,
      @Min(0)
          @Max(100)
          @JsonPropertyDescription(
              "Retries after a failed check before the server is declared down (keepalived:"
                  + " retry, formerly nb_get_retry). When set, fall is retry + 1.")
          Integer retry,
      @Pattern(Patterns.DURATION)
          @JsonPropertyDescription(
              "Time between a failed check and its retry (keepalived: delay_before_retry)."
                  + " Default: delayLoop.")
          String delayBeforeRetry,
      @Min(1)
          @Max(100)
          @JsonPropertyDescription(
              "Consecutive successes that bring a down server back up. Default 2 (keepalived"
                  + " brings it back on the first success: rise 1).")
          Integer rise,
      @Min(1)
          @Max(100)
          @JsonPropertyDescription(
              "Consecutive failures that take a server down. Default 2. Ignored when retry is"
                  + " set.")
          Integer fall,
      @JsonPropertyDescription(
              "What a down server's destination becomes: remove (default) or weight-zero"
                  + " (keepalived: inhibit_on_failure), which keeps established connections.")
          OnFailure onFailure) {}

  /** VRRP settings of the instance that carries the VIP. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "!has(self.authPassSecretRef) || (has(self.version) && self.version == 2)",
      message = "vrrp.authPassSecretRef (PASS authentication) exists only in VRRP version 2")
  @ValidationRule(
      value =
          "!has(self.advertIntervalMs) || !has(self.version) || self.version != 2 ||"
              + " self.advertIntervalMs % 1000 == 0",
      message = "vrrp.advertIntervalMs must be whole seconds with VRRP version 2")
  @ValidationRule(
      value = "!has(self.advertIntervalMs) || self.advertIntervalMs % 10 == 0",
      message = "vrrp.advertIntervalMs must be a multiple of 10 (VRRP v3 counts centiseconds)")
  @ValidationRule(
      value =
          "!(has(self.unicastPeers) && has(self.unicastPeersFromDirectors) &&"
              + " self.unicastPeersFromDirectors)",
      message = "vrrp.unicastPeers and vrrp.unicastPeersFromDirectors exclude each other")
  public record Vrrp(
      @JsonProperty("interface")
          @Pattern(Patterns.INTERFACE_NAME)
          @JsonPropertyDescription(
              "Interface that carries VRRP and the VIP (keepalived: interface). Default eth0.")
          String interfaceName,
      @Min(1)
          @Max(255)
          @JsonPropertyDescription(
              "VRRP virtual router id, unique per network segment (keepalived:"
                  + " virtual_router_id). Allocated by the operator when absent.")
          Integer virtualRouterId,
      @Min(10)
          @Max(255000)
          @JsonPropertyDescription(
              "Advertisement interval in milliseconds (keepalived: advert_int, in seconds)."
                  + " Default 100 for version 3 and 1000 for version 2; version 3 counts"
                  + " centiseconds (at most 40950), version 2 whole seconds. A version 3 backup"
                  + " learns a master's interval only up to this value.")
          Integer advertIntervalMs,
      @Min(2)
          @Max(3)
          @JsonPropertyDescription(
              "VRRP version: 3 (RFC 5798, default) or 2 (RFC 3768, for keepalived peers that"
                  + " use PASS authentication).")
          Integer version,
      @JsonPropertyDescription(
              "A higher-priority director takes the VIP back when it returns (keepalived: the"
                  + " opposite of nopreempt). Default true.")
          Boolean preempt,
      @Pattern(Patterns.DURATION)
          @JsonPropertyDescription(
              "How long a returning higher-priority director waits before it preempts"
                  + " (keepalived: preempt_delay). Default 0s.")
          String preemptDelay,
      @JsonPropertyDescription(
              "Accept mode: the master accepts packets addressed to the VIP even when it is not"
                  + " the address owner (keepalived: accept). Only true, the default, is accepted:"
                  + " LVS needs the VIP's traffic, and the agent installs no no_accept drop rule.")
          Boolean accept,
      @JsonPropertyDescription(
              "Secret key holding the VRRP v2 PASS password (keepalived: authentication {"
                  + " auth_type PASS; auth_pass }): 1 to 8 printable ASCII characters, sent as"
                  + " they are in every advert. A longer password is refused (keepalived would"
                  + " silently use its first 8 characters: write those).")
          SecretKeyRef authPassSecretRef,
      @Size(max = 32)
          @JsonPropertyDescription(
              "Send advertisements by unicast to these addresses instead of multicast"
                  + " (keepalived: unicast_peer). Adverts from any other address are then dropped"
                  + " (counted as UNKNOWN_SOURCE) and the multicast group is not joined.")
          List<@Pattern(Patterns.IP_ADDRESS) String> unicastPeers,
      @JsonPropertyDescription(
              "Send advertisements by unicast to the other directors' node addresses.")
          Boolean unicastPeersFromDirectors,
      @Min(0)
          @Max(32)
          @JsonPropertyDescription(
              "Prefix length of the VIP on the interface (keepalived: the /N of virtual_ipaddress)."
                  + " Default 32.")
          Integer vipPrefixLength,
      @Pattern(Patterns.INTERFACE_LABEL)
          @JsonPropertyDescription(
              "Address label of the VIP, e.g. eth0:1 (keepalived: label in virtual_ipaddress).")
          String vipLabel,
      @Size(max = 16)
          @JsonPropertyDescription(
              "Interfaces whose loss puts this director in FAULT and releases the VIP"
                  + " (keepalived: track_interface). The VRRP interface is always tracked.")
          List<@Pattern(Patterns.INTERFACE_NAME) String> trackInterfaces,
      @Min(0)
          @Max(100)
          @JsonPropertyDescription(
              "Gratuitous ARPs sent on becoming master (keepalived: garp_master_repeat). Default"
                  + " 5.")
          Integer garpRepeat,
      @Pattern(Patterns.DURATION)
          @JsonPropertyDescription(
              "Time between those gratuitous ARPs (keepalived: garp_interval). Default 100ms.")
          String garpInterval,
      @Pattern(Patterns.DURATION)
          @JsonPropertyDescription(
              "While master, send one more gratuitous ARP per VIP every this often (keepalived:"
                  + " garp_master_refresh, with garp_master_refresh_repeat 1). 0s, the default,"
                  + " sends none; otherwise 1s to 1h.")
          String garpRefresh,
      @Pattern(Patterns.SYNC_GROUP)
          @JsonPropertyDescription(
              "Name of a sync group: the VRRP instances of every VirtualServer in this namespace"
                  + " naming the same group change state together on each director, so their VIPs"
                  + " always sit on the same node (keepalived: vrrp_sync_group). Default: none.")
          String syncGroup,
      @JsonProperty("notify")
          @JsonPropertyDescription(
              "Commands run on state changes (keepalived: notify_master, notify_backup,"
                  + " notify_fault, notify_stop, notify). Standalone mode only: the agent in"
                  + " Kubernetes runs none (the operator records Events instead).")
          Notify notifyCommands,
      @JsonPropertyDescription(
              "Synchronise IPVS connections from the master to the backups, so established"
                  + " connections survive a failover (keepalived: lvs_sync_daemon INTERFACE"
                  + " INSTANCE): the kernel's sync daemon runs as master on the VRRP master and as"
                  + " backup on the other directors. At most one instance per node.")
          ConnectionSync connectionSync) {

    /** Without notify commands and connection sync (the fields before they existed). */
    public Vrrp(
        String interfaceName,
        Integer virtualRouterId,
        Integer advertIntervalMs,
        Integer version,
        Boolean preempt,
        String preemptDelay,
        Boolean accept,
        SecretKeyRef authPassSecretRef,
        List<String> unicastPeers,
        Boolean unicastPeersFromDirectors,
        Integer vipPrefixLength,
        String vipLabel,
        List<String> trackInterfaces,
        Integer garpRepeat,
        String garpInterval,
        String garpRefresh,
        String syncGroup) {
      this(
          interfaceName,
          virtualRouterId,
          advertIntervalMs,
          version,
          preempt,
          preemptDelay,
          accept,
          authPassSecretRef,
          unicastPeers,
          unicastPeersFromDirectors,
          vipPrefixLength,
          vipLabel,
          trackInterfaces,
          garpRepeat,
          garpInterval,
          garpRefresh,
          syncGroup,
          null,
          null);
    }

    /** No field given: every setting at its default. */
    public static Vrrp unset() {
      return new Vrrp(
          null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
          null, null, null, null);
    }
  }

  /**
   * Commands run when the instance changes state, each a command line split on whitespace (double
   * quotes keep words together), as keepalived's notify_* lines.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Notify(
      @JsonPropertyDescription("Run on becoming MASTER (keepalived: notify_master).") String master,
      @JsonPropertyDescription("Run on becoming BACKUP (keepalived: notify_backup).") String backup,
      @JsonPropertyDescription("Run on entering FAULT (keepalived: notify_fault).") String fault,
      @JsonPropertyDescription("Run when the instance stops (keepalived: notify_stop).")
          String stop,
      @JsonPropertyDescription(
              "Run on every change, with keepalived's arguments appended: INSTANCE <name> <STATE>"
                  + " <priority> (keepalived: notify).")
          String any,
      @Pattern(Patterns.DURATION)
          @JsonPropertyDescription(
              "How long one command may run before it is killed. Default 10s; 1s to 1h.")
          String timeout) {}

  /**
   * The kernel's IPVS connection sync daemon (keepalived: lvs_sync_daemon; ipvsadm --start-daemon).
   * Absent options take the kernel's defaults.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ConnectionSync(
      @Required
          @JsonProperty("interface")
          @Pattern(Patterns.INTERFACE_NAME)
          @JsonPropertyDescription(
              "Interface the sync messages use (keepalived: lvs_sync_daemon INTERFACE; ipvsadm"
                  + " --mcast-interface).")
          String interfaceName,
      @Required
          @Min(0)
          @Max(255)
          @JsonPropertyDescription(
              "Sync id; a backup takes only the master's messages with its id (keepalived: id;"
                  + " ipvsadm --syncid).")
          Integer syncId,
      @Min(1)
          @Max(65507)
          @JsonPropertyDescription(
              "Largest sync message in bytes (keepalived: maxlen). Default: from the interface's"
                  + " MTU.")
          Integer maxLength,
      @Min(1) @Max(65535) @JsonPropertyDescription("UDP port (keepalived: port). Default 8848.")
          Integer port,
      @Min(1) @Max(255) @JsonPropertyDescription("Multicast TTL (keepalived: ttl). Default 1.")
          Integer ttl,
      @Pattern(Patterns.IP_ADDRESS)
          @JsonPropertyDescription("Multicast group (keepalived: group). Default 224.0.0.81.")
          String group) {}

  /** A key of a Secret in the VirtualServer's namespace. */
  public record SecretKeyRef(
      @Required @JsonPropertyDescription("Name of the Secret.") String name,
      @Required @JsonPropertyDescription("Key within the Secret.") String key) {}

  /** Which nodes direct the VIP, and their VRRP priority. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "has(self.nodes) || has(self.nodeSelector)",
      message = "directors needs nodes, nodeSelector, or both")
  public record Directors(
      @Size(max = 16)
          @JsonPropertyDescription(
              "Director nodes in priority order: without explicit priorities the first gets 150,"
                  + " the next 100, then 50 (keepalived: state MASTER/BACKUP and priority).")
          List<DirectorNode> nodes,
      @JsonPropertyDescription(
              "Labels that select director nodes besides those listed; they rank after the listed"
                  + " ones, by node name.")
          Map<String, String> nodeSelector) {}

  /** One director node. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DirectorNode(
      @Required @JsonPropertyDescription("Node name.") String name,
      @Min(1)
          @Max(254)
          @JsonPropertyDescription(
              "VRRP priority 1-254 (keepalived: priority); higher wins. Default from the list"
                  + " order.")
          Integer priority) {}
}
