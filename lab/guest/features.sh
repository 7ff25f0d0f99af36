#!/usr/bin/env bash
# keepalived's features on our agent (issue 13 items 1 and 2), in the guest, with traffic where
# traffic is the point. Our agent runs lab/scenarios/features on lvs1 (priority 150), keepalived
# 2.2.7 the same VRRP instance on lvs2 (lvs2.conf, 100) as peer and oracle: one instance whose
# addresses are 172.20.1.130-133, .135, .140 on eth0, 172.21.0.130 on eth1 (a second bridge, lan1,
# where the client has a leg too) and 172.20.1.139 excluded from the adverts. Services: web
# (.130 and the group .131-133, sorry server .12), quorum (.135, quorum 3, hysteresis 1, weights
# 2 + 2, sorry server), marked (firewall mark 7, set by an nftables rule for .140:80). One JVM
# start: later settings (nopreempt, preempt_delay) are reloads of the directory.
# Prints `features <check> ok <s>s (details)` or `features <check> FAIL <why>`; exit 0 only when all
# pass. Usage: features.sh JAR OUT
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/topology.sh
. "$here/topology.sh"
jar=$1 out=$2
# shellcheck disable=SC1091 # lab/run writes it for options that must reach the guest
[ ! -f "$out/env" ] || . "$out/env"
tag=features
results=$out/results.tsv
work=/tmp/features
src=$LAB_HOME/scenarios/features
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
# shellcheck disable=SC2206 # SCENARIO_JAVA_OPTS is a list of flags
java_opts=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC ${SCENARIO_JAVA_OPTS:-})
http_port=9100
notify_log=/tmp/lvs-features/notify.log # where the manifests' notify commands write
rm -rf "$work" /tmp/lvs-features
mkdir -p "$out" "$work/manifests" /tmp/lvs-features
: >"$results"
# shellcheck source=SCRIPTDIR/checks.sh
. "$here/checks.sh"
# shellcheck source=SCRIPTDIR/impl-keepalived.sh
. "$here/impl-keepalived.sh"

advertised=(172.20.1.130 172.21.0.130 172.20.1.131 172.20.1.132 172.20.1.133 172.20.1.135 172.20.1.140)
excluded=172.20.1.139
all=("${advertised[@]}" "$excluded")
served=(172.20.1.130 172.20.1.131 172.20.1.132 172.20.1.133 172.20.1.135 172.20.1.140)
vip=172.20.1.130 # what the address monitors time
all_checks=(peer_master instance_up adverts per_address_interface ipvs_services group_balance firewall_mark
  quorum_hysteresis_holds sorry_server quorum_hysteresis_regain quorum_gained track_interface notify nopreempt
  preempt_delay no_complaints)
sorry_page="sorry from 172.20.1.12"
two_two="2 x from 172.20.1.10; 2 x from 172.20.1.11"
instance=eth0-60 # its name on the node: <interface>-<vrid>

holders() {
  local ns
  for ns in lvs1 lvs2; do
    printf '%s holds: %s; ' "$ns" "$(ip -n "$ns" -4 -o addr show | grep -o 'inet 172\.2[01]\.[0-9.]*' | cut -d' ' -f2 | grep -v -e '\.[12]$' | tr '\n' ' ')"
  done
}
moved_to() { holds_all "$1" "${all[@]}" && holds_none "$2" "${all[@]}"; }
answers_with() { [ "$(answer "$1")" = "$2" ]; }
dests_are() { [ "$(ipvs_dests lvs1 "TCP  $1:80")" = "$2" ]; }
transitions_to() { grep -c "event=vrrp_transition instance=$instance .* to=$1" "$out/ours.log"; }
reloads() { grep -c 'event=reload_apply' "$out/ours.log"; }
# reload_with VARIANT: the VrrpInstance file replaced by lab/scenarios/features/VARIANT.yaml; waits
# until the agent applied it.
reload_with() {
  local before
  before=$(reloads)
  cp "$src/$1.yaml" "$work/manifests/vrrpinstance.yaml"
  until_true 60 bash -c "[ \$(grep -c 'event=reload_apply' '$out/ours.log') -gt $before ]"
}
stop_httpd() {
  kill "${httpd_pid[$1]}"
  wait "${httpd_pid[$1]}" 2>/dev/null
}
nft_mark() { topo_exec lvs1 nft "$@"; }

