#!/usr/bin/env bash
# Checks the lab end to end without Java: namespaces on a bridge (topology.sh) and LVS-DR through
# the guest's IPVS. A director, two real servers with busybox httpd and a client; four requests
# to the VIP must be answered twice by each real server. Prints one line per check; exit 0 = pass.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/topology.sh
. "$here/topology.sh"
suffix=${1:-$$}
br=st$suffix
vip=10.99.0.100
failed=0
check() {
  local name=$1
  shift
  if "$@"; then echo "selftest $name ok"; else
    echo "selftest $name FAIL"
    failed=1
  fi
}

topo_cleanup_on_exit
topo_bridge "$br"
topo_ns "dir$suffix" 10.99.0.1/24 "$br"
topo_ns "cli$suffix" 10.99.0.50/24 "$br"
www=$(mktemp -d)
for rs in 10 11; do
  ns=rs$rs$suffix
  topo_ns "$ns" "10.99.0.$rs/24" "$br"
  # The real-server side of DR: own the VIP on lo, but never answer ARP for it.
  topo_exec "$ns" sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2
  topo_exec "$ns" ip addr add "$vip/32" dev lo
  mkdir -p "$www/$rs"
  echo "from 10.99.0.$rs" >"$www/$rs/index.html"
  topo_spawn "$ns" "$www/httpd-$rs.log" busybox httpd -f -p 80 -h "$www/$rs"
done

check ping topo_exec "cli$suffix" ping -c 1 -W 2 10.99.0.10
topo_exec "dir$suffix" ip addr add "$vip/24" dev eth0
topo_exec "dir$suffix" ipvsadm -A -t "$vip:80" -s rr
topo_exec "dir$suffix" ipvsadm -a -t "$vip:80" -r 10.99.0.10:80 -g
topo_exec "dir$suffix" ipvsadm -a -t "$vip:80" -r 10.99.0.11:80 -g
topo_exec "dir$suffix" ipvsadm -Ln
check ipvs_table bash -c "ip netns exec dir$suffix ipvsadm -Ln | grep -c 'Route' | grep -qx 2"
check httpd_up topo_wait 10 topo_exec "cli$suffix" curl -sf --max-time 2 http://10.99.0.10/
answers=$(for _ in 1 2 3 4; do topo_exec "cli$suffix" curl -s --max-time 3 "http://$vip/" || echo none; done | sort | uniq -c)
echo "$answers"
check balance test "$(echo "$answers" | awk '{print $1}' | tr '\n' ' ')" = "2 2 "
rm -rf "$www"
[ "$failed" -eq 0 ] && echo "selftest: all checks passed"
exit "$failed"
