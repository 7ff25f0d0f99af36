# shellcheck shell=bash
# Host side of the kernel lab: packages, kernel, initramfs, and one QEMU boot.
# Sourced by lab/run; every function is prefixed lab_ and needs root.

# The one place the lab's kernel is pinned. When Debian drops this ABI from its archive the
# lab falls back to the newest 6.1.0-*-amd64 it can find (cached first, then apt); override
# with LAB_KERNEL=6.1.0-NN-amd64.
LAB_KERNEL_PIN=6.1.0-56-amd64

# busybox (httpd for tests) is either Debian package: busybox and busybox-static conflict, so the
# lab takes whichever is installed and keeps its own static copy for the initramfs.
LAB_PACKAGES=(qemu-system-x86 kmod cpio keepalived ipvsadm curl iproute2 iputils-ping tcpdump procps net-tools nftables)
LAB_CACHE=${LAB_CACHE:-/var/cache/lvs-lab}
LAB_TIMEOUT=${LAB_TIMEOUT:-900}
LAB_MEM_MB=${LAB_MEM_MB:-4096}
LAB_CPUS=${LAB_CPUS:-2}
# Extra 9p mount options for the guest's view of the host's /. The page cache (cache=loose) halves
# a JVM's start in the guest; it is safe because nothing the guest reads changes while it runs.
# LAB_ROOT_OPTS= (empty) turns it off.
LAB_ROOT_OPTS=${LAB_ROOT_OPTS-cache=loose}
# Loaded in the guest before the job runs (the kernel can autoload the rest: see stage2.sh).
LAB_GUEST_MODULES=${LAB_GUEST_MODULES:-ip_vs ip_vs_rr ip_vs_wrr ip_vs_lc ip_vs_wlc ip_vs_lblc ip_vs_lblcr ip_vs_dh ip_vs_sh ip_vs_sed ip_vs_nq ip_vs_fo ip_vs_ovf ip_vs_mh veth bridge dummy}
# What the initramfs needs to mount the host's / over virtio-9p and stack a tmpfs overlay on it.
LAB_INITRD_MODULES=(virtio_pci 9pnet_virtio 9p overlay)

# shellcheck source=SCRIPTDIR/../guest/topology.sh
. "$(dirname "${BASH_SOURCE[0]}")/../guest/topology.sh"
# shellcheck source=SCRIPTDIR/aot.sh
. "$(dirname "${BASH_SOURCE[0]}")/aot.sh"

lab_log() { printf 'lab: %s\n' "$*" >&2; }
lab_die() {
  lab_log "error: $*"
  exit 2
}

lab_require_root() {
  [ "$(id -u)" -eq 0 ] || lab_die "the kernel lab needs root (apt-get, QEMU's 9p passthrough); run it with sudo"
}

# Installs the missing ones of LAB_PACKAGES (apt-get update only when something is missing).
lab_install_packages() {
  local missing=() p
  for p in "${LAB_PACKAGES[@]}"; do
    _lab_installed "$p" || missing+=("$p")
  done
  _lab_installed busybox || _lab_installed busybox-static || missing+=(busybox-static)
  [ "${#missing[@]}" -eq 0 ] && return 0
  [ -n "${LAB_NO_INSTALL:-}" ] && lab_die "missing packages and LAB_NO_INSTALL is set: ${missing[*]}"
  lab_log "installing with apt: ${missing[*]}"
  apt-get update -qq || lab_die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
    lab_die "apt-get install failed for: ${missing[*]}"
}

# Root downloads itself: apt's _apt user may not enter the cache directory.
_lab_apt_download() { (cd "$1" && apt-get download -qq -o APT::Sandbox::User=root "$2"); }

_lab_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }

# A static busybox for the initramfs, unpacked into the cache (installing busybox-static would
# remove the host's busybox package, which tests may depend on).
lab_prepare_busybox() {
  local dir=$LAB_CACHE/busybox-static
  [ -x "$dir/bin/busybox" ] && return 0
  lab_log "downloading busybox-static"
  rm -rf "$dir"
  mkdir -p "$dir/deb"
  _lab_apt_download "$dir/deb" busybox-static || lab_die "apt-get download busybox-static failed"
  dpkg-deb -x "$dir"/deb/busybox-static_*.deb "$dir/root" || lab_die "cannot unpack busybox-static"
  mkdir -p "$dir/bin"
  cp "$dir/root/bin/busybox" "$dir/bin/busybox"
  rm -rf "$dir/deb" "$dir/root"
}

_lab_newest_available_kernel() {
  apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-amd64$' | awk '{print $1}' |
    sed 's/^linux-image-//' | sort -V | tail -n 1
}