topo_cleanup_on_exit
echo "$tag: our agent $jar on lvs1 (lab/scenarios/features), keepalived $(keepalived --version 2>&1 | head -n 1 | cut -d' ' -f2) on lvs2; logs in $out"
suite_t0=$(now)
# The guest cannot autoload modules for a netlink socket (docs/lab.md): nftables' first.
modprobe -a nfnetlink nf_tables || echo "$tag: cannot load nf_tables"

# ---- topology: the reference network, a sorry server, and lan1 (172.21.0.0/16) ----
scenario_topology
topo_ns sorry 172.20.1.12/16 lan0
mkdir -p "$work/www/sorry"
echo "$sorry_page" >"$work/www/sorry/index.html"
topo_spawn sorry "$out/httpd-sorry.log" busybox httpd -f -p 80 -h "$work/www/sorry"
topo_bridge lan1
topo_link lvs1 eth1 172.21.0.1/16 lan1
topo_link lvs2 eth1 172.21.0.2/16 lan1
topo_link client eth1 172.21.2.1/16 lan1
for rs in rs1 rs2; do prepare_dr "$rs" "${served[@]}"; done
prepare_dr sorry 172.20.1.130 172.20.1.131 172.20.1.132 172.20.1.133 172.20.1.135
cp "$src/virtualservers.yaml" "$src/secret.yaml" "$work/manifests/"
cp "$src/vrrpinstance.yaml" "$work/manifests/vrrpinstance.yaml"
tcpdump -i lan0 -n -vv -l 'ip proto 112' >"$out/vrrp.txt" 2>&1 &
TOPO_PIDS+=("$!")
tcpdump -i lan1 -n -e -l arp >"$out/arp-lan1.txt" 2>&1 &
TOPO_PIDS+=("$!")

# ---- keepalived, then our agent, which preempts ----
t=$(now)
keepalived_start lvs2 keepalived-lvs2 "$src/lvs2.conf"
until_true 30 holds_all lvs2 "${all[@]}" || fail peer_master "30 s after keepalived's start: $(holders)"
ok peer_master "$(since "$t")" "keepalived (100) alone holds the instance's ${#all[@]} addresses"

start_monitors instance_up
t=$(now)
topo_spawn lvs1 "$out/ours.log" "$java" "${java_opts[@]}" -jar "$jar" standalone --manifests "$work/manifests" \
  --node-name lvs1 --state-dir "$work/state" --handover-timeout 3s --http-port "$http_port"
ours_pid=$TOPO_LAST_PID
until_true 300 moved_to lvs1 lvs2 || fail instance_up "300 s after our agent's start: $(holders)"
stop_monitors
eth0=$(ip -n lvs1 -4 -o addr show dev eth0)
eth1=$(ip -n lvs1 -4 -o addr show dev eth1)
grep -q "inet 172.20.1.130/16 .*eth0:5" <<<"$eth0" && grep -q "inet $excluded/16 .*eth0:6" <<<"$eth0" &&
  grep -q "inet 172.21.0.130/16 .*eth1:5" <<<"$eth1" && ! grep -q "172.21.0.130" <<<"$eth0" ||
  fail instance_up "lvs1's addresses are not where and how the manifests say: eth0: $eth0 | eth1: $eth1"
ok instance_up "$(since "$t")" "our agent (150) started (JVM start) and preempted keepalived: all ${#all[@]} addresses moved to lvs1 at once (first after $(mon_delay instance_up lvs1 add "$t")s, keepalived dropped them after $(mon_delay instance_up lvs2 del "$t")s), each on its interface with its label"

# ---- adverts: the advertised list only, in order; keepalived accepts them ----
t=$(now)
sleep 3
list=$(IFS=,; echo "${advertised[*]}")
ours_adverts=$(grep -c '172\.20\.1\.1 > 224\.0\.0\.18: VRRPv2' "$out/vrrp.txt")
ours_listing=$(grep -c "172\.20\.1\.1 > 224\.0\.0\.18: VRRPv2, Advertisement, vrid 60, prio 150, authtype simple, intvl 1s, length [0-9]*, addrs(7): $list auth \"features\"" "$out/vrrp.txt")
[ "$ours_adverts" -gt 0 ] && [ "$ours_listing" -eq "$ours_adverts" ] ||
  fail adverts "tcpdump: $ours_listing of $ours_adverts adverts of lvs1 list addrs(7): $list (vrrp.txt)"
