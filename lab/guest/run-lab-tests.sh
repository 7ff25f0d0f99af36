#!/usr/bin/env bash
# Runs in the guest: the JUnit console launcher over node-agent's compiled test classes, keeping
# the classes whose name matches CLASS_REGEX, with XML reports written to REPORTS (the host reads
# them from the writable share). Usage: run-lab-tests.sh LAB_TARGET CLASS_REGEX REPORTS
set -euo pipefail
lab_target=$1 regex=$2 reports=$3
module=$(dirname "$(dirname "$lab_target")")
classes=$module/target/classes
test_classes=$module/target/test-classes
[ -d "$test_classes" ] || {
  echo "lab tests: $test_classes does not exist (was node-agent built?)" >&2
  exit 2
}
mkdir -p "$reports"
cp=$lab_target/junit-platform-console-standalone.jar:$test_classes:$classes:$(cat "$lab_target/classpath.txt")
# lab/run writes LAB_OUT/env (LAB_JAVA_OPTS: the guest's environment is its own); the job exports
# LAB_OUT, whose reports directory REPORTS is.
# shellcheck disable=SC1091 # written by lab/run at run time
[ -z "${LAB_OUT:-}" ] || [ ! -f "$LAB_OUT/env" ] || . "$LAB_OUT/env"
# Under emulation C2 and parallel GC threads cost more than they give (docs/lab.md has figures).
jvm_opts=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED -Djava.io.tmpdir=/tmp)
# shellcheck disable=SC2206 # LAB_JAVA_OPTS is a list of flags, split on spaces on purpose
jvm_opts+=(${LAB_JAVA_OPTS:-})
echo "lab tests: $JAVA_HOME, classes matching $regex"
started=$(cut -d' ' -f1 /proc/uptime)
rc=0
"$JAVA_HOME/bin/java" "${jvm_opts[@]}" -cp "$cp" org.junit.platform.console.ConsoleLauncher execute \
  --disable-banner --disable-ansi-colors --details=tree --fail-if-no-tests --include-engine junit-jupiter \
  --scan-class-path "$test_classes" --include-classname "$regex" \
  --reports-dir "$reports" </dev/null || rc=$?
echo "lab tests: launcher rc=$rc, $(awk -v s="$started" '{printf "%.1f", $1 - s}' /proc/uptime)s in the guest"
exit "$rc"