_lab_newest_cached_kernel() {
  local d
  for d in "$LAB_CACHE"/6.1.0-*-amd64/ready; do [ -e "$d" ] && basename "$(dirname "$d")"; done | sort -V | tail -n 1
}

_lab_kernel_available() { apt-cache show "linux-image-$1" >/dev/null 2>&1; }

# Prints the kernel version the lab boots: LAB_KERNEL, else the pin, else the newest cached
# 6.1.0-*-amd64, else the newest one apt offers.
lab_kernel_version() {
  if [ -n "${LAB_KERNEL:-}" ]; then
    echo "$LAB_KERNEL"
  elif [ -e "$LAB_CACHE/$LAB_KERNEL_PIN/ready" ] || _lab_kernel_available "$LAB_KERNEL_PIN"; then
    echo "$LAB_KERNEL_PIN"
  else
    local v
    v=$(_lab_newest_cached_kernel)
    [ -n "$v" ] || v=$(_lab_newest_available_kernel)
    if [ -z "$v" ]; then
      apt-get update -qq >&2 || true
      _lab_kernel_available "$LAB_KERNEL_PIN" && v=$LAB_KERNEL_PIN || v=$(_lab_newest_available_kernel)
    fi
    [ -n "$v" ] || lab_die "no linux-image-6.1.0-*-amd64 in apt (pin $LAB_KERNEL_PIN); is this Debian 12?"
    lab_log "kernel pin $LAB_KERNEL_PIN is not available; using $v"
    echo "$v"
  fi
}

# Downloads and unpacks linux-image-KVER into LAB_CACHE/KVER/k, with a depmod index.
lab_prepare_kernel() {
  local kver=$1 dir=$LAB_CACHE/$1
  [ -e "$dir/ready" ] && return 0
  lab_log "downloading linux-image-$kver"
  rm -rf "$dir"
  mkdir -p "$dir/deb"
  if ! _lab_apt_download "$dir/deb" "linux-image-$kver"; then
    apt-get update -qq || true
    _lab_apt_download "$dir/deb" "linux-image-$kver" || lab_die "apt-get download linux-image-$kver failed"
  fi
  dpkg-deb -x "$dir"/deb/linux-image-"$kver"_*.deb "$dir/k" || lab_die "cannot unpack linux-image-$kver"
  depmod -b "$dir/k" "$kver" || lab_die "depmod failed for $kver"
  [ -f "$dir/k/boot/vmlinuz-$kver" ] || lab_die "no vmlinuz-$kver in the package"
  rm -rf "$dir/deb"
  _lab_extract_vmlinux "$dir/k/boot/vmlinuz-$kver" "$dir/vmlinux"
  touch "$dir/ready"
}

# Under TCG, unpacking the xz-compressed bzImage is a good part of the boot. A kernel built with
# CONFIG_PVH boots in QEMU straight from its uncompressed ELF, so unpack it once here. Best effort:
# without it the lab boots the bzImage.
_lab_extract_vmlinux() {
  local bz=$1 out=$2 config offset
  config=$(dirname "$bz")/config-${bz##*/vmlinuz-}
  grep -qx 'CONFIG_PVH=y' "$config" 2>/dev/null || return 0
  offset=$(LC_ALL=C grep -aobUP '\xFD7zXZ\x00' "$bz" | head -n 1 | cut -d: -f1)
  [ -n "$offset" ] || return 0
  if tail -c +$((offset + 1)) "$bz" | xz -dc --single-stream >"$out.tmp" 2>/dev/null &&
    [ "$(head -c 4 "$out.tmp" | od -An -c | tr -d ' ')" = '177ELF' ]; then
    mv "$out.tmp" "$out"
  else
    rm -f "$out.tmp"
  fi
}

# Builds (once per kernel and init script) a busybox initramfs and prints its path.
lab_prepare_initrd() {
  local kver=$1 dir=$LAB_CACHE/$1 init=$LAB_HOME/guest/init busybox=$LAB_CACHE/busybox-static/bin/busybox
  local key
  key=$(cat "$init" "$busybox" | sha256sum | cut -c1-12)
  local out=$dir/initrd-$key.gz
  if [ ! -f "$out" ]; then
    lab_log "building initramfs $out"
    local tmp
    tmp=$(mktemp -d "$dir/initrd.XXXXXX")
    mkdir -p "$tmp"/{bin,mods,newroot,lower,rw,proc,sys,dev}
    cp "$busybox" "$tmp/bin/busybox"
    cp "$init" "$tmp/init"
    chmod 755 "$tmp/init"
    # modprobe resolves the dependency order for us; built-in ones print "builtin NAME".
    local line ko name
    while read -r line; do
      case $line in
        insmod\ *)
          ko=$(echo "$line" | awk '{print $2}')
          name=$(basename "$ko")
          case $name in
            *.ko.xz) xz -dc "$ko" >"$tmp/mods/${name%.xz}" && name=${name%.xz} ;;
            *.ko.zst) zstd -qdc "$ko" >"$tmp/mods/${name%.zst}" && name=${name%.zst} ;;
            *) cp "$ko" "$tmp/mods/$name" ;;
          esac
          grep -qx "$name" "$tmp/mods/order" 2>/dev/null || echo "$name" >>"$tmp/mods/order"
          ;;
      esac
    done < <(modprobe -d "$dir/k" -S "$kver" --show-depends -a "${LAB_INITRD_MODULES[@]}")
    touch "$tmp/mods/order"
    (cd "$tmp" && find . | cpio -o -H newc --quiet | gzip -1 >"$out.tmp") || lab_die "cpio failed"
    mv "$out.tmp" "$out"
    rm -rf "$tmp"
    find "$dir" -maxdepth 1 -name 'initrd-*.gz' ! -path "$out" -delete
  fi
  echo "$out"
}