! grep -q "$excluded" "$out/vrrp.txt" || fail adverts "an advert lists the excluded $excluded (vrrp.txt)"
log_has keepalived-lvs2 'Entering BACKUP STATE' || fail adverts "keepalived did not go back to BACKUP on our adverts"
[ -z "$(keepalived_complained "$out/keepalived-lvs2.log")" ] || fail adverts "keepalived logged: $(keepalived_complained "$out/keepalived-lvs2.log")"
ok adverts "$(since "$t")" "all $ours_adverts adverts of lvs1 list the 7 addresses in keepalived's order ($list), never $excluded; keepalived accepted them (BACKUP, no complaint)"

# ---- an address on eth1: held there, announced there, reached there ----
t=$(now)
mac1=$(mac_on lvs1 eth1)
until_true 10 grep -q "$mac1 > ff:ff:ff:ff:ff:ff, .*Request who-has 172\.21\.0\.130 .*tell 172\.21\.0\.130" "$out/arp-lan1.txt" ||
  fail per_address_interface "no gratuitous ARP for 172.21.0.130 from lvs1's eth1 ($mac1) on lan1 (arp-lan1.txt)"
topo_exec client ping -c 1 -W 3 172.21.0.130 >/dev/null || fail per_address_interface "the client cannot ping 172.21.0.130 over lan1"
[ "$(ip -n client neigh show 172.21.0.130 dev eth1 | grep -o 'lladdr [0-9a-f:]*' | cut -d' ' -f2)" = "$mac1" ] ||
  fail per_address_interface "the client reaches 172.21.0.130 at $(ip -n client neigh show 172.21.0.130), not lvs1's eth1 $mac1"
ok per_address_interface "$(since "$t")" "172.21.0.130 on lvs1's eth1 (label eth1:5), its gratuitous ARPs on lan1 from $mac1, the client on lan1 reaches it there"

# ---- IPVS: four group services, quorum, the firewall-mark service ----
t=$(now)
services_ok() {
  local a table
  table=$(topo_exec lvs1 ipvsadm -Ln) || return 1
  for a in 172.20.1.130 172.20.1.131 172.20.1.132 172.20.1.133 172.20.1.135; do
    grep -q "^TCP  $a:80 rr" <<<"$table" && [ "$(ipvs_dests_of "TCP  $a:80" <<<"$table")" = "172.20.1.10:80 172.20.1.11:80" ] || return 1
  done
  grep -q '^FWM  7 rr' <<<"$table" && [ "$(ipvs_dests_of "FWM  7" <<<"$table")" = "172.20.1.10:80 172.20.1.11:80" ]
}
until_true 60 services_ok || fail ipvs_services "lvs1: $(topo_exec lvs1 ipvsadm -Ln | tr -s ' ' | tr '\n' '|')"
topo_exec lvs1 ipvsadm -Ln >"$out/ipvs-lvs1.txt"
ok ipvs_services "$(since "$t")" "TCP 172.20.1.130-133:80 rr (the group), TCP 172.20.1.135:80 rr, FWM 7 rr; each to rs1 and rs2 (Route)"

t=$(now)
detail=""
for a in 172.20.1.130 172.20.1.131 172.20.1.132 172.20.1.133; do
  got=$(tally "$a" 4)
  [ "$got" = "$two_two" ] || fail group_balance "4 requests to $a got: $got"
  detail+="$a: $got; "
done
ok group_balance "$(since "$t")" "${detail%; }"

# ---- the firewall mark: without the rule nothing is served on .140, with it IPVS balances ----
t=$(now)
without=$(answer 172.20.1.140 || true)
[ -z "$without" ] || fail firewall_mark "172.20.1.140 answered without a mark: $without"
nft_mark add table ip lvsmark &&
  nft_mark add chain ip lvsmark pre '{ type filter hook prerouting priority mangle; }' &&
  nft_mark add rule ip lvsmark pre ip daddr 172.20.1.140 tcp dport 80 meta mark set 7 ||
  fail firewall_mark "nft could not add the marking rule on lvs1"
