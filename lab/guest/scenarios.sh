#!/usr/bin/env bash
# Plays several scenarios in one boot (lab/run scenarios NAME...): LIST has one line per scenario,
# "NAME<TAB>COMMAND" (the command shell-quoted). Each runs to its end in a process of its own (its
# topology is torn down when it exits); its lines go out as it prints them. Then one line
# "scenarios: NAME rc=N" per scenario; exit 0 only when all passed.
set -uo pipefail
list=$1
names=() rcs=() failed=0
while IFS=$'\t' read -r name quoted; do
  eval "cmd=($quoted)"
  echo "scenarios: $name starts"
  rc=0
  "${cmd[@]}" </dev/null || rc=$?
  names+=("$name") rcs+=("$rc")
  [ "$rc" -eq 0 ] || failed=1
  # Nothing of one scenario may reach the next: namespaces, bridges, processes.
  left=$(ip netns list 2>/dev/null | wc -l)
  [ "$left" -eq 0 ] || echo "scenarios: $name left $left network namespace(s) behind"
done <"$list"
for i in "${!names[@]}"; do
  echo "scenarios: ${names[$i]} rc=${rcs[$i]}"
done
exit "$failed"
