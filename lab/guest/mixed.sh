#!/usr/bin/env bash
# A mixed cluster (issue 6 item 3), in the guest: keepalived (the guide's keepalived.conf) on lvs1
# and our agent on lvs2 in the same VRRP instance (VRID 51, advert 1 s), each programming IPVS,
# the real servers prepared by the guide's commands; the client must be served through whichever
# holds the VIP. Once with VRRP v2 and PASS authentication, once with v3; in each, both directions
# of failover:
#   keepalived (150) master, ours (100) backup -> keepalived stopped: ours takes over and serves ->
#   keepalived back: it preempts; keepalived restarted at 50: ours master, keepalived backup ->
#   ours stopped (v2: SIGTERM, priority 0) or killed (v3: kill -9): keepalived takes over and serves.
# Then neither side may have complained about the other's packets: keepalived's log has none of
# its drop messages, our agent's counters (/metrics) no verdict but ACCEPTED and OWN_ADVERT and its
# log no VRRP warning, and tcpdump decodes every advert of both as the version (and password) set.
# One JVM start per version. Prints `mixed <check> ok <seconds>s (details)` or
# `mixed <check> FAIL <reason>`; a failure skips the rest of its version. Exit 0 only if all passed.
# Usage: mixed.sh JAR V2_MANIFESTS V3_MANIFESTS [OUT_DIR]  (lab/run mixed makes the manifests)
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/topology.sh
. "$here/topology.sh"
jar=$1 out=${4:-${LAB_OUT:-/tmp}/mixed}
# shellcheck disable=SC1091 # lab/run writes it for options that must reach the guest
[ ! -f "$out/env" ] || . "$out/env"
declare -A manifests=([2]=$2 [3]=$3)
tag=mixed
results=$out/results.tsv
work=/tmp/mixed
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
# shellcheck source=SCRIPTDIR/agent-jvm.sh
. "$here/agent-jvm.sh"
# shellcheck disable=SC2206 # MIXED_JAVA_OPTS is a list of flags
java_opts=("${agent_java_opts[@]}" ${MIXED_JAVA_OPTS:-})
http_port=9100
rm -rf "$work"
mkdir -p "$out" "$work"
: >"$results"
# shellcheck source=SCRIPTDIR/checks.sh
. "$here/checks.sh"
# shellcheck source=SCRIPTDIR/impl-keepalived.sh
. "$here/impl-keepalived.sh"

# check_fail CHECK REASON...: the line; the caller returns (the rest of the version is skipped).
failed=0
check_fail() {
  local check=$1
  shift
  echo "$tag $check FAIL $*"
  record "$check" FAIL "$*"
  failed=1
}

dump_pid=
ours_start() {
  topo_spawn lvs2 "$out/$2.log" "$java" "${java_opts[@]}" -jar "$jar" standalone --manifests "$1" \
    --node-name lvs2 --state-dir "$work/state-$2" --handover-timeout 3s --http-port "$http_port"
  ours_pid=$TOPO_LAST_PID
}
holders() { echo "lvs1 $(holds_any lvs1 && echo holds || echo lacks), lvs2 $(holds_any lvs2 && echo holds || echo lacks) the VIP"; }