got=$(tally 172.20.1.140 4)
[ "$got" = "$two_two" ] || fail firewall_mark "4 requests to 172.20.1.140 with the mark rule got: $got"
ok firewall_mark "$(since "$t")" "without a mark 172.20.1.140:80 is not served (nothing listens there); with nft's 'ip daddr 172.20.1.140 tcp dport 80 meta mark set 7' on lvs1, FWM 7 balances: $got"

# ---- quorum, hysteresis and the sorry server, with the client's requests ----
t=$(now)
stop_httpd rs1
until_true 30 dests_are 172.20.1.130 172.20.1.11:80 || fail quorum_hysteresis_holds "172.20.1.10 still in 172.20.1.130's service: $(ipvs_dests lvs1 'TCP  172.20.1.130:80')"
got=$(tally 172.20.1.135 4)
[ "$got" = "4 x from 172.20.1.11" ] || fail quorum_hysteresis_holds "4 requests to 172.20.1.135 got: $got"
! log_has ours 'event=quorum_lost' || fail quorum_hysteresis_holds "quorum lost already: $(grep -m1 'event=quorum_lost' "$out/ours.log")"
ok quorum_hysteresis_holds "$(since "$t")" "rs1 down: 172.20.1.135 (quorum 3, hysteresis 1) keeps quorum with live weight 2 (>= 3 - 1): $got; no sorry server"

t=$(now)
stop_httpd rs2
until_true 30 answers_with 172.20.1.130 "$sorry_page" || fail sorry_server "172.20.1.130 answers '$(answer 172.20.1.130)' with every real server down"
until_true 30 answers_with 172.20.1.135 "$sorry_page" || fail sorry_server "172.20.1.135 answers '$(answer 172.20.1.135)' with every real server down"
dests_are 172.20.1.130 172.20.1.12:80 && dests_are 172.20.1.135 172.20.1.12:80 ||
  fail sorry_server "IPVS on lvs1: 130: $(ipvs_dests lvs1 'TCP  172.20.1.130:80'), 135: $(ipvs_dests lvs1 'TCP  172.20.1.135:80')"
log_has ours 'event=quorum_lost service=172.20.1.130:80/TCP' && log_has ours 'event=quorum_lost service=172.20.1.135:80/TCP' ||
  fail sorry_server "no event=quorum_lost for both services in our log"
topo_exec lvs1 curl -sS --max-time 10 "http://127.0.0.1:$http_port/metrics" >"$out/metrics-quorum-lost.txt" 2>&1
grep -q 'lvs_service_quorum_up{service="172.20.1.130:80/TCP"} 0' "$out/metrics-quorum-lost.txt" ||
  fail sorry_server "metrics-quorum-lost.txt has no lvs_service_quorum_up 0 for 172.20.1.130:80/TCP"
ok sorry_server "$(since "$t")" "rs2 down too: both services lost quorum (event=quorum_lost, lvs_service_quorum_up 0); IPVS holds only 172.20.1.12:80 and the client gets '$sorry_page' on .130 and .135"

t=$(now)
start_httpd rs1 172.20.1.10
until_true 30 answers_with 172.20.1.130 "from 172.20.1.10" || fail quorum_hysteresis_regain "172.20.1.130 answers '$(answer 172.20.1.130)' with rs1 back"
dests_are 172.20.1.130 172.20.1.10:80 || fail quorum_hysteresis_regain "172.20.1.130's service: $(ipvs_dests lvs1 'TCP  172.20.1.130:80')"
stays 5 answers_with 172.20.1.135 "$sorry_page" || fail quorum_hysteresis_regain "172.20.1.135 answers '$(answer 172.20.1.135)' with only rs1 (weight 2 < 3 + 1) back"
! log_has ours 'event=quorum_gained service=172.20.1.135' || fail quorum_hysteresis_regain "172.20.1.135 regained quorum with live weight 2"
ok quorum_hysteresis_regain "$(since "$t")" "rs1 back: 172.20.1.130 (quorum 1) regained it, the sorry server left and rs1 answers; 172.20.1.135 stays with the sorry server for 5 s (live weight 2 < 3 + 1)"

