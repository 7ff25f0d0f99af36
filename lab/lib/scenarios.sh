# shellcheck shell=bash
# Host side of lab/run compare and lab/run mixed: the variants of examples/reference they run,
# made from it (so they follow it) and checked with the agent's `compile` before a boot is spent.

# scenario_jar: builds the agent jar on the host unless LAB_SKIP_BUILD is set; prints its path.
scenario_jar() {
  local jar=$REPO/node-agent/target/lvs-node-agent.jar
  if [ -z "${LAB_SKIP_BUILD:-}" ]; then
    lab_log "building the node agent on the host"
    (cd "$REPO" && ./mvnw -B -q -pl node-agent -am -DskipTests package) >&2 || lab_die "host build failed"
  fi
  [ -f "$jar" ] || lab_die "$jar is missing: build node-agent (or unset LAB_SKIP_BUILD)"
  echo "$jar"
}

# scenario_compile JAR DIR NODE OUT: what NODE runs from the manifests in DIR, into OUT; dies if
# the manifests are invalid.
scenario_compile() {
  "$JAVA_HOME/bin/java" -jar "$1" compile --manifests "$2" --node-name "$3" >"$4" 2>&1 ||
    lab_die "the manifests in $2 do not compile: $(tail -n 3 "$4")"
}

# scenario_manifests VARIANT SRC DST [ARGS]: SRC's manifests edited as YAML trees by the lab's
# ScenarioManifests (node-agent's test classes, unit-tested; the agent jar brings the YAML parser):
#   defaults SRC DST: without the fields that carry keepalived's timings (VRRP version, advert
#     interval, PASS authentication: v3 has none; delay_loop, connect_timeout, retry,
#     delay_before_retry), so that the compiler's defaults apply;
#   mixed SRC DST VERSION: for mixed.sh, where our agent runs on lvs2 only, at priority 100
#     (keepalived on lvs1 takes 150 or 50); VERSION 2 keeps PASS authentication, 3 drops it. The
#     advert interval stays 1 s, keepalived's advert_int 1.
scenario_manifests() {
  local classes=$REPO/node-agent/target/test-classes
  [ -d "$classes" ] || lab_die "$classes is missing: build node-agent (or unset LAB_SKIP_BUILD)"
  "$JAVA_HOME/bin/java" -cp "$classes:$REPO/node-agent/target/lvs-node-agent.jar" \
    io.lvsoperator.lab.ScenarioManifests "$@" || lab_die "cannot make the $1 manifests from $2"
}
scenario_defaults() { scenario_manifests defaults "$1" "$2"; }
scenario_mixed() { scenario_manifests mixed "$1" "$2" "$3"; }

# scenario_field FILE KEY [AFTER]: the first value of KEY in compile output (after the first line
# whose first word is AFTER, e.g. healthCheck:).
scenario_field() {
  awk -v k="$2:" -v after="${3:-}" '
    after != "" && !seen { seen = ($1 == after); next }
    $1 == k { print $2; exit }' "$1"
}

# loadbalancer (issue 17, docs/loadbalancer.md): a LoadBalancer Service served by two directors
# and three nodes, with the mock API server and the operator in the guest (lab/guest/loadbalancer.sh).
# Builds the operator's test classes and their classpath (-Plab) unless LAB_SKIP_BUILD is set.
# As lab/run scenarios expects of scenario_setup_NAME OUT JAR: sets scenario_cmd and
# scenario_timeout.
scenario_setup_loadbalancer() {
  local out=$1 jar=$2 op=$REPO/operator
  if [ -z "${LAB_SKIP_BUILD:-}" ]; then
    lab_log "building the operator and its test classes on the host"
    (cd "$REPO" && ./mvnw -B -q -pl operator -am -Plab -DskipTests package) >&2 || lab_die "host build of the operator failed"
  fi
  [ -f "$op/target/lab/classpath.txt" ] && [ -f "$op/target/test-classes/io/lvsoperator/operator/LabControlPlane.class" ] ||
    lab_die "$op/target has no lab/classpath.txt or LabControlPlane: build with -Plab (or unset LAB_SKIP_BUILD)"
  lab_write_env "$out" LB_JAVA_OPTS
  scenario_cmd=("$LAB_HOME/guest/loadbalancer.sh" "$jar" "$op" "$out")
  scenario_timeout=1500
}