# phase VERSION: the whole sequence for one VRRP version; returns at the first failure.
phase() {
  local v=$1 p=v$1 t k ours_log="ours-v$1" stop_how masters_n
  local hi=$work/keepalived-v$v-150.conf lo=$work/keepalived-v$v-50.conf
  keepalived_write_conf "$hi" MASTER 150 "$v" check-adv-addr
  keepalived_write_conf "$lo" BACKUP 50 "$v" check-adv-addr
  cp "$hi" "$lo" "$out/"
  tcpdump -i lan0 -n -vv -l 'ip proto 112' >"$out/vrrp-$p.txt" 2>&1 &
  dump_pid=$!
  TOPO_PIDS+=("$dump_pid")

  # keepalived master, ours backup
  t=$(now)
  keepalived_start lvs1 "keepalived-$p-1" "$hi"
  k=${agent_pid[lvs1]}
  until_true 30 holds lvs1 || { check_fail "${p}_keepalived_master" "lvs1 (keepalived, 150) does not hold the VIP 30 s after its start" && return 1; }
  until_true 30 served_by lvs1 || { check_fail "${p}_keepalived_master" "the client is not served through lvs1" && return 1; }
  ok "${p}_keepalived_master" "$(since "$t")" "keepalived on lvs1 holds the VIP and serves"

  t=$(now)
  ours_start "${manifests[$v]}" "$ours_log"
  until_true 300 log_has "$ours_log" 'to=BACKUP' || { check_fail "${p}_ours_backup" "our agent on lvs2 did not reach BACKUP within 300 s" && return 1; }
  local backup_s
  backup_s=$(since "$t")
  stays 5 only_holds lvs1 lvs2 || { check_fail "${p}_ours_backup" "within 5 s of BACKUP: $(holders)" && return 1; }
  masters_n=$(grep -c 'event=vrrp_transition .* to=MASTER' "$out/$ours_log.log")
  [ "$masters_n" -eq 0 ] || { check_fail "${p}_ours_backup" "our agent became MASTER $masters_n times while keepalived (150) was master" && return 1; }
  served_by lvs1 || { check_fail "${p}_ours_backup" "the client is not served through lvs1" && return 1; }
  ok "${p}_ours_backup" "$backup_s" "our agent (100) BACKUP ${backup_s}s after its start (JVM start), never MASTER; lvs1 alone holds the VIP and serves"

  # keepalived stopped: ours takes over; keepalived back: it preempts
  start_monitors "$p-takeover"
  t=$(now)
  stop "$k"
  until_true 30 holds lvs2 || { check_fail "${p}_ours_takeover" "lvs2 does not hold the VIP 30 s after keepalived's SIGTERM: $(holders)" && return 1; }
  until_true 30 served_by lvs2 || { check_fail "${p}_ours_takeover" "the client is not served through lvs2 (VIP at $(client_vip_mac))" && return 1; }
  local served_s
  served_s=$(since "$t")
  stop_monitors
  ok "${p}_ours_takeover" "$(mon_delay "$p-takeover" lvs2 add "$t")" "keepalived stopped (SIGTERM: priority 0): our agent added the VIP after $(mon_delay "$p-takeover" lvs2 add "$t")s (ip monitor), keepalived removed it after $(mon_delay "$p-takeover" lvs1 del "$t")s; served through lvs2 (IPVS by our agent) after ${served_s}s"

  start_monitors "$p-preempt"
  t=$(now)
  keepalived_start lvs1 "keepalived-$p-2" "$hi"
  k=${agent_pid[lvs1]}
  until_true 30 only_holds lvs1 lvs2 || { check_fail "${p}_keepalived_preempts" "30 s after keepalived (150) came back: $(holders)" && return 1; }
  until_true 30 served_by lvs1 || { check_fail "${p}_keepalived_preempts" "the client is not served through lvs1 (VIP at $(client_vip_mac))" && return 1; }
  stop_monitors
  ok "${p}_keepalived_preempts" "$(since "$t")" "keepalived (150) back: it added the VIP after $(mon_delay "$p-preempt" lvs1 add "$t")s, our agent removed it after $(mon_delay "$p-preempt" lvs2 del "$t")s; served through lvs1"

  # ours master (keepalived restarted at 50), keepalived backup
  t=$(now)
  stop "$k"
  until_true 30 only_holds lvs2 lvs1 || { check_fail "${p}_keepalived_backup" "keepalived (150) stopped, but: $(holders)" && return 1; }
  keepalived_start lvs1 "keepalived-$p-3" "$lo"
  k=${agent_pid[lvs1]}
  until_true 30 log_has "keepalived-$p-3" 'Entering BACKUP STATE' || { check_fail "${p}_keepalived_backup" "keepalived (50) did not log BACKUP" && return 1; }
  stays 5 only_holds lvs2 lvs1 || { check_fail "${p}_keepalived_backup" "within 5 s of keepalived's (50) BACKUP: $(holders)" && return 1; }
  ! log_has "keepalived-$p-3" 'Entering MASTER STATE' || { check_fail "${p}_keepalived_backup" "keepalived (50) became MASTER behind our agent (100)" && return 1; }
  served_by lvs2 || { check_fail "${p}_keepalived_backup" "the client is not served through lvs2" && return 1; }
  ok "${p}_keepalived_backup" "$(since "$t")" "our agent (100) master and serving; keepalived restarted at 50 stays BACKUP"

  # before ours goes: what its counters say about keepalived's packets
  topo_exec lvs2 curl -sS --max-time 10 "http://127.0.0.1:$http_port/metrics" >"$out/metrics-$p.txt" 2>&1

  # ours stopped: keepalived takes over
  start_monitors "$p-back"
  t=$(now)
  if [ "$v" = 2 ]; then
    stop_how="SIGTERM (priority 0)"
    stop "$ours_pid"
  else
    stop_how="kill -9"
    kill -9 "$ours_pid"
    wait "$ours_pid" 2>/dev/null
  fi
  until_true 30 holds lvs1 || { check_fail "${p}_keepalived_takeover" "lvs1 does not hold the VIP 30 s after our agent's $stop_how: $(holders)" && return 1; }
  until_true 30 served_by lvs1 || { check_fail "${p}_keepalived_takeover" "the client is not served through lvs1 (VIP at $(client_vip_mac))" && return 1; }
  served_s=$(since "$t")
  stop_monitors
  ok "${p}_keepalived_takeover" "$(mon_delay "$p-back" lvs1 add "$t")" "our agent stopped by $stop_how: keepalived (50) added the VIP after $(mon_delay "$p-back" lvs1 add "$t")s (ip monitor); lvs2's VIP $(holds_any lvs2 && echo "left behind (kill -9)" || echo "removed after $(mon_delay "$p-back" lvs2 del "$t")s"); served through lvs1 after ${served_s}s"

  # neither side complained about the other's packets
  stop "$k"
  stop "$dump_pid"
  local complaints verdicts accepted pattern n1 n2 all1 all2 warnings
  complaints=$(keepalived_complained "$out"/keepalived-"$p"-*.log)
  verdicts=$(bad_verdicts "$out/metrics-$p.txt")
  warnings=$(grep -iE ' (WARN|ERROR) .*vrrp' "$out/$ours_log.log" | head -n 3 | tr '\n' '|')
  accepted=$(accepted_adverts "$out/metrics-$p.txt")
  pattern="VRRPv$v, Advertisement, vrid 51"
  [ "$v" = 2 ] && pattern+=".*authtype simple.*auth \"1111"
  # every advert of each director, and how many of them decode as configured
  all1=$(grep -c "172.20.1.1 > 224.0.0.18: VRRP" "$out/vrrp-$p.txt")
  all2=$(grep -c "172.20.1.2 > 224.0.0.18: VRRP" "$out/vrrp-$p.txt")
  n1=$(grep -c "172.20.1.1 > 224.0.0.18: $pattern" "$out/vrrp-$p.txt")
  n2=$(grep -c "172.20.1.2 > 224.0.0.18: $pattern" "$out/vrrp-$p.txt")
  if [ -n "$complaints" ]; then
    check_fail "${p}_no_complaints" "keepalived logged: $complaints"
  elif [ -n "$warnings" ]; then
    check_fail "${p}_no_complaints" "our agent logged: $warnings"
  elif [ -z "$accepted" ]; then
    check_fail "${p}_no_complaints" "no VRRP counters from our agent's /metrics (see metrics-$p.txt)"
  elif [ -n "$verdicts" ]; then
    check_fail "${p}_no_complaints" "our agent dropped keepalived's packets: $verdicts"
  elif [ "$all1" -eq 0 ] || [ "$all2" -eq 0 ] || [ "$n1" -ne "$all1" ] || [ "$n2" -ne "$all2" ]; then
    check_fail "${p}_no_complaints" "tcpdump: $n1 of $all1 adverts from lvs1 and $n2 of $all2 from lvs2 decode as \"$pattern\" (vrrp-$p.txt)"
  else
    ok "${p}_no_complaints" 0 "keepalived logged none of its drop messages; our agent accepted $accepted adverts and dropped none; tcpdump: all $all1 adverts from keepalived and $all2 from ours decode as \"$pattern\""
  fi
}