t=$(now)
start_httpd rs2 172.20.1.11
until_true 30 dests_are 172.20.1.135 "172.20.1.10:80 172.20.1.11:80" || fail quorum_gained "172.20.1.135's service: $(ipvs_dests lvs1 'TCP  172.20.1.135:80')"
got=$(tally 172.20.1.135 4)
[ "$got" = "$two_two" ] || fail quorum_gained "4 requests to 172.20.1.135 got: $got"
log_has ours 'event=quorum_gained service=172.20.1.135:80/TCP' || fail quorum_gained "no event=quorum_gained for 172.20.1.135"
ok quorum_gained "$(since "$t")" "rs2 back: 172.20.1.135 regained quorum at live weight 4 (>= 3 + 1); the sorry server left; $got"

# ---- track_interface eth1: down puts ours in FAULT (the hung fault command starts), up again ----
start_monitors track_down
t=$(now)
ip -n lvs1 link set eth1 down
until_true 60 moved_to lvs2 lvs1 || fail track_interface "60 s after lvs1's eth1 went down: $(holders)"
until_true 30 served_at lvs2 172.20.1.130 || fail track_interface "172.20.1.130 is not served through lvs2"
stop_monitors
down_s=$(mon_delay track_down lvs2 add "$t")
start_monitors track_up
t_up=$(now)
ip -n lvs1 link set eth1 up
until_true 60 moved_to lvs1 lvs2 || fail track_interface "60 s after lvs1's eth1 came up: $(holders)"
until_true 30 served_at lvs1 172.20.1.130 || fail track_interface "172.20.1.130 is not served through lvs1 again"
stop_monitors
ok track_interface "$(since "$t")" "lvs1's eth1 (tracked) down: ours FAULT, keepalived added every address after ${down_s}s and served .130; eth1 up: ours preempted back after $(mon_delay track_up lvs1 add "$t_up")s"

# ---- notify: the commands' arguments and order, the hung one killed while VRRP went on ----
t=$(now)
expected="backup
any INSTANCE $instance BACKUP 150
master
any INSTANCE $instance MASTER 150
any INSTANCE $instance FAULT 150
backup
any INSTANCE $instance BACKUP 150
master
any INSTANCE $instance MASTER 150"
until_true 30 bash -c "[ \"\$(cat $notify_log)\" = \"$expected\" ]" ||
  fail notify "$notify_log holds: $(tr '\n' '|' <"$notify_log"), expected $(tr '\n' '|' <<<"$expected")"
cp "$notify_log" "$out/notify.log"
killed=$(grep -m1 "event=notify_killed instance=$instance state=FAULT" "$out/ours.log" | cut -d' ' -f1)
started=$(grep -m1 "event=notify_started instance=$instance state=FAULT command=\"sleep 600\"" "$out/ours.log" | cut -d' ' -f1)
master_again=$(grep "event=vrrp_transition instance=$instance .* to=MASTER" "$out/ours.log" | tail -n 1 | cut -d' ' -f1)
[ -n "$killed" ] && [ -n "$started" ] || fail notify "no notify_started/notify_killed lines for the hung fault command in ours.log"
hung_s=$(seconds_between "$(date -d "$started" +%s.%N)" "$(date -d "$killed" +%s.%N)")
master_s=$(seconds_between "$(date -d "$started" +%s.%N)" "$(date -d "$master_again" +%s.%N)")
within "$hung_s" 19.5 23 || fail notify "the hung fault command ran ${hung_s}s, not its timeout of 20 s"
at_most "$master_s" "$hung_s" || fail notify "ours became MASTER ${master_s}s after the hung command started, after it was killed (${hung_s}s): did VRRP wait?"
ok notify "$(since "$t")" "the commands ran in order with keepalived's arguments ($(wc -l <"$notify_log") lines: $(tr '\n' '|' <"$notify_log" | sed 's/|$//')); the hung fault command (sleep 600) was killed after ${hung_s}s (timeout 20 s), and ours became MASTER again ${master_s}s after it started, while it still hung"

