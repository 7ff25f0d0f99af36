#!/usr/bin/env bash
# Zero-loss failover (issue 14 item 1, docs/lab.md): N long-lived TCP connections through the VIP
# (each sending a line every 100 ms and reading its echo) while the master fails: its link goes
# down, it hands over gracefully (SIGTERM), it is killed (kill -9). First with IPVS connection
# sync (spec.vrrp.connectionSync), then without it, the control. One line per event:
#   zero-loss <event> <with-sync|without-sync> broken <n> of <N>
# Exit 0 only when every with-sync line has broken 0 (and every event ran).
#
# The reference topology (checks.sh): directors lvs1 (priority 100) and lvs2 (50) run our agent
# at its defaults (VRRP v3, 100 ms adverts) on the manifests made by `ScenarioManifests zero-loss`:
# examples/reference plus "echo", TCP 172.20.1.100:9000, DR to rs1 and rs2, where
# io.lvsoperator.lab.ZeroLossEchoServer echoes (busybox nc -ll listens with a backlog of 2: opens
# timed out). The real servers are prepared by hand (VIP on lo/32, arp_ignore 1, arp_announce 2),
# as the guide does; the client is io.lvsoperator.lab.ZeroLossClient. Both run from node-agent's
# test classes.
# Usage: zero-loss.sh JAR MANIFESTS_SYNC MANIFESTS_NOSYNC OUT_DIR
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/topology.sh
. "$here/topology.sh"
jar=$1 with_sync=$2 without_sync=$3 out=$4
# shellcheck disable=SC1091 # lab/run writes it for options that must reach the guest
[ ! -f "$out/env" ] || . "$out/env"
tag=zero-loss
results=/dev/null
work=/tmp/zero-loss
n=${ZERO_LOSS_CONNECTIONS:-20}
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
# shellcheck disable=SC2206 # ZERO_LOSS_JAVA_OPTS is a list of flags
java_opts=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC ${ZERO_LOSS_JAVA_OPTS:-})
classes=$(dirname "$jar")/test-classes
rm -rf "$work"
mkdir -p "$out" "$work"
# shellcheck source=SCRIPTDIR/checks.sh
. "$here/checks.sh"
t0=$(now)
note() { echo "$tag: $*"; }
die() {
  note "FAILED: $*; logs in $out"
  exit 1
}

topo_cleanup_on_exit
scenario_topology
for rs in rs1 rs2; do
  topo_exec "$rs" sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 \
    net.ipv4.conf.eth0.arp_ignore=1 net.ipv4.conf.eth0.arp_announce=2
  topo_exec "$rs" ip addr add "$vip/32" dev lo
  topo_spawn "$rs" "$out/echo-$rs.log" "$java" "${java_opts[@]}" -cp "$classes" \
    io.lvsoperator.lab.ZeroLossEchoServer 9000
done

