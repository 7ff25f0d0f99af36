#!/usr/bin/env bash
# LoadBalancer Services on LVS (issue 17, docs/loadbalancer.md), in the guest. There is no
# Kubernetes here, so its parts are played as faithfully as the lab allows:
#   - the API server: Fabric8's CRUD mock API server, with our CRDs, in one JVM with the operator
#     (LabControlPlane: the operator jar's code, the LoadBalancer controllers on) in the root
#     namespace at 172.20.255.254 on the bridge;
#   - the user and Kubernetes' own controllers: this script, with curl against that API server: it
#     creates the Nodes, an AddressPool, a `type: LoadBalancer` Service (externalTrafficPolicy
#     Local, healthCheckNodePort 31500) and its EndpointSlice, and changes them as the endpoint
#     controller would;
#   - two directors lvs1 (172.20.1.1) and lvs2 (.1.2) and three nodes node1..node3 (.1.21-.23),
#     each a network namespace on the bridge running our agent in Kubernetes mode (the DaemonSet);
#   - on each node, what kube-proxy does (nftables mode): DNAT of the load-balancer IP's port 80 to
#     the node's pod (a namespace behind the node, 10.244.N.2:8080, busybox httpd answering
#     "from nodeN"), and its health server on healthCheckNodePort (GET /healthz: 200 while the node
#     has a ready endpoint); without a local endpoint, the load-balancer traffic is dropped;
#   - a client (172.20.2.1).
# Prints `lb <check> ok <seconds>s (details)` or `lb <check> FAIL <reason>`; stops at the first
# failure (the later checks print "FAIL not run"); exit 0 only when all pass. Everything started is
# stopped on exit. Usage: loadbalancer.sh AGENT_JAR OPERATOR_DIR OUT_DIR
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/topology.sh
. "$here/topology.sh"
jar=$1 opdir=$2 out=${3:-${LAB_OUT:-/tmp}/loadbalancer}
# shellcheck disable=SC1091 # lab/run writes it for options that must reach the guest
[ ! -f "$out/env" ] || . "$out/env"
tag=lb
results=$out/results.tsv
work=/tmp/lb
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
# Under emulation C1 only and SerialGC start faster and stall less (docs/lab.md).
# shellcheck disable=SC2206 # LB_JAVA_OPTS is a list of flags
java_opts=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC ${LB_JAVA_OPTS:-})
rm -rf "$work"
mkdir -p "$out" "$work"
: >"$results"
# shellcheck source=SCRIPTDIR/checks.sh
. "$here/checks.sh"
vip=172.20.1.200
url=http://$vip/
api_addr=172.20.255.254
api=http://$api_addr:16443
hc_port=31500
nodes=(node1 node2 node3)
declare -A node_ip=([node1]=172.20.1.21 [node2]=172.20.1.22 [node3]=172.20.1.23)
all_checks=(topology control_plane address_allocated vip_up status_master ipvs_programmed dr_prepared
  traffic_spread endpoints_lost_leaves_ipvs endpoints_back health_check_removes
  health_check_readds director_failover status_master_moved traffic_after_failover)

# ---- the API, as kubectl would use it ----
# api_send METHOD PATH JSON: the HTTP status code.
api_send() { curl -sS -X "$1" -H 'Content-Type: application/json' "$api$2" -d "$3" -o "$work/last-response.json" -w '%{http_code}'; }
api_get() { curl -sS --max-time 5 "$api$1"; }
create() {
  local code
  code=$(api_send POST "$1" "$2")
  [ "$code" = 201 ] || fail "${3:-address_allocated}" "POST $1 answered $code: $(head -c 300 "$work/last-response.json")"
}
ingress_ip() { api_get /api/v1/namespaces/default/services/web | grep -o '"ingress":\[{"ip":"[0-9.]*"' | grep -o '[0-9.]*"$' | tr -d '"'; }
vs_master() { api_get /apis/lvsoperator.io/v1alpha1/namespaces/default/virtualservers/web-tcp | grep -o '"master":"[a-z0-9]*"' | cut -d'"' -f4; }
# The pool's VrrpInstance in the namespace: the VRRP state of every Service's VIP on that pool.
vri_master() { api_get /apis/lvsoperator.io/v1alpha1/namespaces/default/vrrpinstances/lb-lab | grep -o '"master":"[a-z0-9]*"' | cut -d'"' -f4; }
# For until_true, which runs its command again each time (a $(...) in its arguments would not be).
ingress_is() { [ "$(ingress_ip)" = "$1" ]; }
master_is() { [ "$(vs_master)" = "$1" ]; }
vri_master_is() { [ "$(vri_master)" = "$1" ]; }