# Makes sure packages, kernel and initramfs are there; prints "KVER INITRD". Serialised with a
# lock so that two lab runs on one machine never build the cache at the same time.
lab_prepare() {
  lab_require_root
  mkdir -p "$LAB_CACHE"
  exec {lock_fd}>"$LAB_CACHE/.lock"
  flock "$lock_fd"
  lab_install_packages >&2
  local kver initrd
  kver=$(lab_kernel_version)
  lab_prepare_kernel "$kver" >&2
  lab_prepare_busybox >&2
  initrd=$(lab_prepare_initrd "$kver")
  flock -u "$lock_fd"
  exec {lock_fd}>&-
  echo "$kver $initrd"
}

# lab_boot OUTDIR JOB: boots the guest and runs the executable JOB (a host path, e.g. in OUTDIR) as
# root with IPVS loaded. OUTDIR is shared read-write: the guest sees it at the same path. Returns
# the job's exit code, 124 on timeout, 125 when the guest never reported one.
lab_boot() {
  local out=$1 job=$2 prep kver initrd
  prep=$(lab_prepare) || exit $?
  read -r kver initrd <<<"$prep"
  local k=$LAB_CACHE/$kver/k image=$LAB_CACHE/$kver/k/boot/vmlinuz-$kver
  [ ! -f "$LAB_CACHE/$kver/vmlinux" ] || [ "${LAB_PVH:-1}" = 0 ] || image=$LAB_CACHE/$kver/vmlinux
  rm -f "$out/rc" "$out/console.log"
  # no_timer_check: under emulation on a starved host the kernel's IO-APIC timer check can fail
  # and panic the boot ("IO-APIC + timer doesn't work"); the check proves nothing about IPVS.
  local append="console=ttyS0 panic=-1 quiet no_timer_check lab.stage2=$LAB_HOME/guest/stage2.sh lab.out=$out lab.job=$job"
  [ -z "$LAB_ROOT_OPTS" ] || append+=" lab.rootopts=$LAB_ROOT_OPTS"
  append+=" lab.kdir=$k/lib/modules/$kver lab.modules=$(echo "$LAB_GUEST_MODULES" | tr ' ' ,)"
  local qemu=(qemu-system-x86_64 -accel tcg -smp "$LAB_CPUS" -m "$LAB_MEM_MB" -nodefaults -no-user-config
    -display none -no-reboot -kernel "$image" -initrd "$initrd" -append "$append"
    -virtfs "local,path=/,mount_tag=hostroot,security_model=passthrough,readonly=on,multidevs=remap"
    -virtfs "local,path=$out,mount_tag=labout,security_model=passthrough,multidevs=remap")
  local started=$SECONDS rc
  lab_log "booting $kver (timeout ${LAB_TIMEOUT}s, console in $out/console.log)"
  if [ -n "${LAB_INTERACTIVE:-}" ]; then
    rc=0
    timeout -k 5 "$LAB_TIMEOUT" "${qemu[@]}" -serial mon:stdio || rc=$?
  else
    : >"$out/console.log"
    timeout -k 5 "$LAB_TIMEOUT" "${qemu[@]}" -serial "file:$out/console.log" &
    local qpid=$!
    # timeout(1) passes the TERM on to QEMU, and kills it itself when the hard limit passes.
    trap 'kill '"$qpid"' 2>/dev/null' EXIT
    trap 'kill '"$qpid"' 2>/dev/null; exit 130' INT TERM
    tail --pid="$qpid" -n +1 -f "$out/console.log" | _lab_console_filter &
    local tpid=$!
    rc=0
    wait "$qpid" || rc=$?
    wait "$tpid" || true
    trap - EXIT INT TERM
  fi
  if [ -f "$out/rc" ]; then
    rc=$(cat "$out/rc")
    lab_log "guest job exited rc=$rc after $((SECONDS - started))s"
    return "$rc"
  elif [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    lab_log "error: guest still running after ${LAB_TIMEOUT}s (LAB_TIMEOUT); QEMU killed"
    return 124
  fi
  lab_log "error: the guest powered off without reporting an exit code (qemu rc=$rc); see $out/console.log"
  return 125
}

# Keeps the console readable: drops firmware lines and kernel messages unless LAB_VERBOSE is set.
_lab_console_filter() {
  if [ -n "${LAB_VERBOSE:-}" ]; then
    sed -u 's/\r//g'
  else
    sed -u 's/\r//g' | grep -a --line-buffered -v -E '^\[ *[0-9]+\.[0-9]+\]|SeaBIOS|^Booting from|^$'
  fi
}

# lab_out_dir NAME: a fresh output directory (lab/out/NAME unless LAB_OUT is set). Only a
# directory the lab made itself (it holds .lab-out) is ever emptied.
lab_out_dir() {
  local out=${LAB_OUT:-$LAB_HOME/out/$1}
  if [ -d "$out" ] && [ -n "$(ls -A "$out")" ] && [ ! -e "$out/.lab-out" ]; then
    lab_die "$out exists, is not empty and was not made by the lab; choose another LAB_OUT"
  fi
  rm -rf "$out"
  mkdir -p "$out"
  touch "$out/.lab-out"
  readlink -f "$out"
}

# lab_write_env OUT VAR...: the guest's scripts source OUT/env; it exports each VAR that is set
# here (options such as SEED_JAVA_OPTS that must reach the guest, whose environment is its own).
lab_write_env() {
  local out=$1 v
  shift
  : >"$out/env"
  for v in "$@"; do
    [ -z "${!v+x}" ] || printf 'export %s=%q\n' "$v" "${!v}" >>"$out/env"
  done
}

# lab_write_job OUT DIR CMD...: a job script that runs CMD in DIR inside the guest.
lab_write_job() {
  local out=$1 dir=$2
  shift 2
  {
    echo '#!/bin/bash'
    printf 'cd %q || exit 125\n' "$dir"
    printf 'export LAB_HOME=%q LAB_OUT=%q JAVA_HOME=%q\n' "$LAB_HOME" "$out" "$JAVA_HOME"
    printf 'exec'
    printf ' %q' "$@"
    echo
  } >"$out/job.sh"
  chmod 755 "$out/job.sh"
  echo "$out/job.sh"
}

# lab_agent_aot JAR OUT: prints the path of the agent's AOT cache for JAR, recording it first when
# there is none for this jar, JDK and images/agent/jvm.options (LAB_CACHE/aot, kept a day):
# a training run of examples/reference's lvs1 on the host (lab/lib/aot.sh; about 10 to 30 s). The
# guest's agents use it (lab/guest/agent-jvm.sh). Recorded here, not in the guest, because the
# cache keeps no machine code (jvm.options): the host's CPU and QEMU's differ. Prints nothing
# (the agents then start without one) when the training run fails; its log is OUT/aot-train.log.
lab_agent_aot() {
  local jar=$1 out=$2 key dir=$LAB_CACHE/aot aot t0=$SECONDS
  key=$(cat "$jar" "$JAVA_HOME/release" "$LAB_HOME/../images/agent/jvm.options" <(stat -c %Y "$jar") |
    sha256sum | cut -c1-16)
  aot=$dir/agent-$key.aot
  if [ ! -f "$aot" ]; then
    mkdir -p "$dir"
    # Caches of other jars go after a day only: other worktrees' lab runs may be using theirs.
    find "$dir" -name 'agent-*.aot' -mmin +1440 -delete
    # A name of its own: two worktrees' runs may record at once.
    local rec
    rec=$(mktemp -u --suffix=.aot "$dir/recording.XXXXXX")
    if aot_record "$jar" "$rec" "$LAB_HOME/../examples/reference" lvs1 "$out/aot-train.log" >&2; then
      mv "$rec" "$aot"
      lab_log "recorded the agent's AOT cache $aot ($(du -h "$aot" | cut -f1)) in $((SECONDS - t0)) s"
    else
      rm -f "$rec"
      lab_log "no AOT cache: the training run failed (see $out/aot-train.log); agents start without one"
      return 0
    fi
  fi
  echo "$aot"
}