# The agents watch $work/manifests; switching modes replaces its files and sends SIGHUP.
use_manifests() {
  mkdir -p "$work/manifests"
  rm -f "$work/manifests"/*.yaml
  cp "$1"/*.yaml "$work/manifests/"
}
declare -A agent_pid
start_agent() { # NODE LOG
  topo_spawn "$1" "$out/$2.log" "$java" "${java_opts[@]}" -jar "$jar" standalone \
    --manifests "$work/manifests" --node-name "$1" --state-dir "$work/state-$1" \
    --handover-timeout 3s --http-port 9100
  agent_pid[$1]=$TOPO_LAST_PID
}
restarts=0
restart_lvs1() {
  restarts=$((restarts + 1))
  local t
  t=$(now)
  start_agent lvs1 "lvs1-restart$restarts"
  until_true 300 only_holds lvs1 lvs2 || die "lvs1 not sole master 300 s after its restart"
  until_true 30 served_by lvs1 || die "the client is not served through lvs1 after its restart"
  note "lvs1 restarted and master again after $(since "$t")s"
}
metric() { topo_exec "$1" curl -s --max-time 3 "http://127.0.0.1:9100/metrics" | awk -v m="$2" '$1 == m { print $2 }'; }
echo_ready() { # NODE: its IPVS has the echo service with both real servers
  [ "$(topo_exec "$1" ipvsadm -Ln -t "$vip:9000" 2>/dev/null | grep -c -- '-> .*Route')" = 2 ]
}

# ---- the client: one JVM for the whole run, commands through a FIFO ----
mkfifo "$work/client.in"
ip netns exec client "$java" "${java_opts[@]}" -cp "$classes" io.lvsoperator.lab.ZeroLossClient \
  "$vip" 9000 <"$work/client.in" >"$out/client.out" 2>"$out/client.err" &
TOPO_PIDS+=("$!")
exec 3>"$work/client.in"
answers=0
# ask CMD PATTERN LIMIT: sends CMD, waits for a new answer line matching PATTERN; prints it.
ask() {
  local from=$((answers + 1)) deadline=$((SECONDS + $3)) line
  echo "$1" >&3
  while [ "$SECONDS" -le "$deadline" ]; do
    line=$(tail -n "+$from" "$out/client.out" | grep -m1 -E "$2") && {
      answers=$(wc -l <"$out/client.out")
      echo "$line"
      return 0
    }
    sleep 0.2
  done
  return 1
}

# ---- directors ----
use_manifests "$with_sync"
start_agent lvs1 lvs1
until_true 300 only_holds lvs1 lvs2 || die "lvs1 not master 300 s after its start"
start_agent lvs2 lvs2
until_true 300 log_has lvs2 'to=BACKUP' || die "lvs2 not BACKUP 300 s after its start"
until_true 120 log_has echo-rs1 '^listening' || die "rs1's echo server does not listen"
until_true 120 log_has echo-rs2 '^listening' || die "rs2's echo server does not listen"
until_true 60 echo_ready lvs1 || die "lvs1's IPVS lacks the echo service with both real servers"
until_true 60 echo_ready lvs2 || die "lvs2's IPVS lacks the echo service with both real servers"
until_true 30 served_by lvs1 || die "the client is not served through lvs1"
note "directors up after $(since "$t0")s: lvs1 master, lvs2 backup; $n connections per event; logs in $out"

# synced_count PORTS: how many of the client's connections lvs2's table has, ESTABLISHED.
synced_count() {
  topo_exec lvs2 ipvsadm -Lnc | awk -v ports=" $1 " -v vip="$vip:9000" '
    $3 == "ESTABLISHED" && $5 == vip { split($4, a, ":"); if (index(ports, " " a[2] " ")) n++ }
    END { print n + 0 }'
}
all_synced() { [ "$(synced_count "$1")" -ge "$n" ]; }

failed=0
lines=0
# event NAME MODE: open the connections through lvs1, fail it as NAME says, count the broken ones.
event() {
  local name=$1 mode=$2 opened ports have t broken takeover before block first
  only_holds lvs1 lvs2 || die "$name $mode: lvs1 is not the sole master before the event"
  # Both directors' checks must have the echo servers up again: after its link came back, lvs1
  # preempts within 0.4 s but its TCP checks re-add a real server only after rise 2 x 2 s; in
  # between IPVS answers a new connection with port unreachable ("Connection refused").
  until_true 60 echo_ready lvs1 || die "$name $mode: lvs1's IPVS lacks the echo real servers"
  until_true 60 echo_ready lvs2 || die "$name $mode: lvs2's IPVS lacks the echo real servers"
  until_true 30 served_by lvs1 || die "$name $mode: the client is not served through lvs1 (VIP at $(client_vip_mac))"
  opened=$(ask "open $n" '^(opened|open-failed)' 120) || die "the client did not answer 'open'"
  case $opened in open-failed*) die "$name $mode: $opened" ;; esac
  ports=${opened#* ports }
  if [ "$mode" = with-sync ]; then
    # The master's daemon syncs a connection at its 3rd packet and sends within ~2 s; a lost sync
    # message is made good at the 50th packet after (5 s at one per 100 ms). On a starved host 20 s
    # were not enough once (15 of 20 synced): the event waits up to 60 s, then counts what it gets.
    until_true 60 all_synced "$ports"
    have=$(synced_count "$ports")
  else
    sleep 3
    have=$(synced_count "$ports")
  fi
  ask mark '^marked' 30 >/dev/null || die "the client did not answer 'mark'"
  start_monitors "$name-$mode"
  t=$(now)
  case $name in
    link-down) ip -n lvs1 link set eth0 down ;;
    graceful) kill -TERM "${agent_pid[lvs1]}" ;;
    kill9)
      kill -9 "${agent_pid[lvs1]}"
      wait "${agent_pid[lvs1]}" 2>/dev/null
      ;;
  esac
  until_true 30 holds lvs2 || die "$name $mode: lvs2 does not hold the VIP 30 s after the event"
  takeover=$(since "$t")
  before=$(wc -l <"$out/client.out")
  broken=$(ask "check 20" '^broken ' 60) || die "the client did not answer 'check'"
  block=$(tail -n "+$((before + 1))" "$out/client.out")
  stop_monitors
  echo "$tag $name $mode $broken"
  lines=$((lines + 1))
  [ "$mode" = without-sync ] || [ "${broken% of *}" = "broken 0" ] || failed=$((failed + 1))
  first=$(grep -m1 '^broken-connection' <<<"$block" | cut -d' ' -f2-)
  note "$name $mode: lvs2 had $have of $n connections in its table before the event; VIP on lvs2 $(mon_delay "$name-$mode" lvs2 add "$t")s after it (ip monitor; polled ${takeover}s); longest pause a connection saw $(awk '$1 == "longest-gap" { print $2 }' <<<"$block")s${first:+; first broken: $first}"
  ask close '^closed' 30 >/dev/null || die "the client did not answer 'close'"
}
# restore NAME: lvs1 master again after the event.
restore() {
  case $1 in
    link-down)
      ip -n lvs1 link set eth0 up
      until_true 60 only_holds lvs1 lvs2 || die "lvs1 not sole master 60 s after its link came up"
      until_true 30 served_by lvs1 || die "the client is not served through lvs1 after link up"
      ;;
    graceful | kill9)
      until_true 30 bash -c "! kill -0 ${agent_pid[lvs1]} 2>/dev/null" || die "lvs1's agent still runs"
      restart_lvs1
      ;;
  esac
}

play() { # MODE LAST
  local mode=$1 last=$2 e
  for e in link-down graceful kill9; do
    event "$e" "$mode"
    [ "$last" = 1 ] && [ "$e" = kill9 ] || restore "$e"
  done
}

# ---- with connection sync ----
until_true 60 bash -c "ip netns exec lvs1 ipvsadm -L --daemon | grep -q 'master sync daemon'" ||
  die "lvs1 runs no master sync daemon (ipvsadm -L --daemon: $(topo_exec lvs1 ipvsadm -L --daemon | tr '\n' ' '))"
until_true 60 bash -c "ip netns exec lvs2 ipvsadm -L --daemon | grep -q 'backup sync daemon'" ||
  die "lvs2 runs no backup sync daemon"
note "with-sync: lvs1 $(topo_exec lvs1 ipvsadm -L --daemon | tr '\n' ' '); lvs2 $(topo_exec lvs2 ipvsadm -L --daemon | tr '\n' ' ')"
play with-sync 0
note "with-sync: lvs2's /metrics: lvs_ipvs_connections synced $(metric lvs2 'lvs_ipvs_connections{origin="synced"}'), failovers $(metric lvs2 'lvs_vrrp_failover_seconds_count{instance="eth0-51"}') taking $(metric lvs2 'lvs_vrrp_failover_seconds_sum{instance="eth0-51"}')s in all"

# ---- without: the control ----
use_manifests "$without_sync"
kill -HUP "${agent_pid[lvs1]}" "${agent_pid[lvs2]}"
no_daemon() { [ -z "$(topo_exec "$1" ipvsadm -L --daemon)" ]; }
until_true 60 no_daemon lvs1 || die "lvs1 still runs a sync daemon 60 s after connectionSync was removed"
until_true 60 no_daemon lvs2 || die "lvs2 still runs a sync daemon 60 s after connectionSync was removed"
note "without-sync: no sync daemon on either director"
play without-sync 1

echo quit >&3
# Every takeover by lvs2 should be one of the six events; more means a spurious one (issue 14 item 3).
note "lvs2 became MASTER $(grep -c 'event=vrrp_transition .* to=MASTER' "$out/lvs2.log") time(s) in all (6 events)"
if [ "$lines" -ne 6 ]; then
  die "$lines of 6 events ran"
elif [ "$failed" -gt 0 ]; then
  note "FAILED: $failed with-sync event(s) broke connections in $(since "$t0")s; logs in $out"
  exit 1
fi
note "every with-sync event broke no connection, in $(since "$t0")s"
