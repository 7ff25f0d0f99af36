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

# scenario_defaults SRC DST: SRC's manifests without the fields that carry keepalived's timings
# (VRRP version, advert interval, PASS authentication: v3 has none; delay_loop, connect_timeout,
# retry, delay_before_retry), so that the compiler's defaults apply.
scenario_defaults() {
  mkdir -p "$2"
  cp "$1"/realservers.yaml "$2"/
  awk '
    /^ *authPassSecretRef:/ { skip = 2; next }
    skip > 0 { skip--; next }
    /^ *(version|advertIntervalMs|delayLoop|connectTimeout|retry|delayBeforeRetry):/ { next }
    { print }' "$1"/virtualserver.yaml >"$2"/virtualserver.yaml
}

# scenario_mixed SRC DST VERSION: SRC's manifests for mixed.sh, where our agent runs on lvs2 only,
# at priority 100 (keepalived on lvs1 takes 150 or 50); VERSION 2 keeps PASS authentication, 3
# drops it. The advert interval stays 1 s, keepalived's advert_int 1.
scenario_mixed() {
  mkdir -p "$2"
  cp "$1"/realservers.yaml "$2"/
  awk -v version="$3" '
    version == 3 && /^ *authPassSecretRef:/ { skip = 2; next }
    skip > 0 { skip--; next }
    /^ *version: / { sub(/version: [0-9]/, "version: " version) }
    /^ *priority: 100/ { sub(/priority: 100/, "priority: 150") }
    /^ *priority: 50/ { sub(/priority: 50/, "priority: 100") }
    { print }' "$1"/virtualserver.yaml >"$2"/virtualserver.yaml
}

# scenario_field FILE KEY [AFTER]: the first value of KEY in compile output (after the first line
# whose first word is AFTER, e.g. healthCheck:).
scenario_field() {
  awk -v k="$2:" -v after="${3:-}" '
    after != "" && !seen { seen = ($1 == after); next }
    $1 == k { print $2; exit }' "$1"
}
