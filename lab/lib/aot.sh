# shellcheck shell=bash
# The agent's AOT cache (JDK 25, JEP 483/514/515): recorded by a training run that is a real start
# of the agent, with the flags of images/agent/jvm.options (a cache is valid only for the flags and
# the jar it was recorded with). Needs root and lab/guest/topology.sh sourced (namespaces on a
# bridge); runs on the host, before a lab boot, and in bench/agent-start.
#
#   aot_record JAR AOT MANIFESTS NODE LOG [JAVA_FLAGS...]
#       NODE of MANIFESTS, alone on a bridge of its own (eth0 172.20.1.1/16), until 3 s after it
#       logged agent_started (its spec applied: manifests read, IPVS, checks and VRRP started; a
#       lone director of 100 ms adverts is master by then), then SIGTERM: the JVM writes AOT when
#       it exits. Returns non-zero (and leaves no AOT) when the run did not get there in 300 s.

aot_record() {
  local jar=$1 aot=$2 manifests=$3 node=$4 log=$5 sfx pid state
  shift 5
  sfx=$(printf '%04x' $((RANDOM % 65536)))
  state=$(mktemp -d /tmp/aot-state.XXXXXX)
  topo_bridge "ab$sfx"
  topo_ns "an$sfx" 172.20.1.1/16 "ab$sfx"
  topo_spawn "an$sfx" "$log" "$JAVA_HOME/bin/java" "@$(dirname "${BASH_SOURCE[0]}")/../../images/agent/jvm.options" \
    "$@" -XX:AOTCacheOutput="$aot" -jar "$jar" standalone --manifests "$manifests" --node-name "$node" \
    --state-dir "$state" --handover-timeout 200ms
  pid=$TOPO_LAST_PID
  if topo_wait 300 grep -q 'event=agent_started' "$log"; then
    sleep 3
    kill -TERM "$pid"
    wait "$pid" 2>/dev/null
  else
    kill -9 "$pid" 2>/dev/null
    rm -f "$aot"
  fi
  topo_teardown
  rm -rf "$state"
  [ -s "$aot" ]
}
