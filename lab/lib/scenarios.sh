# shellcheck shell=bash
# Host side of the lab's scenarios (lab/run compare, mixed, migrate, features, scenarios): the
# inputs they run, made and checked with the agent's `compile` before a boot is spent.

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

# ---- scenarios that can play in one boot (lab/run scenarios NAME..., lab/run NAME) ----
# Each NAME has a host function scenario_setup_NAME OUT JAR (dashes in NAME as underscores): it
# makes in OUT what the guest needs, checks it (a boot is not spent on a broken manifest; lab_die
# stops the command), writes OUT/env for options that must reach the guest, and sets scenario_cmd
# (the guest command: a script under lab/guest/ and its arguments) and scenario_timeout (seconds
# the scenario may take in the guest; LAB_TIMEOUT is their sum plus 300 for the boot). The guest
# script builds and tears down its own topology (topology.sh), prints `NAME <check> ok <s>s
# (details)` or `NAME <check> FAIL <why>` per check, and exits 0 only when all passed. Add a
# scenario by adding such a function and its script; lab/guest/scenarios.sh plays the list.

# scenario_names: every scenario, for messages.
scenario_names() { declare -F | awk '$3 ~ /^scenario_setup_/ { sub(/^scenario_setup_/, "", $3); gsub(/_/, "-", $3); printf "%s%s", s, $3; s = ", " }'; }

# mixed: keepalived on lvs1 and our agent on lvs2 in one VRID, v2 with PASS then v3 (mixed.sh).
scenario_setup_mixed() {
  local out=$1 jar=$2 v
  lab_write_env "$out" MIXED_JAVA_OPTS
  for v in 2 3; do
    scenario_mixed "$REPO/examples/reference" "$out/manifests-v$v" "$v"
    scenario_compile "$jar" "$out/manifests-v$v" lvs2 "$out/compiled-v$v-lvs2.txt"
    if [ "$(scenario_field "$out/compiled-v$v-lvs2.txt" version)" != "$v" ] ||
      [ "$(scenario_field "$out/compiled-v$v-lvs2.txt" priority)" != 100 ]; then
      lab_die "mixed: $out/manifests-v$v does not give lvs2 VRRP v$v at priority 100 (see $out/compiled-v$v-lvs2.txt)"
    fi
  done
  scenario_cmd=("$LAB_HOME/guest/mixed.sh" "$jar" "$out/manifests-v2" "$out/manifests-v3" "$out")
  scenario_timeout=1200
}

# migrate: the original keepalived.conf of both directors (lab/scenarios/migrate/) imported by the
# agent jar, as a user would, into OUT/manifests; the guest's first check reports how that went
# (OUT/import.txt: "ok SECONDS DETAILS" or "FAIL REASON"), so a failed import is a FAIL line, not a
# lost boot. compile checks what each node runs.
scenario_setup_migrate() {
  local out=$1 jar=$2 src=$LAB_HOME/scenarios/migrate t0 rc=0 objects node
  lab_write_env "$out" SCENARIO_JAVA_OPTS
  scenario_cmd=("$LAB_HOME/guest/migrate.sh" "$jar" "$out")
  scenario_timeout=1200
  cp "$src/lvs1.conf" "$src/lvs2.conf" "$out/"
  t0=$EPOCHREALTIME
  "$JAVA_HOME/bin/java" -jar "$jar" import keepalived --config "lvs1=$out/lvs1.conf" \
    --config "lvs2=$out/lvs2.conf" --out "$out/manifests" >"$out/import.log" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "FAIL import keepalived exited $rc: $(tail -n 3 "$out/import.log" | tr '\n' '|')" >"$out/import.txt"
    return 0
  fi
  for node in lvs1 lvs2; do
    if ! "$JAVA_HOME/bin/java" -jar "$jar" compile --manifests "$out/manifests" --node-name "$node" \
      >"$out/compiled-$node.txt" 2>&1; then
      echo "FAIL the imported manifests do not compile for $node: $(tail -n 3 "$out/compiled-$node.txt" | tr '\n' '|')" >"$out/import.txt"
      return 0
    fi
  done
  objects=$(find "$out/manifests" -name '*.yaml' | wc -l)
  echo "ok $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') $objects manifests ($(cd "$out/manifests" && ls | sed 's/-.*//' | sort | uniq -c | awk '{ printf "%s%s %s", s, $1, $2; s = ", " }')) from lvs1.conf and lvs2.conf, each node's part compiles; $(grep -c ': note:\|: unsupported:\|: error:' "$out/import.log") findings (import.log)" >"$out/import.txt"
}

# features: its manifests (lab/scenarios/features/, the VrrpInstance in three variants that the
# scenario swaps in to reload) must compile for lvs1.
scenario_setup_features() {
  local out=$1 jar=$2 src=$LAB_HOME/scenarios/features variant
  lab_write_env "$out" SCENARIO_JAVA_OPTS
  for variant in vrrpinstance vrrpinstance-nopreempt vrrpinstance-preempt-delay; do
    rm -rf "$out/check"
    mkdir -p "$out/check"
    cp "$src/virtualservers.yaml" "$src/secret.yaml" "$out/check/"
    cp "$src/$variant.yaml" "$out/check/vrrpinstance.yaml"
    scenario_compile "$jar" "$out/check" lvs1 "$out/compiled-$variant.txt"
  done
  rm -rf "$out/check"
  scenario_cmd=("$LAB_HOME/guest/features.sh" "$jar" "$out")
  scenario_timeout=1200
}

# loadbalancer (issue 17, docs/loadbalancer.md): a LoadBalancer Service served by two directors
# and three nodes, with the mock API server and the operator in the guest (lab/guest/loadbalancer.sh).
# Builds the operator's test classes and their classpath (-Plab) unless LAB_SKIP_BUILD is set.
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

# zero-loss: long-lived connections through kill -9, link down and a graceful handover of the
# master, with connection sync and without (zero-loss.sh). The client runs from node-agent's test
# classes, which the host build compiles too.
scenario_setup_zero_loss() {
  local out=$1 jar=$2 m
  lab_write_env "$out" ZERO_LOSS_JAVA_OPTS ZERO_LOSS_CONNECTIONS
  for m in sync nosync; do
    scenario_manifests zero-loss "$REPO/examples/reference" "$out/manifests-$m" "$m"
    scenario_compile "$jar" "$out/manifests-$m" lvs1 "$out/compiled-$m-lvs1.txt"
  done
  grep -q 'connectionSync:' "$out/compiled-sync-lvs1.txt" ||
    lab_die "zero-loss: lvs1's compiled spec has no connectionSync (see $out/compiled-sync-lvs1.txt)"
  ! grep -q 'connectionSync:' "$out/compiled-nosync-lvs1.txt" ||
    lab_die "zero-loss: the control's spec has connectionSync (see $out/compiled-nosync-lvs1.txt)"
  [ -f "$(dirname "$jar")/test-classes/io/lvsoperator/lab/ZeroLossClient.class" ] ||
    lab_die "zero-loss: no ZeroLossClient in $(dirname "$jar")/test-classes: build node-agent (or unset LAB_SKIP_BUILD)"
  scenario_cmd=("$LAB_HOME/guest/zero-loss.sh" "$jar" "$out/manifests-sync" "$out/manifests-nosync" "$out")
  scenario_timeout=1800
}
