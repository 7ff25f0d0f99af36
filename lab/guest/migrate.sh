#!/usr/bin/env bash
# A rolling migration from keepalived (issue 13 item 4), in the guest: keepalived 2.2.7 runs the
# original keepalived.conf of one director while our agent runs, on the other, the manifests that
# `import keepalived` made from both directors' files (lab/run prepared them: OUT/manifests,
# OUT/import.txt). One vrrp_instance carries three advertised addresses and one excluded one, each
# serving HTTP through IPVS DR to two real servers prepared by hand.
#   Phase 1 (lvs2 migrated): keepalived on lvs1 (lvs1.conf, MASTER 150), ours on lvs2 (100):
#     keepalived master; ours backup; keepalived stopped: ours takes every address; keepalived back:
#     it preempts; keepalived killed (-9): ours takes over.
#   Phase 2 (lvs1 migrated): keepalived on lvs2 (lvs2.conf, BACKUP 100), ours on lvs1 (150):
#     keepalived alone; ours preempts; lvs1's link down: keepalived takes over; link up: ours
#     preempts back; ours stopped (SIGTERM): keepalived takes over.
# A client asks the four addresses in turn through both phases and must be answered every time;
# neither side may complain about the other's adverts (address list, authentication, interval):
# keepalived's log, our agent's receive verdicts, tcpdump's decoding of every advert.
# Prints `migrate <check> ok <s>s (details)` or `migrate <check> FAIL <why>`; exit 0 only when all
# pass. Usage: migrate.sh JAR OUT
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/topology.sh
. "$here/topology.sh"
jar=$1 out=$2
# shellcheck disable=SC1091 # lab/run writes it for options that must reach the guest
[ ! -f "$out/env" ] || . "$out/env"
tag=migrate
results=$out/results.tsv
work=/tmp/migrate
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
# shellcheck disable=SC2206 # SCENARIO_JAVA_OPTS is a list of flags
java_opts=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC ${SCENARIO_JAVA_OPTS:-})
http_port=9100
rm -rf "$work"
mkdir -p "$out" "$work"
: >"$results"
# shellcheck source=SCRIPTDIR/checks.sh
. "$here/checks.sh"
# shellcheck source=SCRIPTDIR/impl-keepalived.sh
. "$here/impl-keepalived.sh"

advertised=(172.20.1.110 172.20.1.111 172.20.1.112)
excluded=172.20.1.120
all=("${advertised[@]}" "$excluded")
vip=${advertised[0]} # what the address monitors time
all_checks=(import keepalived_master ours_backup to_ours_on_stop to_keepalived_on_preempt to_ours_on_crash
  keepalived_alone ours_preempts to_keepalived_on_link_down ours_preempts_back to_keepalived_on_stop
  client_served no_complaints)
advert_pattern="VRRPv2, Advertisement, vrid 52, .*authtype simple, intvl 1s, .*addrs\\(3\\): ${advertised[0]},${advertised[1]},${advertised[2]} auth \"s3cret"

holders() {
  local ns
  for ns in lvs1 lvs2; do
    printf '%s holds: %s; ' "$ns" "$(ip -n "$ns" -4 -o addr show dev eth0 | grep -o 'inet 172\.20\.1\.1[12][0-9]' | cut -d' ' -f2 | tr '\n' ' ')"
  done
}
# moved_to NS OTHER: NS holds every address, OTHER none.
moved_to() { holds_all "$1" "${all[@]}" && holds_none "$2" "${all[@]}"; }
served_all_at() { served_at "$1" "${all[@]}"; }

ours_start() {
  local node=$1 log=$2
  topo_spawn "$node" "$out/$log.log" "$java" "${java_opts[@]}" -jar "$jar" standalone --manifests "$out/manifests" \
    --node-name "$node" --state-dir "$work/state-$log" --handover-timeout 3s --http-port "$http_port"
  ours_pid=$TOPO_LAST_PID
}
scrape() { topo_exec "$1" curl -sS --max-time 10 "http://127.0.0.1:$http_port/metrics" >"$out/metrics-$2.txt" 2>&1; }

# failover CHECK TO FROM WHAT: waits until TO holds every address and FROM none, and the client is
# served through TO; the line's time is when TO added the first address (address monitor).
failover() {
  local check=$1 to=$2 from=$3 what=$4 t=$5
  until_true 60 moved_to "$to" "$from" || fail "$check" "60 s after $what: $(holders)"
  until_true 30 served_all_at "$to" || fail "$check" "every address moved to $to, but the client is not served through it: $(for a in "${all[@]}"; do printf '%s -> %s at %s; ' "$a" "$(answer "$a")" "$(neigh_mac "$a")"; done)"
  local served_s
  served_s=$(since "$t")
  stop_monitors
  ok "$check" "$(mon_delay "$check" "$to" add "$t")" "$what: $to added the addresses after $(mon_delay "$check" "$to" add "$t")s (ip monitor), $from dropped them after $(mon_delay "$check" "$from" del "$t")s; all four (the excluded one too) served through $to after ${served_s}s"
}

