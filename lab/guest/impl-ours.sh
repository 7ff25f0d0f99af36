# shellcheck shell=bash
# shellcheck disable=SC2034,SC2154 # variables shared with the script that sources it
# The director implementation "ours" for seed.sh: our node agent in standalone mode on the
# manifests in $manifests (every node, the real servers included, runs it). Sourced by seed.sh,
# which defines jar, manifests, out, work, java and java_opts. The functions every implementation
# defines (impl-keepalived.sh is the other one):
#
#   impl_start NODE [LOG]     start the director on NODE (log $out/LOG.log); sets agent_pid[NODE]
#   impl_prepare_rs NODE IP   prepare a real server for DR (VIP on lo/32, arp_ignore, arp_announce)
#   impl_kill9 NODE           crash the director on NODE (kill -9; nothing cleans up)
#   impl_term NODE            ask it to stop (SIGTERM); agent_pid[NODE] exits when it has
#   impl_backup_re, impl_master_re   what its log says when it becomes BACKUP / MASTER
#   impl_wait_stale_removed LOG T0   0 once the restarted director removed the VIP that the killed
#                             one left behind; sets stale_wait_msg for the failure
#   impl_vip_up_detail LVS1_T0 the vip_up line's details about the starts
#   impl_daemon, impl_start_cost, impl_rs_note   words for the lines
#   impl_keeps_ipvs           1 when a restart after kill -9 must find lvs1's IPVS table as it was
#                             (a changed table fails stale_vip_cleaned); empty: a detail only
declare -A agent_pid # NODE -> pid of its director process
impl_daemon=agent
# Issue 3: stopping the agent (SIGTERM or a crash) leaves its IPVS services in place and the next
# start adopts them by diff.
impl_keeps_ipvs=1
# Issue 14: the VIPs carry a kernel lifetime the master renews, so a killed agent's VIP goes
# within 2 s even if no agent starts again (seed.sh's kill9_failover fails otherwise).
impl_vip_expires=1
impl_start_cost="JVM start"
impl_rs_note="their two JVMs starting at once"
impl_backup_re='to=BACKUP'
impl_master_re='event=vrrp_transition .* to=MASTER'

impl_intro() { echo "$tag: agent $jar, manifests $manifests, logs in $out"; }

impl_start() {
  local node=$1 log=${2:-$1}
  topo_spawn "$node" "$out/$log.log" "$java" "${java_opts[@]}" -jar "$jar" standalone \
    --manifests "$manifests" --node-name "$node" --state-dir "$work/state-$node" --handover-timeout 3s
  agent_pid[$node]=$TOPO_LAST_PID
}

impl_prepare_rs() { impl_start "$1"; }

impl_kill9() {
  kill -9 "${agent_pid[$1]}"
  wait "${agent_pid[$1]}" 2>/dev/null
}

impl_term() { kill -TERM "${agent_pid[$1]}"; }

# The killed agent's VIP has normally expired long before the restart (kill9_failover waits for
# it): then this waits for the new agent's start; a VIP still there must be removed at the start.
impl_wait_stale_removed() {
  if lacks lvs1; then
    stale_note="the killed agent's VIP had expired before the restart"
    stale_wait_msg="the restarted lvs1 did not log agent_started within 300 s"
    until_true 300 log_has "$1" 'event=agent_started'
  else
    stale_wait_msg="the restarted lvs1 did not log stale_vip_removed within 300 s"
    until_true 300 log_has "$1" 'event=stale_vip_removed'
  fi
}

# started_s LOG T0: seconds from T0 to the agent_started log line (the JVM's start included).
started_s() {
  local t
  t=$(grep -m1 'event=agent_started' "$out/$1.log" | cut -d' ' -f1)
  [ -n "$t" ] || return 1
  awk -v a="$2" -v t="$(date -d "$t" +%s.%N)" 'BEGIN { printf "%.1f", t - a }'
}

impl_vip_up_detail() {
  echo "agent_started after $(started_s lvs1 "$1" 2>/dev/null || echo ?)s"
}

impl_setup() {
  echo "$tag: agent JVM flags: ${java_opts[*]}"
}