node_json() {
  printf '{"apiVersion":"v1","kind":"Node","metadata":{"name":"%s","labels":{"kubernetes.io/hostname":"%s"}},"status":{"addresses":[{"type":"InternalIP","address":"%s"}],"conditions":[{"type":"Ready","status":"True"}]}}' "$1" "$1" "$2"
}
# endpoint_slice READY1 READY2 READY3: the Service's EndpointSlice, one pod per node.
endpoint_slice() {
  local eps='' i=1 n
  for n in "${nodes[@]}"; do
    eps+="${eps:+,}{\"addresses\":[\"10.244.$i.2\"],\"nodeName\":\"$n\",\"conditions\":{\"ready\":$1,\"serving\":$1,\"terminating\":false}}"
    shift
    i=$((i + 1))
  done
  printf '{"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":{"name":"web-lab01","namespace":"default","labels":{"kubernetes.io/service-name":"web","endpointslice.kubernetes.io/managed-by":"endpointslice-controller.k8s.io"}},"addressType":"IPv4","ports":[{"name":"http","port":8080,"protocol":"TCP"}],"endpoints":[%s]}' "$eps"
}
# set_endpoints READY1 READY2 READY3: what the endpoint controller writes when pods change.
set_endpoints() {
  local code
  code=$(api_send PUT /apis/discovery.k8s.io/v1/namespaces/default/endpointslices/web-lab01 "$(endpoint_slice "$@")")
  [ "$code" = 200 ] || echo "$tag: PUT EndpointSlice answered $code" >&2
}

