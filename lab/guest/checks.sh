# shellcheck shell=bash
# shellcheck disable=SC2034,SC2154 # variables shared with the script that sources it
# What the scenario scripts (seed.sh, compare.sh, mixed.sh) share: the reference scenario's
# network, polling, the VIP's holders, the client, the web servers and the address monitors.
# Source it after topology.sh; the script sets out (logs), work (scratch), tag (the first word of
# every line) and results (a file the checks are recorded in, or /dev/null).
vip=172.20.1.100
url=http://$vip/
export TZ=UTC

# The reference scenario's checks, in the order seed.sh plays them; compare.sh tabulates the same.
seed_checks=(vip_up ipvs_programmed balance rs_down_removed rs_up_readded link_down_failover preempt_back
  kill9_failover stale_vip_cleaned restart_hitless graceful_stop)

# scenario_topology: 172.20.0.0/16 on the bridge lan0: directors lvs1 (.1.1) and lvs2 (.1.2), real
# servers rs1 (.1.10) and rs2 (.1.11) serving "from <ip>" with busybox httpd, a client (.2.1).
scenario_topology() {
  topo_bridge lan0
  topo_ns lvs1 172.20.1.1/16 lan0
  topo_ns lvs2 172.20.1.2/16 lan0
  topo_ns rs1 172.20.1.10/16 lan0
  topo_ns rs2 172.20.1.11/16 lan0
  topo_ns client 172.20.2.1/16 lan0
  start_httpd rs1 172.20.1.10
  start_httpd rs2 172.20.1.11
}