# phase_cleanup: whatever a phase left (daemons, a stale VIP, IPVS services), gone before the next.
phase_cleanup() {
  local pid
  for pid in $(ip netns pids lvs1) $(ip netns pids lvs2); do
    case $(cat "/proc/$pid/comm" 2>/dev/null) in keepalived | java) stop "$pid" ;; esac
  done
  stop "$dump_pid"
  for ns in lvs1 lvs2; do
    ip -n "$ns" addr del "$vip/16" dev eth0 2>/dev/null
    topo_exec "$ns" ipvsadm -C
  done
}

topo_cleanup_on_exit
echo "$tag: keepalived $(keepalived --version 2>&1 | head -n 1 | cut -d' ' -f2) on lvs1, our agent $jar on lvs2; logs in $out"
suite_t0=$(now)
scenario_topology
keepalived_prepare_rs rs1
keepalived_prepare_rs rs2
for v in 2 3; do
  echo "$tag: ---- VRRP v$v$([ "$v" = 2 ] && echo " with PASS authentication"), manifests ${manifests[$v]} ----"
  phase "$v" || echo "$tag: v$v stopped at its first failure"
  phase_cleanup
done
if [ "$failed" -ne 0 ]; then
  echo "$tag: FAILED: $(awk -F'\t' '$2 == "FAIL" { printf "%s ", $1 }' "$results"); $(since "$suite_t0")s; logs in $out"
  exit 1
fi
echo "$tag: all checks passed in $(since "$suite_t0")s"