# ---- nopreempt: ours (150) back from a fault stays BACKUP behind keepalived (100) ----
t=$(now)
reload_with vrrpinstance-nopreempt || fail nopreempt "our agent did not apply vrrpinstance-nopreempt.yaml within 60 s"
masters=$(transitions_to MASTER)
backups=$(transitions_to BACKUP)
ip -n lvs1 link set eth0 down
until_true 60 holds_all lvs2 "${all[@]}" || fail nopreempt "lvs1's eth0 down, but: $(holders)"
ip -n lvs1 link set eth0 up
until_true 60 bash -c "[ \$(grep -c 'event=vrrp_transition instance=$instance .* to=BACKUP' '$out/ours.log') -gt $backups ]" ||
  fail nopreempt "ours did not come back as BACKUP after eth0 up"
stays 12 moved_to lvs2 lvs1 || fail nopreempt "within 12 s of ours' BACKUP: $(holders)"
[ "$(transitions_to MASTER)" -eq "$masters" ] || fail nopreempt "ours became MASTER with preempt false"
ok nopreempt "$(since "$t")" "reloaded with preempt false; after a fault (eth0 down, up) ours (150) stayed BACKUP for 12 s (more than three master down intervals of $(master_down 150 1)s) behind keepalived (100)"

# ---- preempt_delay: ours back from a fault waits 8 s, then preempts ----
t=$(now)
ip -n lvs1 link set eth0 down
until_true 30 bash -c "grep 'event=vrrp_transition instance=$instance' '$out/ours.log' | tail -n 1 | grep -q 'to=FAULT'" ||
  fail preempt_delay "ours did not enter FAULT on eth0 down"
reload_with vrrpinstance-preempt-delay || fail preempt_delay "our agent did not apply vrrpinstance-preempt-delay.yaml within 60 s"
start_monitors preempt_delay
t0=$(now)
ip -n lvs1 link set eth0 up
until_true 60 moved_to lvs1 lvs2 || fail preempt_delay "60 s after eth0 up: $(holders)"
until_true 30 served_at lvs1 172.20.1.130 || fail preempt_delay "172.20.1.130 is not served through lvs1"
stop_monitors
delay_s=$(mon_delay preempt_delay lvs1 add "$t0")
limit=$(awk -v d="$(master_down 150 1)" 'BEGIN { printf "%.2f", 8 + d + 1.5 }')
within "$delay_s" 8 "$limit" || fail preempt_delay "ours took the addresses back ${delay_s}s after eth0 up, outside 8 s (the delay) to ${limit}s (delay + master down interval + 1.5 s)"
ok preempt_delay "$(since "$t")" "reloaded with preemptDelay 8s while in FAULT; eth0 up: ours BACKUP, preempted ${delay_s}s later (window 8 s to ${limit}s) and serves"

# ---- nobody complained ----
topo_exec lvs1 curl -sS --max-time 10 "http://127.0.0.1:$http_port/metrics" >"$out/metrics.txt" 2>&1
stop "$ours_pid"
stop "${agent_pid[lvs2]}"
pkill -INT -x tcpdump
sleep 1
complaints=$(keepalived_complained "$out/keepalived-lvs2.log")
verdicts=$(bad_verdicts "$out/metrics.txt")
accepted=$(accepted_adverts "$out/metrics.txt")
n_all=$(grep -c ' > 224\.0\.0\.18: VRRP' "$out/vrrp.txt")
n_ok=$(grep -c " > 224\.0\.0\.18: VRRPv2, Advertisement, vrid 60, .*authtype simple, intvl 1s, .*addrs(7): $list auth \"features\"" "$out/vrrp.txt")
if [ -n "$complaints" ]; then
  fail no_complaints "keepalived logged: $complaints"
elif [ -z "$accepted" ] || [ -n "$verdicts" ]; then
  fail no_complaints "our agent accepted ${accepted:-no} adverts and dropped: ${verdicts:-? (metrics.txt)}"
elif [ "$n_ok" -ne "$n_all" ]; then
  fail no_complaints "tcpdump: $n_ok of $n_all adverts list addrs(7): $list with PASS features (vrrp.txt)"
else
  ok no_complaints 0 "keepalived logged none of its drop messages; our agent accepted $accepted adverts and dropped none; all $n_all adverts of both list the same 7 addresses"
fi
echo "$tag: all checks passed in $(since "$suite_t0")s"
