#!/usr/bin/env bash
# Plays scenarios in one boot (lab/run scenarios NAME..., lab/run NAME): LIST has one line per
# scenario, "NAME<TAB>COMMAND" (the command shell-quoted). Each runs to its end in a process of its
# own (its topology is torn down when it exits); its lines go out as it prints them. Whatever one
# left (namespaces, bridges, keepalived, agents, captures) is removed and named before the next.
# Then one line "scenarios: NAME rc=N" per scenario; exit 0 only when all passed.
# Usage: scenarios.sh LIST
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
list=$1
# shellcheck source=SCRIPTDIR/checks.sh
. "$here/checks.sh"
names=() rcs=() failed=0
while IFS=$'\t' read -r name quoted; do
  eval "cmd=($quoted)"
  echo "scenarios: $name starts"
  t0=$SECONDS rc=0
  "${cmd[@]}" </dev/null || rc=$?
  names+=("$name") rcs+=("$rc ($((SECONDS - t0))s)")
  [ "$rc" -eq 0 ] || failed=1
  left=$(leftovers)
  [ -z "$left" ] || echo "scenarios: $name left behind (removed): $left"
done <"$list"
for i in "${!names[@]}"; do
  echo "scenarios: ${names[$i]} rc=${rcs[$i]}"
done
exit "$failed"
