# shellcheck shell=bash
# Network namespaces on a bridge, for lab scripts (and for the host, whose kernel has namespaces
# too). Source it, then:
#
#   topo_cleanup_on_exit                  tear everything down on exit, even on failure
#   topo_bridge BR [ADDR/PREFIX]          a bridge in the current namespace, up
#   topo_ns NS ADDR/PREFIX BR [GATEWAY]   namespace NS whose eth0 (a veth) sits on BR, lo up
#   topo_link NS DEV ADDR/PREFIX BR      one more interface DEV (a veth) in NS, on bridge BR
#   topo_exec NS CMD...                   run CMD in NS
#   topo_spawn NS LOG CMD...              start CMD in NS in the background (output to LOG);
#                                         sets TOPO_LAST_PID; killed by topo_teardown
#   topo_wait SECONDS CMD...              retry CMD every 0.2 s until it succeeds or time is up
#   topo_teardown                         kill what was spawned, delete namespaces and bridges
#
# Names are the caller's: on a shared host give them a unique suffix. A veth's host end is named
# v-NS (at most 15 characters), so namespace names must stay unique in their first 13.

TOPO_NAMESPACES=()
TOPO_BRIDGES=()
TOPO_PIDS=()
TOPO_LAST_PID=

_topo_fail() {
  printf 'topology: %s\n' "$*" >&2
  return 1
}

topo_bridge() {
  local br=$1 addr=${2:-}
  ip link add "$br" type bridge || _topo_fail "cannot create bridge $br" || return
  TOPO_BRIDGES+=("$br")
  # No IGMP snooping: VRRP adverts and other multicast must reach every port without a querier.
  ip link set "$br" type bridge mcast_snooping 0 stp_state 0 forward_delay 0
  [ -z "$addr" ] || ip addr add "$addr" dev "$br" || _topo_fail "cannot add $addr to $br" || return
  ip link set "$br" up
}

topo_ns() {
  local ns=$1 addr=$2 br=$3 gw=${4:-}
  local host_end=v-${ns:0:13} tmp_end=t-${ns:0:13}
  ip netns add "$ns" || _topo_fail "cannot create namespace $ns" || return
  TOPO_NAMESPACES+=("$ns")
  ip link add "$host_end" type veth peer name "$tmp_end" || _topo_fail "cannot create veth $host_end for $ns" || return
  ip link set "$tmp_end" netns "$ns"
  ip -n "$ns" link set "$tmp_end" name eth0
  ip -n "$ns" addr add "$addr" dev eth0 || _topo_fail "cannot add $addr to eth0 in $ns" || return
  ip -n "$ns" link set lo up
  ip -n "$ns" link set eth0 up
  ip link set "$host_end" master "$br" || _topo_fail "cannot attach $host_end to bridge $br" || return
  ip link set "$host_end" up
  [ -z "$gw" ] || ip -n "$ns" route add default via "$gw" || _topo_fail "cannot route $ns via $gw" || return
}

topo_link() {
  local ns=$1 dev=$2 addr=$3 br=$4
  local host_end=h${dev: -1}-${ns:0:12} tmp_end=t${dev: -1}-${ns:0:12}
  ip link add "$host_end" type veth peer name "$tmp_end" || _topo_fail "cannot create veth $host_end for $ns" || return
  ip link set "$tmp_end" netns "$ns"
  ip -n "$ns" link set "$tmp_end" name "$dev"
  ip -n "$ns" addr add "$addr" dev "$dev" || _topo_fail "cannot add $addr to $dev in $ns" || return
  ip -n "$ns" link set "$dev" up
  ip link set "$host_end" master "$br" || _topo_fail "cannot attach $host_end to bridge $br" || return
  ip link set "$host_end" up
}

topo_exec() {
  local ns=$1
  shift
  ip netns exec "$ns" "$@"
}

topo_spawn() {
  local ns=$1 log=$2
  shift 2
  ip netns exec "$ns" "$@" >"$log" 2>&1 </dev/null &
  TOPO_LAST_PID=$!
  TOPO_PIDS+=("$TOPO_LAST_PID")
}

topo_wait() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

topo_teardown() {
  local pid ns br
  for pid in "${TOPO_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for ns in "${TOPO_NAMESPACES[@]}"; do
    # Whatever still runs in the namespace (daemons that forked away from their spawner) goes too.
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
  done
  for pid in "${TOPO_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  for ns in "${TOPO_NAMESPACES[@]}"; do
    ip link del "v-${ns:0:13}" 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
  done
  for br in "${TOPO_BRIDGES[@]}"; do ip link del "$br" 2>/dev/null || true; done
  TOPO_PIDS=()
  TOPO_NAMESPACES=()
  TOPO_BRIDGES=()
}

topo_cleanup_on_exit() {
  trap topo_teardown EXIT
  trap 'topo_teardown; exit 130' INT TERM
}