topo_cleanup_on_exit
echo "$tag: keepalived $(keepalived --version 2>&1 | head -n 1 | cut -d' ' -f2) on its original configuration, our agent $jar on the import; logs in $out"
suite_t0=$(now)

# ---- the import, made on the host by lab/run ----
[ -f "$out/import.txt" ] || fail import "no $out/import.txt: run through lab/run migrate"
read -r verdict import_s import_detail <"$out/import.txt" || verdict=FAIL
if [ "$verdict" = ok ]; then
  ok import "$import_s" "$import_detail"
else
  fail import "${import_s:-} ${import_detail:-}"
fi

scenario_topology
for rs in rs1 rs2; do prepare_dr "$rs" "${all[@]}"; done
tcpdump -i lan0 -n -vv -l 'ip proto 112' >"$out/vrrp.txt" 2>&1 &
TOPO_PIDS+=("$!")
tcpdump -i lan0 -n -e -l arp >"$out/arp.txt" 2>&1 &
TOPO_PIDS+=("$!")

# ---- phase 1: lvs2 runs our agent, lvs1 keepalived ----
echo "$tag: ---- phase 1: keepalived on lvs1 (lvs1.conf), our agent on lvs2 ----"
t=$(now)
keepalived_start lvs1 keepalived-lvs1-1 "$out/lvs1.conf"
until_true 30 holds_all lvs1 "${all[@]}" || fail keepalived_master "30 s after its start: $(holders)"
until_true 30 served_all_at lvs1 || fail keepalived_master "the client is not served through lvs1"
ok keepalived_master "$(since "$t")" "keepalived holds ${all[*]} (${excluded} excluded from its adverts) and serves each"
client_loop_start phase1 "${all[@]/#/http://}"

t=$(now)
ours_start lvs2 ours-lvs2
until_true 300 log_has ours-lvs2 'to=BACKUP' || fail ours_backup "our agent on lvs2 did not reach BACKUP within 300 s"
backup_s=$(since "$t")
stays 5 moved_to lvs1 lvs2 || fail ours_backup "within 5 s of BACKUP: $(holders)"
! log_has ours-lvs2 'event=vrrp_transition .* to=MASTER' || fail ours_backup "our agent became MASTER while keepalived (150) was"
ok ours_backup "$backup_s" "our agent (100) BACKUP ${backup_s}s after its start (JVM start), never MASTER; lvs1 keeps every address"

start_monitors to_ours_on_stop
t=$(now)
kill -TERM "${agent_pid[lvs1]}"
failover to_ours_on_stop lvs2 lvs1 "keepalived stopped (SIGTERM: priority 0)" "$t"
wait "${agent_pid[lvs1]}" 2>/dev/null

start_monitors to_keepalived_on_preempt
t=$(now)
keepalived_start lvs1 keepalived-lvs1-2 "$out/lvs1.conf"
failover to_keepalived_on_preempt lvs1 lvs2 "keepalived (150) started again and preempted" "$t"

start_monitors to_ours_on_crash
t=$(now)
keepalived_kill9 lvs1
# A killed keepalived leaves its addresses behind; the client follows our agent's gratuitous ARPs.
until_true 60 holds_all lvs2 "${all[@]}" || fail to_ours_on_crash "60 s after keepalived's kill -9: $(holders)"
until_true 30 served_all_at lvs2 || fail to_ours_on_crash "lvs2 holds every address, but the client is not served through it"
stop_monitors
ok to_ours_on_crash "$(mon_delay to_ours_on_crash lvs2 add "$t")" "keepalived killed (-9): our agent added the addresses after $(mon_delay to_ours_on_crash lvs2 add "$t")s (master down interval $(master_down 100 1)s); keepalived left them on lvs1; served through lvs2"

scrape lvs2 ours-lvs2
client_loop_stop phase1
stop "$ours_pid"
for a in "${all[@]}"; do ip -n lvs1 addr del "$a/16" dev eth0 2>/dev/null; done
for ns in lvs1 lvs2; do topo_exec "$ns" ipvsadm -C; done

# ---- phase 2: lvs1 runs our agent, lvs2 keepalived ----
echo "$tag: ---- phase 2: our agent on lvs1, keepalived on lvs2 (lvs2.conf) ----"
t=$(now)
keepalived_start lvs2 keepalived-lvs2 "$out/lvs2.conf"
until_true 30 holds_all lvs2 "${all[@]}" || fail keepalived_alone "30 s after its start: $(holders)"
until_true 30 served_all_at lvs2 || fail keepalived_alone "the client is not served through lvs2"
ok keepalived_alone "$(since "$t")" "keepalived (BACKUP, 100) alone became master of every address after its master down interval and serves each"
client_loop_start phase2 "${all[@]/#/http://}"

start_monitors ours_preempts
t=$(now)
ours_start lvs1 ours-lvs1
until_true 300 moved_to lvs1 lvs2 || fail ours_preempts "300 s after our agent's start on lvs1: $(holders)"
until_true 30 served_all_at lvs1 || fail ours_preempts "the client is not served through lvs1"
stop_monitors
ok ours_preempts "$(since "$t")" "our agent (150) started (JVM start) and preempted keepalived; every address on lvs1, served through it"

