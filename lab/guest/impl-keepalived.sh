# shellcheck shell=bash
# shellcheck disable=SC2034,SC2154 # variables shared with the script that sources it
# keepalived (from apt) as a director, and the real servers prepared by hand, both as the
# reference scenario's guide does it (docs/migrating-from-keepalived.md has its keepalived.conf).
# Sourced by seed.sh (the implementation "keepalived": the functions of impl-ours.sh, see there),
# by compare.sh and by mixed.sh; needs topology.sh, out and work.

declare -A agent_pid # NODE -> pid of its director process

# What keepalived 2.2 logs when it drops a received advert (keepalived/vrrp/vrrp.c): mixed.sh,
# migrate.sh and features.sh require none of it in its logs.
keepalived_complaints='Invalid VRRPv[23] checksum|not present in MASTER advert|received an invalid passwd|advertisement interval mismatch|received a [0-9]+ auth|wrong version|invalid TTL|vrrp packet too|Invalid packet type|unexpected ip number count|ip_tot_len mismatch|Unknown VRID|advertisement interval updated'
# keepalived_complained LOG...: its drop messages in LOGs, counted ("  3 <line>|..."), at most 5.
keepalived_complained() {
  cat "$@" | grep -E "$keepalived_complaints" | sort | uniq -c | head -n 5 | tr -s ' ' | tr '\n' '|'
}
# keepalived_write_conf FILE STATE PRIORITY [VERSION [FLAG...]]: the guide's keepalived.conf for one
# director (STATE MASTER or BACKUP, and its priority). VERSION 2 (the default, keepalived's) keeps
# the guide's PASS authentication; 3 sets vrrp_version 3 and has none (v3 has no authentication).
# FLAGs: `strict` keeps the guide's vrrp_strict, which keepalived 2.2 turns into "no PASS
# authentication" and a firewall rule that drops the VIP's traffic (compare.sh shows it), so it is
# off unless asked for; `check-adv-addr` drops vrrp_skip_check_adv_addr, so that keepalived checks
# the address list of every advert (mixed.sh: a peer that is not keepalived).
keepalived_write_conf() {
  local file=$1 state=$2 prio=$3 version=${4:-2} flag strict='' skip='   vrrp_skip_check_adv_addr' auth='' globals=''
  shift 3
  [ "$#" -eq 0 ] || shift
  for flag in "$@"; do
    case $flag in
      strict) strict='   vrrp_strict' ;;
      check-adv-addr) skip='' ;;
      *) echo "keepalived_write_conf: unknown flag $flag" >&2 && return 2 ;;
    esac
  done
  if [ "$version" = 2 ]; then
    auth='    authentication {
        auth_type PASS
        auth_pass 1111
    }'
  else
    globals="   vrrp_version $version"
  fi
  local rs
  {
    cat <<EOF
! Configuration File for keepalived (the reference scenario's guide; written by lab/guest/impl-keepalived.sh)
global_defs {
   notification_email {
     acassen@firewall.loc
     failover@firewall.loc
     sysadmin@firewall.loc
   }
   notification_email_from Alexandre.Cassen@firewall.loc
   smtp_server 192.168.200.1
   smtp_connect_timeout 30
   router_id LVS_DEVEL
$skip
$strict
   vrrp_garp_interval 0
   vrrp_gna_interval 0
$globals
}

vrrp_instance VI_1 {
    state $state
    interface eth0
    virtual_router_id 51
    priority $prio
    advert_int 1
$auth
    virtual_ipaddress {
        172.20.1.100/16 dev eth0 label eth0:1
    }
}
EOF
    for rs in 172.20.1.10 172.20.1.11; do
      cat <<EOF

virtual_server 172.20.1.100 80 {
    delay_loop 6
    lb_algo rr
    lb_kind DR
    nat_mask 255.255.0.0
    persistence_timeout 0
    protocol TCP

    real_server $rs 80 {
        weight 1
        HTTP_GET {
            url {
              path /
              status_code 200
            }
            connect_timeout 3
            nb_get_retry 3
            delay_before_retry 3
        }
    }
}
EOF
    done
  } >"$file"
}

