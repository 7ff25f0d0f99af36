#!/usr/bin/env bash
# keepalived beside our agent (issue 6 item 2), in one guest boot: the reference scenario's checks
# (seed.sh) three times, each on a fresh topology that is torn down (and checked to be gone) before
# the next: keepalived as the guide configures it, our agent on the reference manifests
# (keepalived's settings), our agent on the same manifests without their timing fields (our
# defaults). First a short probe of the guide's keepalived.conf taken verbatim (vrrp_strict).
# Prints every check's line (`compare <run> <check> ok|FAIL ...`), then the table, also written
# as markdown to OUT/compare.md. Exit 0 when the three runs ran, whatever their checks said.
# Usage: compare.sh JAR REFERENCE_DIR DEFAULTS_DIR OUT DEFAULTS_ADVERT_S DEFAULTS_HEALTH
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/topology.sh
. "$here/topology.sh"
jar=$1 reference=$2 defaults=$3 out=$4 defaults_advert_s=$5 defaults_health=$6
tag=compare
results=/dev/null
work=/tmp/compare
rm -rf "$work"
mkdir -p "$out" "$work"
# shellcheck source=SCRIPTDIR/checks.sh
. "$here/checks.sh"
# shellcheck source=SCRIPTDIR/impl-keepalived.sh
. "$here/impl-keepalived.sh"

# shellcheck disable=SC1091 # lab/run writes it for options that must reach the guest
[ ! -f "$out/env" ] || . "$out/env"
# COMPARE_RUNS: which runs, in order (all three unless set; lab/run passes it on).
read -r -a runs <<<"${COMPARE_RUNS:-keepalived ours-reference ours-defaults}"
declare -A wall title=([keepalived]="keepalived" [ours-reference]="ours, keepalived's settings" [ours-defaults]="ours, defaults")
checks=("${seed_checks[@]}")

two_routes() { [ "$(topo_exec lvs1 ipvsadm -Ln | grep -c Route)" = 2 ]; }

# ---- the guide's keepalived.conf verbatim: what vrrp_strict does to it (a few seconds) ----
strict_probe() {
  local verdict served_n=0 _ advert
  topo_cleanup_on_exit
  # What keepalived's firewall rule needs; the guest does not autoload modules for netlink sockets
  # (the kernel's modprobe helper runs outside the guest's chroot).
  modprobe -a nfnetlink nf_tables || echo "$tag: strict: cannot load nf_tables"
  scenario_topology
  keepalived_prepare_rs rs1
  keepalived_prepare_rs rs2
  keepalived_write_conf "$work/strict.conf" MASTER 100 2 strict
  cp "$work/strict.conf" "$out/keepalived-strict.conf"
  timeout 15 tcpdump -i v-lvs1 -c 1 -n -vv 'ip proto 112' >"$out/strict-advert.txt" 2>&1 &
  local dump=$!
  keepalived_start lvs1 strict-lvs1 "$work/strict.conf"
  until_true 20 holds lvs1 || echo "$tag: strict: lvs1 did not take the VIP within 20 s"
  wait "$dump"
  until_true 10 two_routes
  for _ in 1 2; do served && served_n=$((served_n + 1)); done
  advert=$(grep -o 'authtype [a-z]*' "$out/strict-advert.txt" | head -n 1)
  verdict="VIP on lvs1, IPVS $(topo_exec lvs1 ipvsadm -Ln | grep -c Route) real servers; adverts: ${advert:-none seen}"
  grep -q 'Strict mode does not support authentication' "$out/strict-lvs1.log" &&
    verdict+=" (keepalived: \"Strict mode does not support authentication. Ignoring.\")"
  grep -q 'setting firewall drop rule' "$out/strict-lvs1.log" && verdict+="; keepalived: \"setting firewall drop rule\""
  verdict+="; the client got $served_n of 2 requests answered through the VIP"
  echo "$tag strict_conf: the guide's keepalived.conf verbatim (vrrp_strict): $verdict"
  echo "$verdict" >"$out/strict.txt"
  topo_teardown
}