# ---- kube-proxy on a node (nftables mode) ----
# proxy_local NODE: the node has a ready endpoint: DNAT the LB IP's port 80 to its pod, healthz 200.
proxy_local() {
  local n=$1 i=${1#node}
  topo_exec "$n" nft -f - <<EOF
flush table ip kube-proxy-lab
table ip kube-proxy-lab {
  chain prerouting { type nat hook prerouting priority dstnat; ip daddr $vip tcp dport 80 dnat to 10.244.$i.2:8080; }
  chain input { type filter hook input priority filter; }
}
EOF
  local rc=$?
  echo '{"service":{"namespace":"default","name":"web"},"localEndpoints":1}' >"$work/healthz-$n/healthz"
  return "$rc"
}
# proxy_none NODE: no local endpoint: drop the LB traffic, healthz answers no 200 (404 here).
proxy_none() {
  local n=$1
  topo_exec "$n" nft -f - <<EOF
flush table ip kube-proxy-lab
table ip kube-proxy-lab {
  chain prerouting { type nat hook prerouting priority dstnat; }
  chain input { type filter hook input priority filter; ip daddr $vip tcp dport 80 drop; }
}
EOF
  local rc=$?
  rm -f "$work/healthz-$n/healthz"
  return "$rc"
}
declare -A healthz_pid
start_healthz() {
  topo_spawn "$1" "$out/healthz-$1.log" busybox httpd -f -p "$hc_port" -h "$work/healthz-$1"
  healthz_pid[$1]=$TOPO_LAST_PID
}

# node_topology NODE: the node on the bridge, its pod behind it, kube-proxy's rules and health server.
node_topology() {
  local n=$1 i=${1#node} pod=pod${1#node}
  topo_ns "$n" "${node_ip[$n]}/16" lan0
  ip netns add "$pod"
  TOPO_NAMESPACES+=("$pod")
  ip link add "pv$i" type veth peer name "pp$i"
  ip link set "pv$i" netns "$n"
  ip link set "pp$i" netns "$pod"
  ip -n "$n" addr add "10.244.$i.1/24" dev "pv$i"
  ip -n "$n" link set "pv$i" up
  ip netns exec "$n" sysctl -qw net.ipv4.ip_forward=1
  ip -n "$pod" link set lo up
  ip -n "$pod" link set "pp$i" name eth0
  ip -n "$pod" addr add "10.244.$i.2/24" dev eth0
  ip -n "$pod" link set eth0 up
  ip -n "$pod" route add default via "10.244.$i.1"
  mkdir -p "$work/www-$n" "$work/healthz-$n"
  echo "from $n" >"$work/www-$n/index.html"
  topo_spawn "$pod" "$out/httpd-$pod.log" busybox httpd -f -p 8080 -h "$work/www-$n"
  topo_exec "$n" nft add table ip kube-proxy-lab && proxy_local "$n" ||
    fail topology "nft could not write kube-proxy's rules on $n (see above)"
  start_healthz "$n"
}

# ---- our agent (the DaemonSet), in Kubernetes mode ----
declare -A agent_pid
start_agent() {
  topo_spawn "$1" "$out/agent-$1.log" env KUBECONFIG="$work/kubeconfig" KUBERNETES_REQUEST_TIMEOUT=60000 "$java" "${java_opts[@]}" -Xmx256m \
    -jar "$jar" kubernetes --node-name "$1" --cache-dir "$work/cache-$1" --state-dir "$work/state-$1" \
    --handover-timeout 3s --http-port 9101
  agent_pid[$1]=$TOPO_LAST_PID
}
agent_started() { grep -q 'event=agent_started' "$out/agent-$1.log"; }

lb_dests() { topo_exec "$1" ipvsadm -Ln -t "$vip:80" 2>/dev/null | awk '$1 == "->" && $2 ~ /^172/ { print $2 " " $3 }'; }
ipvs_has() { lb_dests "$1" | grep -q "^$2:80 Route"; }
ipvs_lacks() { ! lb_dests "$1" | grep -q "^$2:80 "; }
lo_has_vip() { ip -n "$1" -4 -o addr show dev lo | grep -q "inet $vip/32"; }
dr_sysctls() {
  [ "$(ip netns exec "$1" sysctl -n net.ipv4.conf.all.arp_ignore)" = 1 ] &&
    [ "$(ip netns exec "$1" sysctl -n net.ipv4.conf.all.arp_announce)" = 2 ]
}
# requests N: N requests from the client, one connection each; prints "ok=<n> node1=<n> node2=<n>
# node3=<n> failed=<n>".
requests() {
  local i body ok=0 failed=0
  declare -A per=([node1]=0 [node2]=0 [node3]=0)
  for ((i = 0; i < $1; i++)); do
    body=$(topo_exec client curl -sS --max-time 3 "$url" 2>/dev/null)
    case $body in
      "from node"[123]) per[${body#from }]=$((per[${body#from }] + 1)) ok=$((ok + 1)) ;;
      *) failed=$((failed + 1)) ;;
    esac
  done
  echo "ok=$ok node1=${per[node1]} node2=${per[node2]} node3=${per[node3]} failed=$failed"
}
field() { echo "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k { print $2 }'; }
# spread_check CHECK WHAT [NOTE]: 30 requests, every one served and each node serving at least 8
# (rr over three nodes gives 10 each).
spread_check() {
  local check=$1 what=$2 note=${3:-} t r n
  t=$(now)
  r=$(requests 30)
  [ "$(field "$r" ok)" = 30 ] || fail "$check" "$what: not every request was served: $r"
  for n in "${nodes[@]}"; do
    [ "$(field "$r" "$n")" -ge 8 ] || fail "$check" "$what: $n served fewer than 8 of 30: $r"
  done
  ok "$check" "$(since "$t")" "$what: node1 $(field "$r" node1), node2 $(field "$r" node2), node3 $(field "$r" node3)${note:+ $note}"
}

topo_cleanup_on_exit
echo "$tag: agent $jar, operator $opdir, logs in $out"
suite_t0=$(now)

# ---- topology ----
# The guest cannot autoload modules for a netlink socket (docs/lab.md), nor nf_tables its NAT
# chain type and expression: load what kube-proxy's rules need first.
t=$(now)
modprobe -a nfnetlink nf_tables nf_conntrack nf_nat nft_chain_nat nft_nat ||
  fail topology "cannot load nftables' modules (nfnetlink nf_tables nf_conntrack nf_nat nft_chain_nat nft_nat)"
topo_bridge lan0 "$api_addr/16"
topo_ns lvs1 172.20.1.1/16 lan0
topo_ns lvs2 172.20.1.2/16 lan0
topo_ns client 172.20.2.1/16 lan0
for n in "${nodes[@]}"; do node_topology "$n"; done
cat >"$work/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters: [{name: lab, cluster: {server: "$api"}}]
users: [{name: agent, user: {token: lab-agent}}]
contexts: [{name: lab, context: {cluster: lab, user: agent}}]
current-context: lab
EOF
ok topology "$(since "$t")" "bridge lan0 with the API server's address $api_addr, lvs1, lvs2, client, node1..3 each with its pod, kube-proxy's rules (nft) and health server on $hc_port"

# ---- control_plane: the mock API server and the operator ----
t=$(now)
(cd "$opdir" && exec "$java" "${java_opts[@]}" -Xmx768m -cp "target/test-classes:target/classes:$(cat target/lab/classpath.txt)" \
  io.lvsoperator.operator.LabControlPlane "$api_addr" 16443) >"$out/control-plane.log" 2>&1 </dev/null &
TOPO_PIDS+=("$!")
until_true 400 grep -q 'event=control_plane_ready' "$out/control-plane.log" ||
  fail control_plane "no event=control_plane_ready within 400 s: $(tail -n 3 "$out/control-plane.log" | tr '\n' '|')"
ok control_plane "$(since "$t")" "mock API server and operator in one JVM at $api"

# ---- address_allocated: the objects a cluster would hold, then the Service ----
for n in lvs1:172.20.1.1 lvs2:172.20.1.2 node1:172.20.1.21 node2:172.20.1.22 node3:172.20.1.23; do
  create /api/v1/nodes "$(node_json "${n%%:*}" "${n#*:}")"
done
create /apis/lvsoperator.io/v1alpha1/addresspools '{"apiVersion":"lvsoperator.io/v1alpha1","kind":"AddressPool","metadata":{"name":"lab"},"spec":{"addresses":["172.20.1.200-172.20.1.209"],"directors":{"nodes":[{"name":"lvs1","priority":150},{"name":"lvs2","priority":100}]},"vrrp":{"interface":"eth0","advertIntervalMs":1000,"vipPrefixLength":16,"vipLabel":"eth0:1"},"scheduler":"rr"}}'
create /apis/discovery.k8s.io/v1/namespaces/default/endpointslices "$(endpoint_slice true true true)"
t=$(now)
create /api/v1/namespaces/default/services '{"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"default"},"spec":{"type":"LoadBalancer","loadBalancerClass":"lvsoperator.io/lvs","externalTrafficPolicy":"Local","healthCheckNodePort":31500,"selector":{"app":"web"},"ports":[{"name":"http","port":80,"protocol":"TCP","targetPort":8080,"nodePort":30080}]}}'
until_true 120 ingress_is "$vip" ||
  fail address_allocated "the Service's status.loadBalancer.ingress is '$(ingress_ip)', not $vip, 120 s after it was created"
alloc_s=$(since "$t")
event=$(api_get /api/v1/namespaces/default/events | grep -o '"message":"[^"]*from AddressPool lab"' | head -n 1 | cut -d'"' -f4)
until_true 60 sh -c "curl -sf '$api/apis/lvsoperator.io/v1alpha1/namespaces/default/virtualservers/web-tcp' >/dev/null" ||
  fail address_allocated "no VirtualServer web-tcp 60 s after the address"
ok address_allocated "$alloc_s" "status.loadBalancer.ingress $vip; Event AddressAllocated \"$event\"; VirtualServer web-tcp and VrrpInstance lb-lab made"

# ---- vip_up: lvs1's agent, then lvs2's (one JVM at a time: docs/lab.md) ----
t=$(now)
start_agent lvs1
until_true 400 holds lvs1 || fail vip_up "lvs1 does not hold $vip/16 label eth0:1 within 400 s of its agent's start"
lvs1_s=$(since "$t")
t2=$(now)
start_agent lvs2
until_true 400 grep -q 'to=BACKUP' "$out/agent-lvs2.log" || fail vip_up "lvs2's agent reached no BACKUP state within 400 s"
holds lvs2 && fail vip_up "lvs2 holds $vip as well"
ok vip_up "$lvs1_s" "lvs1 holds $vip; lvs2 BACKUP $(since "$t2") s after its start"

# ---- status_master: what `kubectl get virtualservers` would say ----
t=$(now)
until_true 120 master_is lvs1 || fail status_master "VirtualServer web-tcp status.master is '$(vs_master)', not lvs1"
ok status_master "$(since "$t")" "VirtualServer web-tcp status.master lvs1, from the agents' reports"

# ---- ipvs_programmed: the three nodes behind the VIP, DR, on both directors ----
t=$(now)
for n in "${nodes[@]}"; do
  until_true 120 ipvs_has lvs1 "${node_ip[$n]}" || fail ipvs_programmed "lvs1 has no destination ${node_ip[$n]}:80 (Route): $(lb_dests lvs1 | tr '\n' ',')"
  until_true 60 ipvs_has lvs2 "${node_ip[$n]}" || fail ipvs_programmed "lvs2 has no destination ${node_ip[$n]}:80 (Route)"
done
ok ipvs_programmed "$(since "$t")" "$vip:80 rr -> $(lb_dests lvs1 | tr '\n' ',' | sed 's/,$//') on lvs1 and lvs2"

# ---- dr_prepared: each node's agent puts the VIP on lo and sets arp_ignore/arp_announce ----
t=$(now)
details=''
for n in "${nodes[@]}"; do
  tn=$(now)
  start_agent "$n"
  until_true 400 lo_has_vip "$n" || fail dr_prepared "$n's agent put no $vip/32 on lo within 400 s of its start"
  dr_sysctls "$n" || fail dr_prepared "$n: arp_ignore/arp_announce are not 1/2"
  details+="$n $(since "$tn") s; "
done
ok dr_prepared "$(since "$t")" "VIP on lo, arp_ignore=1, arp_announce=2 after each agent's start: ${details%; }"

# ---- traffic_spread: every node serves a share ----
spread_check traffic_spread "30 requests" "(MetalLB's and kube-vip's L2 modes: one node takes all)"

# ---- endpoints_lost_leaves_ipvs: node3's last pod goes (the endpoint controller marks it not
# ready); the operator drops node3 from the VirtualServer, the directors from IPVS ----
t=$(now)
set_endpoints true true false
until_true 60 ipvs_lacks lvs1 "${node_ip[node3]}" || fail endpoints_lost_leaves_ipvs "lvs1 still sends to node3 60 s after its endpoint went"
gone_s=$(since "$t")
proxy_none node3 || fail endpoints_lost_leaves_ipvs "nft could not change kube-proxy's rules on node3" # kube-proxy on node3 follows
r=$(requests 15)
[ "$(field "$r" ok)" = 15 ] && [ "$(field "$r" node3)" = 0 ] || fail endpoints_lost_leaves_ipvs "after node3 left: $r"
ok endpoints_lost_leaves_ipvs "$gone_s" "EndpointSlice update to node3 out of lvs1's IPVS; then 15 requests: node1 $(field "$r" node1), node2 $(field "$r" node2), node3 0"

# ---- endpoints_back: a pod on node3 is ready again ----
t=$(now)
proxy_local node3 || fail endpoints_back "nft could not change kube-proxy's rules on node3"
set_endpoints true true true
until_true 60 ipvs_has lvs1 "${node_ip[node3]}" || fail endpoints_back "node3 not back in lvs1's IPVS 60 s after its endpoint"
ok endpoints_back "$(since "$t")" "node3 back in IPVS (VirtualServer written, then its health check passed)"

# ---- health_check_removes: kube-proxy's health server on node2 stops answering ----
t=$(now)
kill "${healthz_pid[node2]}"
until_true 60 ipvs_lacks lvs1 "${node_ip[node2]}" || fail health_check_removes "lvs1 still sends to node2 60 s after its healthCheckNodePort stopped answering"
hc_s=$(since "$t")
r=$(requests 15)
[ "$(field "$r" ok)" = 15 ] && [ "$(field "$r" node2)" = 0 ] || fail health_check_removes "after node2's check failed: $r"
ok health_check_removes "$hc_s" "GET /healthz on node2:$hc_port refused, node2 out of IPVS; 15 requests: node1 $(field "$r" node1), node3 $(field "$r" node3)"

t=$(now)
start_healthz node2
until_true 60 ipvs_has lvs1 "${node_ip[node2]}" || fail health_check_readds "node2 not back 60 s after its health server returned"
ok health_check_readds "$(since "$t")" "node2 back in IPVS"

# ---- director_failover: lvs1 loses its link; lvs2 takes the VIP, the client keeps being served ----
(
  while :; do
    s=$EPOCHREALTIME
    if b=$(ip netns exec client curl -sS --max-time 1 "$url" 2>/dev/null); then echo "$s ok $b"; else echo "$s fail"; fi
    sleep 0.1
  done
) >"$work/probe.txt" 2>&1 &
probe=$!
TOPO_PIDS+=("$probe")
sleep 3
t=$(now)
ip -n lvs1 link set eth0 down
until_true 60 holds lvs2 || fail director_failover "lvs2 does not hold $vip 60 s after lvs1's link went down"
vip_s=$(since "$t")
sleep 8
kill "$probe"
wait "$probe" 2>/dev/null
# the traffic gap: from the last answer before the link went down to the first one after it
gap=$(awk -v t0="$t" '$1 < t0 && $2 == "ok" { last = $1 } $1 >= t0 && $2 == "ok" && !first { first = $1 } $2 == "fail" && $1 >= t0 { failed++ } END { if (!first) print "none"; else printf "%.1f %d", first - last, failed }' "$work/probe.txt")
[ "${gap%% *}" != none ] || fail director_failover "the client got no answer in the 8 s after lvs2 took the VIP"
after=$(awk -v t0="$t" '$1 >= t0 && $2 == "ok" { print $4 }' "$work/probe.txt" | sort | uniq -c | awk '{ printf "%s%s %s", s, $2, $1; s = ", " }')
ok director_failover "$vip_s" "lvs2 holds $vip $vip_s s after lvs1's link went down (advert 1 s: 3 x 1 s + skew 0.61 s = 3.6 s); client answered again after a gap of ${gap%% *} s (${gap#* } requests of 1 s each failed); answers after: $after"

# lvs1 cannot report with its link down: its last report (MASTER) stands until it is older than the
# operator's agent silence (60 s), then the next reconcile (resync 30 s) names lvs2. The pool's
# VrrpInstance carries the VRRP state (`kubectl get vri`); its members' status.master follows.
t=$(now)
until_true 180 vri_master_is lvs2 || fail status_master_moved "VrrpInstance lb-lab status.master is '$(vri_master)', not lvs2, 180 s after the failover"
until_true 60 master_is lvs2 || fail status_master_moved "VirtualServer web-tcp status.master is '$(vs_master)', not lvs2, though its VrrpInstance says lvs2"
moved=$(api_get /api/v1/namespaces/default/events | grep -o '"message":"master moved from lvs1 to lvs2"' | head -n 1)
ok status_master_moved "$(since "$t")" "VrrpInstance lb-lab and VirtualServer web-tcp status.master lvs2${moved:+; Event MasterMoved \"master moved from lvs1 to lvs2\"}"

spread_check traffic_after_failover "30 requests through lvs2"

echo "$tag: all ${#all_checks[@]} checks passed in $(since "$suite_t0") s; logs in $out"
