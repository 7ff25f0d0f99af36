package io.lvsoperator.keepalived.model;

import io.lvsoperator.keepalived.conf.Severity;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keepalived 2.2 keywords of each block that the import reads but does not turn into a field,
 * and why: a {@link Severity#NOTE} when nothing is lost here (mail settings, keepalived's own
 * process tuning), {@link Severity#UNSUPPORTED} when a feature is. Together with the keywords
 * {@link ConfigInterpreter} maps, these are every keyword keepalived 2.2.7 accepts in that block
 * (KeywordOracleIT asks keepalived itself); anything else is an unknown keyword.
 */
public final class Keywords {
  private Keywords() {}

  /** What the import does with a keyword it does not map. */
  public record Treatment(Severity severity, String reason) {}

  /** The blocks of keepalived.conf whose keywords the import checks. */
  public enum Block {
    TOP,
    GLOBAL_DEFS,
    VRRP_INSTANCE,
    VRRP_SYNC_GROUP,
    VIRTUAL_SERVER,
    REAL_SERVER,
    CHECKER,
    URL
  }

  private static final String MAIL =
      "mail notifications: lvs-operator reports through Events, status conditions, logs and"
          + " metrics instead";
  private static final String PROCESS = "tunes keepalived's own processes; nothing to carry over";
  private static final String SNMP =
      "SNMP and D-Bus: the agent serves /metrics and reports its status instead";
  private static final String FIFO = "notify FIFOs: the agent logs each transition instead";
  private static final String FIREWALL =
      "firewall rules for no_accept and VMACs: lvs-operator installs none";
  private static final String NO_SETTING = "lvs-operator has no setting for this";
  private static final String TRACKING =
      "tracking scripts, files, processes and BFD: the agent tracks interfaces only"
          + " (vrrp.trackInterfaces)";
  private static final String STATIC =
      "static addresses, routes and rules are not VRRP's: configure them on the host";
  private static final String VMAC =
      "virtual MAC and ipvlan interfaces: the agent uses the interface itself";
  private static final String SMTP_ALERT = "mail alerts: " + MAIL;

  private static final Map<Block, Map<String, Treatment>> TABLE = build();

  /**
   * How the import treats {@code keyword} in {@code block}, or null when it maps it or knows none.
   */
  public static Treatment treatment(Block block, String keyword) {
    return TABLE.get(block).get(keyword);
  }

  /** The keywords of {@code block} the import reads without mapping (for the oracle test). */
  public static Set<String> unmapped(Block block) {
    return Collections.unmodifiableSet(TABLE.get(block).keySet());
  }

  private static Map<Block, Map<String, Treatment>> build() {
    Map<Block, Map<String, Treatment>> t = new LinkedHashMap<>();
    for (Block b : Block.values()) {
      t.put(b, new LinkedHashMap<>());
    }
    Map<String, Treatment> top = t.get(Block.TOP);
    note(
        top,
        "vrrp_script vrrp_track_file track_file vrrp_track_process bfd_instance",
        "a definition for track_script, track_file, track_process or track_bfd; reported where"
            + " an instance tracks it");
    unsupported(top, "static_ipaddress static_routes static_rules track_group", STATIC);
    unsupported(top, "garp_group", "gratuitous ARP pacing is per instance (vrrp.garpInterval)");
    unsupported(top, "interface_up_down_delays", "the agent does not debounce link changes");
    note(
        top,
        "linkbeat_interfaces linkbeat_use_polling",
        "the agent learns link state from netlink");
    unsupported(
        top, "SSL", "client certificates for SSL_GET: the agent's HTTPS check presents none");
    unsupported(
        top,
        "net_namespace net_namespace_ipvs namespace_with_ipsets",
        "the agent runs in its host's (or pod's) network namespace");
    note(top, "instance use_pid_dir child_wait_time", PROCESS);

    Map<String, Treatment> global = t.get(Block.GLOBAL_DEFS);
    note(
        global,
        "notification_email notification_email_from smtp_server smtp_helo_name"
            + " smtp_connect_timeout smtp_alert smtp_alert_vrrp smtp_alert_checker no_email_faults"
            + " no_checker_emails",
        MAIL);
    note(
        global,
        "tmp_config_directory config_save_dir process_names process_name"
            + " vrrp_process_name checker_process_name bfd_process_name max_auto_priority"
            + " min_auto_priority_delay vrrp_priority checker_priority bfd_priority vrrp_no_swap"
            + " checker_no_swap bfd_no_swap vrrp_cpu_affinity checker_cpu_affinity bfd_cpu_affinity"
            + " vrrp_rt_priority checker_rt_priority bfd_rt_priority vrrp_rlimit_rttime"
            + " checker_rlimit_rttime bfd_rlimit_rttime vrrp_netlink_cmd_rcv_bufs"
            + " vrrp_netlink_cmd_rcv_bufs_force vrrp_netlink_monitor_rcv_bufs"
            + " vrrp_netlink_monitor_rcv_bufs_force lvs_netlink_cmd_rcv_bufs"
            + " lvs_netlink_cmd_rcv_bufs_force lvs_netlink_monitor_rcv_bufs"
            + " lvs_netlink_monitor_rcv_bufs_force process_monitor_rcv_bufs"
            + " process_monitor_rcv_bufs_force vrrp_rx_bufs_policy vrrp_rx_bufs_multiplier umask"
            + " random_seed reload_check_config include_check reload_time_file reload_repeat"
            + " reload_file data_use_instance",
        PROCESS);
    note(
        global,
        "snmp_socket enable_snmp_vrrp enable_snmp_checker enable_snmp_rfc"
            + " enable_snmp_rfcv2 enable_snmp_rfcv3 enable_traps enable_dbus dbus_service_name",
        SNMP);
    unsupported(
        global,
        "notify_fifo notify_fifo_script vrrp_notify_fifo vrrp_notify_fifo_script"
            + " lvs_notify_fifo lvs_notify_fifo_script fifo_write_vrrp_states_on_reload"
            + " vrrp_notify_priority_changes",
        FIFO);
    unsupported(
        global,
        "startup_script startup_script_timeout shutdown_script" + " shutdown_script_timeout",
        "scripts at start and stop: the agent runs none");
    note(
        global,
        "script_user enable_script_security",
        "notify scripts run as the agent's user (root in its container)");
    note(
        global,
        "vrrp_iptables nftables nftables_priority nftables_counters"
            + " nftables_ifindex disable_local_igmp",
        FIREWALL);
    note(
        global,
        "nftables_ipvs nftables_ipvs_priority nftables_ipvs_start_fwmark",
        "keepalived's nftables shortcut for virtual_server_group: the agent adds one IPVS"
            + " service per VIP:port instead");
    note(
        global,
        "vrrp_mcast_group6 vrrp_gna_interval",
        "IPv6 settings: the import reads IPv4 instances only");
    note(
        global,
        "default_interface",
        "the interface of static addresses; each instance names its own");
    note(
        global,
        "vrrp_skip_check_adv_addr",
        "an optimisation of keepalived's advert checks; nothing to carry over");
    note(
        global,
        "checker_log_all_failures rs_init_notifies log_unknown_vrids",
        "logging: the agent logs every state change and counts what it drops in /metrics");
    note(global, "vmac_prefix vmac_addr_prefix", VMAC);
    note(
        global,
        "lvs_flush",
        "the agent never flushes IPVS: it removes only the services it created");
    note(
        global,
        "lvs_flush_on_stop",
        "the agent keeps its IPVS services when it stops; `cleanup` removes them");
    unsupported(
        global,
        "lvs_timeouts",
        "IPVS connection timeouts (ipvsadm --set) are not set by lvs-operator");
    unsupported(
        global,
        "vrrp_garp_lower_prio_delay vrrp_garp_lower_prio_repeat vrrp_garp_extra_if"
            + " vrrp_lower_prio_no_advert vrrp_higher_prio_send_advert vrrp_check_unicast_src"
            + " vrrp_startup_delay dynamic_interfaces",
        NO_SETTING);

    Map<String, Treatment> instance = t.get(Block.VRRP_INSTANCE);
    note(instance, "smtp_alert", SMTP_ALERT);
    note(instance, "debug kernel_rx_buf_size", PROCESS);
    note(instance, "linkbeat_use_polling", "the agent learns link state from netlink");
    note(
        instance,
        "skip_check_adv_addr",
        "an optimisation of keepalived's advert checks; nothing to carry over");
    unsupported(instance, "dont_track_primary", "the agent always tracks the VRRP interface");
    unsupported(instance, "track_script track_file track_process track_bfd track_src_ip", TRACKING);
    unsupported(instance, "mcast_src_ip", "the agent sends from the interface's primary address");
    unsupported(instance, "mcast_dst_ip", "the agent uses the VRRP group 224.0.0.18");
    unsupported(instance, "use_vmac use_vmac_addr vmac_xmit_base use_ipvlan", VMAC);
    unsupported(instance, "vrf", "VRFs: the agent binds to the interface itself");
    unsupported(instance, "native_ipv6", "IPv6 instances: the import reads IPv4 only");
    unsupported(
        instance,
        "virtual_routes virtual_rules",
        "routes and rules that follow VRRP state: the agent moves addresses only");
    unsupported(instance, "promote_secondaries", NO_SETTING);
    unsupported(
        instance,
        "notify_master_rx_lower_pri notify_priority_changes",
        "the agent runs notify scripts on state changes only (vrrp.notify)");
    unsupported(
        instance,
        "check_unicast_src unicast_ttl old_unicast_checksum unicast_fault_no_peer",
        NO_SETTING);
    unsupported(
        instance,
        "lower_prio_no_advert higher_prio_send_advert garp_lower_prio_delay"
            + " garp_lower_prio_repeat garp_extra_if",
        NO_SETTING);

    Map<String, Treatment> sync = t.get(Block.VRRP_SYNC_GROUP);
    note(sync, "smtp_alert", SMTP_ALERT);
    note(
        sync,
        "global_tracking sync_group_tracking_weight",
        "weights of tracked objects: the agent tracks interfaces without weights");
    unsupported(
        sync,
        "track_interface track_script track_file track_process track_bfd",
        "tracking on a sync group: set vrrp.trackInterfaces on each member instead");
    unsupported(
        sync,
        "notify_master notify_backup notify_fault notify_stop notify",
        "notify scripts of a sync group: the agent runs the members' own (vrrp.notify)");
    unsupported(sync, "notify_priority_changes", FIFO);

    Map<String, Treatment> vs = t.get(Block.VIRTUAL_SERVER);
    note(vs, "smtp_alert", SMTP_ALERT);
    note(vs, "snmp_name", SNMP);
    note(
        vs,
        "omega",
        "quorum and real server notifications at shutdown: the agent runs no such scripts");
    note(vs, "warmup", "the agent spreads first checks over delay_loop itself");
    unsupported(
        vs,
        "alpha",
        "the agent starts every real server up until a check fails (keepalived without alpha)");
    unsupported(vs, "ha_suspend", "the agent checks real servers on every director, master or not");
    unsupported(vs, "persistence_engine", "IPVS persistence engines (sip) are not set");
    unsupported(
        vs,
        "flag-1 flag-2 flag-3 sh-port sh-fallback mh-port mh-fallback ops",
        "IPVS scheduler flags and one-packet scheduling are not set by lvs-operator");
    unsupported(
        vs,
        "quorum_up quorum_down",
        "scripts on quorum changes: the agent reports them as a log line, a metric, the"
            + " QuorumLost condition and an Event instead");
    unsupported(
        vs,
        "sorry_server_inhibit",
        "the sorry server is added and removed, never kept at weight 0");

    Map<String, Treatment> rs = t.get(Block.REAL_SERVER);
    note(rs, "smtp_alert", SMTP_ALERT);
    note(rs, "snmp_name", SNMP);
    note(rs, "warmup", "the agent spreads first checks over delay_loop itself");
    unsupported(
        rs,
        "alpha",
        "the agent starts every real server up until a check fails (keepalived without alpha)");
    unsupported(
        rs,
        "notify_up notify_down",
        "scripts on real server changes: the agent logs each change and reports it in the"
            + " RealServer's status instead");
    unsupported(
        rs, "uthreshold lthreshold", "IPVS connection thresholds are not set by lvs-operator");
    unsupported(rs, "SMTP_CHECK", "SMTP checks: the agent checks HTTP, HTTPS and TCP");
    unsupported(rs, "DNS_CHECK", "DNS checks: the agent checks HTTP, HTTPS and TCP");
    unsupported(
        rs,
        "MISC_CHECK",
        "script checks: the agent runs no scripts; it checks HTTP, HTTPS and TCP");
    unsupported(rs, "BFD_CHECK", "BFD: the agent checks HTTP, HTTPS and TCP");
    unsupported(rs, "UDP_CHECK", "UDP checks: the agent checks HTTP, HTTPS and TCP");
    unsupported(rs, "PING_CHECK", "ICMP checks: the agent checks HTTP, HTTPS and TCP");
    unsupported(rs, "FILE_CHECK", "file checks: the agent checks HTTP, HTTPS and TCP");

    Map<String, Treatment> checker = t.get(Block.CHECKER);
    note(checker, "warmup", "the agent spreads first checks over delay_loop itself");
    note(
        checker,
        "log_all_failures",
        "logging: the agent logs every state change and counts failures in /metrics");
    note(checker, "http_protocol", "the agent sends HTTP/1.1 with Connection: close");
    note(
        checker,
        "enable_sni",
        "the agent sends SNI whenever healthCheck.host is a name (virtualhost)");
    note(checker, "fast_recovery", "the agent checks one URL, so there is nothing to hurry");
    unsupported(
        checker,
        "alpha",
        "the agent starts every real server up until a check fails (keepalived without alpha)");
    unsupported(
        checker,
        "bindto bind_if bind_port fwmark",
        "the agent's checks leave from the director's own address, unmarked");

    Map<String, Treatment> url = t.get(Block.URL);
    unsupported(
        url,
        "digest",
        "an MD5 digest of the body: the agent checks that the body contains a text"
            + " (healthCheck.bodyContains) instead");
    unsupported(
        url,
        "regex_no_match regex_options regex_stack regex_min_offset regex_max_offset",
        "regular expressions: the agent checks for a plain substring (healthCheck.bodyContains)");
    return t;
  }

  private static void note(Map<String, Treatment> block, String keywords, String reason) {
    put(block, keywords, new Treatment(Severity.NOTE, reason));
  }

  private static void unsupported(Map<String, Treatment> block, String keywords, String reason) {
    put(block, keywords, new Treatment(Severity.UNSUPPORTED, reason));
  }

  private static void put(Map<String, Treatment> block, String keywords, Treatment treatment) {
    for (String k : List.of(keywords.split(" "))) {
      block.put(k, treatment);
    }
  }
}