start_monitors to_keepalived_on_link_down
t=$(now)
ip -n lvs1 link set eth0 down
until_true 60 holds_all lvs2 "${all[@]}" || fail to_keepalived_on_link_down "60 s after lvs1's link went down: $(holders)"
until_true 30 served_all_at lvs2 || fail to_keepalived_on_link_down "the client is not served through lvs2"
stop_monitors
ok to_keepalived_on_link_down "$(mon_delay to_keepalived_on_link_down lvs2 add "$t")" "lvs1's eth0 down: keepalived added the addresses after $(mon_delay to_keepalived_on_link_down lvs2 add "$t")s (master down interval $(master_down 100 1)s); served through lvs2"

start_monitors ours_preempts_back
t=$(now)
ip -n lvs1 link set eth0 up
failover ours_preempts_back lvs1 lvs2 "lvs1's eth0 up again: our agent (150) preempted" "$t"

scrape lvs1 ours-lvs1
start_monitors to_keepalived_on_stop
t=$(now)
kill -TERM "$ours_pid"
failover to_keepalived_on_stop lvs2 lvs1 "our agent stopped (SIGTERM: priority 0, addresses kept until keepalived is heard; skew + one interval $(skew_plus_interval 100 1)s)" "$t"
until_true 30 gone "$ours_pid" || fail to_keepalived_on_stop "our agent still runs 30 s after SIGTERM"
client_loop_stop phase2

# ---- served throughout, and no complaints ----
read -r unanswered_n total_n retried_n <<<"$(client_failures "$out"/client-phase*.txt)"
if [ "$total_n" -gt 0 ] && [ "$unanswered_n" -eq 0 ]; then
  if [ "$retried_n" -eq 0 ]; then
    ok client_served 0 "$total_n requests over both phases (every address in turn), none failed"
  else
    ok client_served 0 "$total_n requests over both phases (every address in turn), every one answered; $retried_n needed a second try: $(grep -h -A1 -v ' rc=0 .* from 172\.20\.1\.1[01]$' "$out"/client-phase*.txt | grep -v -- '^--$' | awk '{ "date -u -d @" $1 " +%T.%2N" | getline t; close("date -u -d @" $1 " +%T.%2N"); $1 = t; print }' | tr '\n' '|' | sed 's/|$//') (a connection open across the switch of directors: without lvs_sync_daemon the new one has no IPVS entry for it)"
  fi
else
  fail client_served "$unanswered_n of $total_n requests unanswered even at a second try: $(cat "$out"/client-phase*.txt | grep -v ' rc=0 .* from 172\.20\.1\.1[01]$' | head -n 4 | tr '\n' '|')"
fi

stop "${agent_pid[lvs2]}"
pkill -INT -x tcpdump
sleep 1
complaints=$(keepalived_complained "$out"/keepalived-*.log)
verdicts=$(bad_verdicts "$out"/metrics-ours-*.txt)
accepted=$(accepted_adverts "$out"/metrics-ours-*.txt)
# Its own sends failing while lvs1's link is down (ENETUNREACH) are expected, not a complaint.
warnings=$(grep -hiE ' (WARN|ERROR) .*vrrp' "$out"/ours-*.log | grep -v 'event=vrrp_send_failed .*ENETUNREACH' | head -n 3 | tr '\n' '|')
n_all=$(grep -c ' > 224\.0\.0\.18: VRRP' "$out/vrrp.txt")
n_ok=$(grep -cE " > 224\.0\.0\.18: $advert_pattern" "$out/vrrp.txt")
n1=$(grep -cE "172\.20\.1\.1 > 224\.0\.0\.18: $advert_pattern" "$out/vrrp.txt")
n2=$(grep -cE "172\.20\.1\.2 > 224\.0\.0\.18: $advert_pattern" "$out/vrrp.txt")
if [ -n "$complaints" ]; then
  fail no_complaints "keepalived logged: $complaints"
elif [ -n "$warnings" ]; then
  fail no_complaints "our agent logged: $warnings"
elif [ -z "$accepted" ] || [ -n "$verdicts" ]; then
  fail no_complaints "our agent accepted ${accepted:-no} adverts and dropped: ${verdicts:-? (no /metrics: see metrics-ours-*.txt)}"
elif [ "$n1" -eq 0 ] || [ "$n2" -eq 0 ] || [ "$n_ok" -ne "$n_all" ]; then
  fail no_complaints "tcpdump: $n_ok of $n_all adverts decode as \"$advert_pattern\" (vrrp.txt)"
else
  ok no_complaints 0 "keepalived logged none of its drop messages; our agent accepted $accepted adverts of keepalived and dropped none; tcpdump: all $n_all adverts ($n1 from lvs1, $n2 from lvs2, each director having been keepalived and ours) list ${advertised[*]} and not $excluded, PASS s3cret, 1 s"
fi
echo "$tag: all checks passed in $(since "$suite_t0")s"