# run NAME IMPL MANIFESTS ADVERT_S HEALTH: seed.sh once, in a process of its own.
run() {
  local name=$1 t0=$SECONDS rc=0 left
  echo "$tag: ---- run $name: ${title[$name]} ----"
  SEED_IMPL=$2 SEED_TAG="$tag $name" SEED_RESULTS="$out/$name.tsv" SEED_WORK="$work/$name" \
    SEED_ADVERT_S=$4 SEED_HEALTH=$5 bash "$here/seed.sh" "$jar" "$3" "$out/$name" || rc=$?
  wall[$name]=$((SECONDS - t0))
  left=$(leftovers)
  echo "$tag: run $name: rc=$rc, ${wall[$name]}s; teardown: ${left:-clean}"
}

t_start=$(date -u '+%Y-%m-%d %H:%M UTC')
echo "$tag: keepalived $(keepalived --version 2>&1 | head -n 1 | cut -d' ' -f2), kernel $(uname -r), $(nproc) guest CPUs; logs in $out"
: >"$out/strict.txt"
(strict_probe)
echo "$tag: strict probe teardown: $(leftovers | sed 's/^$/clean/')"
reference_health="delay_loop 6s, connect_timeout 3s, retry 3, delay_before_retry 3s"
for r in "${runs[@]}"; do
  case $r in
    keepalived) run keepalived keepalived "$reference" 1 "$reference_health" ;;
    ours-reference) run ours-reference ours "$reference" 1 "$reference_health" ;;
    ours-defaults) run ours-defaults ours "$defaults" "$defaults_advert_s" "$defaults_health" ;;
    *) echo "$tag: unknown run $r (COMPARE_RUNS)" && exit 2 ;;
  esac
done

# ---- the table ----
# cell RUN CHECK: "3.1 s", "FAIL: <reason up to its first ': ', '; ' or ' ('>", or "not run" (an
# earlier check stopped the run).
cell() {
  local f=$out/$1.tsv
  [ -f "$f" ] || { echo "not run" && return; }
  awk -F'\t' -v c="$2" '
    $1 == c && $2 == "ok" { printf "%s s", $3; found = 1; exit }
    $1 == c {
      r = $3; gsub(/\|/, "/", r)
      if (match(r, /(: |; | \()/)) r = substr(r, 1, RSTART - 1)
      if (length(r) > 80) r = substr(r, 1, 77) "..."
      printf "FAIL: %s", r; found = 1; exit
    }
    END { if (!found) printf "not run" }' "$f"
}
failed_cells=()
{
  echo "## lab/run compare, $t_start"
  echo
  echo "keepalived $(keepalived --version 2>&1 | head -n 1 | cut -d' ' -f2) (Debian) against our agent, kernel $(uname -r) under QEMU TCG, $(nproc) guest CPUs."
  echo "Seconds per check (what each measures: docs/lab.md); wall time of each run below the table."
  echo
  printf '| check |'
  for r in "${runs[@]}"; do printf ' %s |' "${title[$r]}"; done
  printf '\n|---|'
  for r in "${runs[@]}"; do printf -- '---|'; done
  echo
  for c in "${checks[@]}"; do
    printf '| %s%s%s |' '`' "$c" '`'
    for r in "${runs[@]}"; do
      v=$(cell "$r" "$c")
      printf ' %s |' "$v"
      [[ $v == "FAIL"* || $v == "not run" ]] && failed_cells+=("$r/$c")
    done
    echo
  done
  printf '| wall time of the run |'
  for r in "${runs[@]}"; do printf ' %s s |' "${wall[$r]}"; done
  echo
  echo
  echo "The guide's keepalived.conf verbatim, with \`vrrp_strict\`: $(cat "$out/strict.txt"). The keepalived run uses it without that line."
  echo
  echo "### Details"
  for r in "${runs[@]}"; do
    echo
    echo "${title[$r]}:"
    echo
    [ -f "$out/$r.tsv" ] && awk -F'\t' '{ d = ($2 == "ok" ? $4 : "FAIL " $3); printf "- `%s`: %s\n", $1, d }' "$out/$r.tsv"
  done
} >"$out/compare.md"
echo "$tag: ---- table ($out/compare.md) ----"
sed -n '/^| check/,/^| wall/p' "$out/compare.md"
if [ "${#failed_cells[@]}" -gt 0 ]; then
  echo "$tag: cells that failed or did not run: ${failed_cells[*]}"
else
  echo "$tag: every cell passed"
fi
echo "$tag: done"