# keepalived_start NODE LOG CONF: keepalived in the foreground (-n) with its VRRP and checker
# children, logging to $out/LOG.log (-l; -G: no syslog, which the guest lacks and which would copy
# every line to its console); pid files per node (several run on one machine). Sets
# agent_pid[NODE] to the parent, which stops its children on SIGTERM.
keepalived_start() {
  local node=$1 log=$2 conf=$3
  topo_spawn "$node" "$out/$log.log" keepalived -n -l -G -D -f "$conf" -p "$work/$node.pid" \
    -r "$work/$node-vrrp.pid" -c "$work/$node-checkers.pid"
  agent_pid[$node]=$TOPO_LAST_PID
}

# keepalived_kill9 NODE: a crash of the whole daemon: the parent is stopped first (so that it
# cannot restart or stop its children), then the children and the parent get SIGKILL.
keepalived_kill9() {
  local parent=${agent_pid[$1]} children
  kill -STOP "$parent"
  children=$(pgrep -P "$parent" | tr '\n' ' ')
  # shellcheck disable=SC2086 # a list of pids
  [ -z "$children" ] || kill -9 $children
  kill -9 "$parent"
  wait "$parent" 2>/dev/null
}

# keepalived_prepare_rs NODE: the guide's commands on a real server: arp_ignore 1 and
# arp_announce 2 on eth0 and all, then the VIP on lo:1 with a /32 mask.
keepalived_prepare_rs() {
  topo_exec "$1" sh -c 'cd /proc/sys/net/ipv4/conf/eth0 && echo 1 > arp_ignore && echo 2 > arp_announce &&
    cd ../all && echo 1 > arp_ignore && echo 2 > arp_announce &&
    ifconfig lo:1 172.20.1.100 netmask 255.255.255.255'
}

# ---- the implementation "keepalived" for seed.sh ----
impl_daemon=keepalived
impl_start_cost="keepalived start"
impl_rs_note="the guide's commands"
impl_backup_re='Entering BACKUP STATE'
impl_master_re='Entering MASTER STATE'
# keepalived makes no promise about its IPVS services across a crash and restart (it may remove or
# re-add them at start): seed.sh compares lvs1's table before the kill -9 and after the restart as
# a detail only, so that the keepalived run is not failed for what our agent promises (issue 3).
impl_keeps_ipvs=
# keepalived leaves a killed director's VIP until it runs again: kill9_failover reports it only.
impl_vip_expires=

impl_intro() {
  echo "$tag: $(keepalived --version 2>&1 | head -n 1) with the guide's keepalived.conf (without vrrp_strict: docs/lab.md), $work/keepalived-lvs1.conf; logs in $out"
}

impl_setup() {
  keepalived_write_conf "$work/keepalived-lvs1.conf" MASTER 100
  keepalived_write_conf "$work/keepalived-lvs2.conf" BACKUP 50
  cp "$work/keepalived-lvs1.conf" "$work/keepalived-lvs2.conf" "$out/"
}

impl_start() { keepalived_start "$1" "${2:-$1}" "$work/keepalived-$1.conf"; }
impl_prepare_rs() { keepalived_prepare_rs "$1"; }
impl_kill9() { keepalived_kill9 "$1"; }
impl_term() { kill -TERM "${agent_pid[$1]}"; }
impl_vip_up_detail() { :; }

# keepalived has no log line for it: the address monitor says whether and when lvs1's VIP went.
# It is a figure, not a condition (a keepalived that keeps the VIP shows in the overlap).
impl_wait_stale_removed() {
  local mon=$out/monitor-stale-lvs1.txt
  if until_true 10 grep -q "Deleted.* inet $vip/" "$mon"; then
    stale_note="keepalived removed the stale VIP $(mon_delay stale lvs1 del "$2")s after its start"
  else
    stale_note="keepalived did not remove the stale VIP within 10 s of its start"
  fi
  echo "$tag: $stale_note"
}