now() { echo "$EPOCHREALTIME"; }
# seconds_between A B: B - A, seconds with one decimal (A and B: epoch seconds with a fraction).
seconds_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
since() { seconds_between "$1" "$EPOCHREALTIME"; }
# at_most VALUE LIMIT: 0 when VALUE <= LIMIT (decimal seconds).
at_most() { awk -v v="$1" -v l="$2" 'BEGIN { exit !(v <= l) }'; }
# takeover_limit ADVERT_S: how soon a backup must take over from a master that stops gracefully:
# skew time (256 - priority 50) / 256 advert intervals plus one interval (RFC 5798 6.4.2, with the
# reference scenario's backup priority), two decimals.
takeover_limit() { skew_plus_interval 50 "$1"; }
record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${4:-}" >>"$results"; }
ok() {
  local check=$1 t=$2
  shift 2
  echo "$tag $check ok ${t}s${*:+ ($*)}"
  record "$check" ok "$t" "$*"
}
# fail CHECK REASON...: the line, then a "not run" line for each check after it in all_checks
# (when the caller lists its checks there), then stop (exit 1: topo_cleanup_on_exit tears down).
fail() {
  local check=$1 c after=
  shift
  echo "$tag $check FAIL $*"
  record "$check" FAIL "$*"
  for c in "${all_checks[@]}"; do
    if [ -n "$after" ]; then
      echo "$tag $c FAIL not run ($check failed before it)"
      record "$c" FAIL "not run"
    fi
    [ "$c" != "$check" ] || after=1
  done
  echo "$tag: FAILED at $check; logs in $out"
  exit 1
}
all_checks=()
# until_true LIMIT CMD...: polls CMD every 0.1 s; 0 when it succeeded within LIMIT seconds.
until_true() {
  local limit=$1
  shift
  local deadline
  deadline=$(awk -v n="$EPOCHREALTIME" -v l="$limit" 'BEGIN { printf "%d", n + l }')
  until "$@" >/dev/null 2>&1; do
    [ "${EPOCHREALTIME%.*}" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}

holds() { ip -n "$1" -4 -o addr show dev eth0 | grep -q "inet $vip/16 .* eth0:1"; }
holds_any() { ip -n "$1" -4 -o addr show dev eth0 | grep -q "inet $vip/"; }
only_holds() { holds "$1" && ! holds_any "$2"; }
fetch() { topo_exec client curl -sS --max-time 3 "$url"; }
served() { fetch | grep -q '^from 172\.20\.1\.1[01]$'; }
mac_of() { mac_on "$1" eth0; }
# The MAC the client sends VIP traffic to: which director serves it.
client_vip_mac() { neigh_mac "$vip"; }
served_by() { served && [ "$(client_vip_mac)" = "$(mac_of "$1")" ]; }
log_has() { grep -q -- "$2" "$out/$1.log"; }
lacks() { ! holds_any "$1"; }
# arp_macs: the MACs answering the client's ARP requests for the VIP, sorted, space-separated.
# busybox arping -b broadcasts every request, so every holder answers every one (without -b it
# unicasts to the first that answered).
arp_macs() {
  topo_exec client busybox arping -b -c 3 -w 4 -I eth0 "$vip" 2>/dev/null |
    grep -o 'reply from [^ ]* \[[0-9a-f:]*\]' | grep -o '[0-9a-f:]\{17\}' | sort -u | tr '\n' ' ' | sed 's/ $//'
}

declare -A httpd_pid
start_httpd() {
  local rs=$1 ip=$2
  mkdir -p "$work/www/$rs"
  echo "from $ip" >"$work/www/$rs/index.html"
  topo_spawn "$rs" "$out/httpd-$rs.log" busybox httpd -f -p 80 -h "$work/www/$rs"
  httpd_pid[$rs]=$TOPO_LAST_PID
}

# Address monitors (an oracle independent of the agent): `ip -ts monitor address` per director.
declare -A mon_pid
start_monitors() {
  local ns
  for ns in lvs1 lvs2; do
    ip -n "$ns" -ts monitor address >"$out/monitor-$1-$ns.txt" 2>&1 &
    mon_pid[$ns]=$!
    TOPO_PIDS+=("$!")
  done
  sleep 0.3
}
stop_monitors() {
  local ns
  for ns in lvs1 lvs2; do kill "${mon_pid[$ns]}" 2>/dev/null && wait "${mon_pid[$ns]}" 2>/dev/null; done
}
# overlap_report NAME T0 LVS1_AT_T0 LVS2_AT_T0: reads the two monitors (events from T0 on) and
# prints "<longest both-hold interval after the first change> <both-hold from T0 to the first
# change>", in seconds. LVSn_AT_T0 is 1 when that director held the VIP at T0 (holds_any), else 0
# (missing: 0). The second figure is the interval that was already running at T0 (0 when only one
# held the VIP then); every both-hold interval that begins after T0 counts for the first figure.
# Timestamps are seconds of the day (the run does not span midnight in practice).
overlap_report() {
  local name=$1 t0 h1=${3:-0} h2=${4:-0} ns
  t0=$(date -d "@$2" +%H:%M:%S.%N | awk -F: '{ printf "%.6f", $1 * 3600 + $2 * 60 + $3 }')
  for ns in lvs1 lvs2; do
    grep "inet $vip/" "$out/monitor-$name-$ns.txt" | sed "s/^/$ns /"
  done | awk '
    {
      ns = $1; ts = $2; gsub(/[\[\]]/, "", ts); split(ts, p, "T"); split(p[2], h, ":")
      t = h[1] * 3600 + h[2] * 60 + h[3]
      printf "%.6f %s %d\n", t, ns, ($3 == "Deleted" ? 0 : 1)
    }' | sort -n | awk -v t0="$t0" -v h1="$h1" -v h2="$h2" '
    BEGIN {
      h["lvs1"] = (h1 == 1); h["lvs2"] = (h2 == 1); both = h["lvs1"] && h["lvs2"]
      initial = both; since = t0; first = 0; longest = 0
    }
    $1 < t0 { next } # before T0: already in the states given
    {
      h[$2] = $3
      now_both = h["lvs1"] && h["lvs2"]
      if (both && !now_both) {
        d = $1 - since
        if (initial) { first = d; initial = 0 } else if (d > longest) longest = d
      }
      if (!both && now_both) since = $1
      both = now_both
    }
    END { printf "%.3f %.3f\n", longest, first }'
}

# mon_delay NAME NS add|del T0: seconds from epoch T0 to NS's first VIP add (del) in monitor NAME.
mon_delay() {
  local pat="^\\[[^]]*\\] [0-9]"
  [ "$3" = del ] && pat="^\\[[^]]*\\] Deleted"
  grep "inet $vip/" "$out/monitor-$1-$2.txt" | grep -m1 "$pat" | awk -v t0="$(date -d "@$4" +%H:%M:%S.%N)" '
    function sod(s, h) { split(s, h, ":"); return h[1] * 3600 + h[2] * 60 + h[3] }
    { ts = $1; gsub(/[\[\]]/, "", ts); split(ts, p, "T"); printf "%.2f", sod(p[2]) - sod(t0) }'
}

# ---- shared by mixed.sh, migrate.sh and features.sh ----
gone() { ! kill -0 "$1" 2>/dev/null; }
# stop PID: SIGTERM, then SIGKILL when it is still there after 30 s.
stop() {
  kill -TERM "$1" 2>/dev/null
  until_true 30 gone "$1" || kill -9 "$1" 2>/dev/null
  wait "$1" 2>/dev/null
}
# stays SECONDS CMD...: CMD holds at every poll for SECONDS.
stays() {
  local end
  end=$(awk -v n="$EPOCHREALTIME" -v s="$1" 'BEGIN { printf "%d", n + s }')
  shift
  while [ "${EPOCHREALTIME%.*}" -lt "$end" ]; do
    "$@" >/dev/null 2>&1 || return 1
    sleep 0.2
  done
}
# within VALUE LOW HIGH: 0 when LOW <= VALUE <= HIGH (decimal seconds).
within() { awk -v v="$1" -v l="$2" -v h="$3" 'BEGIN { exit !(v >= l && v <= h) }'; }
# skew_plus_interval PRIORITY ADVERT_S: how soon a backup at PRIORITY takes over from a master that
# stops gracefully (priority 0): skew (256 - PRIORITY) / 256 intervals plus one, two decimals.
skew_plus_interval() { awk -v p="$1" -v a="$2" 'BEGIN { printf "%.2f", (256 - p) / 256 * a + a }'; }
# master_down PRIORITY ADVERT_S: 3 intervals plus skew, two decimals (RFC 3768/5798).
master_down() { awk -v p="$1" -v a="$2" 'BEGIN { printf "%.2f", 3 * a + (256 - p) / 256 * a }'; }

# ---- several addresses on several interfaces ----
# has_addr NS ADDRESS [DEV]: NS holds ADDRESS (on DEV when given). The list is read whole first:
# `ip ... | grep -q` fails now and then under pipefail, when grep's early exit makes ip die of
# SIGPIPE with lines still to write (seen in migrate.sh with five addresses on eth0).
has_addr() {
  local list
  list=$(ip -n "$1" -4 -o addr show ${3:+dev "$3"}) && grep -q "inet $2/" <<<"$list"
}
# holds_all NS ADDRESS...: NS holds every ADDRESS.
holds_all() {
  local ns=$1 a
  shift
  for a in "$@"; do has_addr "$ns" "$a" || return 1; done
}
# holds_none NS ADDRESS...: NS holds none of them.
holds_none() {
  local ns=$1 a
  shift
  for a in "$@"; do ! has_addr "$ns" "$a" || return 1; done
}
# mac_on NS DEV: the MAC of DEV in NS.
mac_on() { ip -n "$1" -o link show dev "$2" | grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2; }
# neigh_mac ADDRESS: the MAC the client sends ADDRESS's traffic to.
neigh_mac() { ip -n client neigh show "$1" | grep -o 'lladdr [0-9a-f:]*' | cut -d' ' -f2; }
# answer ADDRESS: the client's request to http://ADDRESS/ (the page, or nothing).
answer() { topo_exec client curl -sS --max-time 5 "http://$1/" 2>/dev/null; }
# served_at NS ADDRESS...: each ADDRESS answers with a real server's page, through NS (the client's
# neighbour entry for it is NS's eth0).
served_at() {
  local ns=$1 a mac got
  shift
  mac=$(mac_of "$ns")
  for a in "$@"; do
    got=$(answer "$a")
    if ! grep -q '^from 172\.20\.1\.1[01]$' <<<"$got" || [ "$(neigh_mac "$a")" != "$mac" ]; then
      # Each failed poll, for the record: what answered, and where the client sends that address.
      echo "$EPOCHREALTIME $a via $ns ($mac): answer '$got', client: $(ip -n client neigh show "$a" | tr '\n' ' ')" >>"$out/served-polls.txt"
      return 1
    fi
  done
}
# prepare_dr NS VIP...: a DR real server by hand (the guide's way): arp_ignore 1 and arp_announce 2
# on eth0 and all, each VIP on lo as /32.
prepare_dr() {
  local ns=$1 a
  shift
  topo_exec "$ns" sh -c 'for c in all eth0; do echo 1 >/proc/sys/net/ipv4/conf/$c/arp_ignore; echo 2 >/proc/sys/net/ipv4/conf/$c/arp_announce; done'
  for a in "$@"; do ip -n "$ns" addr add "$a/32" dev lo; done
}
# tally ADDRESS N: N requests to ADDRESS, answers counted: "2 x from 172.20.1.10; 2 x from 172.20.1.11".
tally() {
  local _
  for _ in $(seq "$2"); do answer "$1" || echo none; done | sort | uniq -c | awk '{ $1 = $1 " x"; printf "%s%s", sep, $0; sep = "; " }'
}

# A client that keeps asking (one request at a time, round robin over URLs) while directors fail
# over: client_loop_start NAME URL... writes "<epoch> rc=<curl rc> <url> <answer>" lines to
# $out/client-NAME.txt until client_loop_stop NAME. curl waits up to 10 s, so that TCP's SYN
# retries (1 s, 3 s, 7 s) can outlast a failover. A request that fails is asked again at once, on a
# line "<epoch> retry rc=<rc> <url> <answer>": a connection open across a switch of directors can
# be reset (the new one has no IPVS entry for it without connection sync), which a user's retry
# gets past; an address that does not answer the retry either is not served.
declare -A client_pid
client_loop_start() {
  local name=$1
  shift
  rm -f "$work/stop-client-$name"
  (
    while [ ! -e "$work/stop-client-$name" ]; do
      for u in "$@"; do
        r=$(topo_exec client curl -sS --max-time 10 "$u" 2>&1)
        rc=$?
        echo "$EPOCHREALTIME rc=$rc $u $r"
        if [ "$rc" -ne 0 ] || ! [[ $r =~ ^from\ 172\.20\.1\.1[01]$ ]]; then
          r=$(topo_exec client curl -sS --max-time 10 "$u" 2>&1)
          echo "$EPOCHREALTIME retry rc=$? $u $r"
        fi
      done
    done >"$out/client-$name.txt"
  ) &
  client_pid[$name]=$!
  TOPO_PIDS+=("$!")
}
client_loop_stop() {
  touch "$work/stop-client-$1"
  wait "${client_pid[$1]}" 2>/dev/null
}
# client_failures FILE...: "<unanswered> <requests> <retried>" over the client loop files: a
# request failed when curl did not exit 0 or the answer was not a real server's page; it was
# retried, and it is unanswered when its retry failed too (or never came).
client_failures() {
  cat "$@" | awk '
    function good(rcf, a, b) { return rcf == "rc=0" && a == "from" && b ~ /^172\.20\.1\.1[01]$/ }
    $2 == "retry" { if (pending) { if (!good($3, $5, $6)) unanswered++; pending = 0 } next }
    { if (pending) unanswered++; n++; pending = !good($2, $4, $5); if (pending) retried++ }
    END { if (pending) unanswered++; printf "%d %d %d\n", unanswered, n, retried }'
}
# bad_verdicts METRICS: our agent's received-packet verdicts other than ACCEPTED, OWN_ADVERT and
# NOT_STARTED (adverts that came while it started), "VERDICT=N ..."; empty when none.
bad_verdicts() {
  awk -F'"' '/^lvs_vrrp_received_packets_total\{/ { split($3, n, " "); if (n[2] > 0 && $2 != "ACCEPTED" && $2 != "OWN_ADVERT" && $2 != "NOT_STARTED") printf "%s=%s ", $2, n[2] }' "$@"
}
# accepted_adverts METRICS...: the adverts our agent accepted, summed.
accepted_adverts() {
  awk -F'"' '/^lvs_vrrp_received_packets_total\{verdict="ACCEPTED"/ { split($3, n, " "); s += n[2]; seen = 1 } END { if (seen) print s }' "$@"
}

# leftovers: what a run left behind in the guest (namespaces, bridges, daemons, address monitors,
# captures); removes it and says what it was (empty: nothing).
leftovers() {
  local what='' ns pid
  for ns in $(ip netns list | cut -d' ' -f1); do
    what+="netns $ns; "
    for pid in $(ip netns pids "$ns"); do kill -9 "$pid" 2>/dev/null; done
    ip netns del "$ns"
  done
  for pid in $(pgrep -x keepalived) $(pgrep -f '/bin/java .*lvs-node-agent\.jar standalone'); do
    what+="process $pid ($(tr '\0' ' ' </proc/"$pid"/cmdline | cut -c1-60)); "
    kill -9 "$pid" 2>/dev/null
  done
  for pid in $(pgrep -x tcpdump) $(pgrep -f '^ip .*monitor address'); do
    what+="process $pid ($(tr '\0' ' ' </proc/"$pid"/cmdline | cut -c1-60)); "
    kill -9 "$pid" 2>/dev/null
  done
  for br in lan0 lan1; do
    if ip link show "$br" >/dev/null 2>&1; then
      what+="bridge $br; "
      ip link del "$br"
    fi
  done
  echo "$what"
}

# ipvs_dests_of KEY: from `ipvsadm -Ln` on stdin, the destinations of the service whose line starts
# with KEY ("TCP  172.20.1.130:80", "FWM  7"), sorted, space-separated ("172.20.1.10:80 172.20.1.11:80").
ipvs_dests_of() {
  awk -v k="$1" 'index($0, k " ") == 1 { on = 1; next } on && $1 == "->" { print $2; next } { on = 0 }' | sort | paste -sd' ' -
}
# ipvs_dests NS KEY: the same from NS's table.
ipvs_dests() { topo_exec "$1" ipvsadm -Ln | ipvs_dests_of "$2"; }
