#!/bin/sh
# Stage 2 of the lab guest, run by the initramfs chrooted into the overlay of the host's /.
# Mounts the writable output share, loads IPVS, runs the job, and leaves its exit code in
# $LAB_OUT/rc for the host. The initramfs powers off when this returns.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LAB_GUEST=1
# shellcheck disable=SC2013 # the command line is one line of words
for arg in $(cat /proc/cmdline); do
  case $arg in
    lab.out=*) LAB_OUT=${arg#lab.out=} ;;
    lab.job=*) job=${arg#lab.job=} ;;
    lab.kdir=*) kdir=${arg#lab.kdir=} ;;
    lab.modules=*) modules=$(echo "${arg#lab.modules=}" | tr , ' ') ;;
  esac
done
export LAB_OUT
# /tmp stays the host's, seen through the overlay (writes land in the tmpfs upper layer): CI and
# developers may have the repository under /tmp, and a fresh tmpfs there would hide it.
mount -t tmpfs run /run
mkdir -p "$LAB_OUT"
if ! mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 labout "$LAB_OUT"; then
  echo "LAB: cannot mount the output share at $LAB_OUT"
  exit 1
fi
# The host's /lib/modules has no tree for this kernel: point it at the cached one, so that both
# modprobe and the kernel's own module autoloading (e.g. a scheduler asked for by netlink) work.
mkdir -p /lib/modules
ln -sfn "$kdir" "/lib/modules/$(uname -r)"
echo "LAB: root mounted at $(cut -d' ' -f1 /proc/uptime)s"
# shellcheck disable=SC2086 # one module name per word
modprobe -a $modules || echo "LAB: modprobe failed for one of: $modules"
ip link set lo up
echo "LAB: kernel $(uname -r) ready at $(cut -d' ' -f1 /proc/uptime)s"
"$job" </dev/console
rc=$?
echo "LAB: job rc=$rc at $(cut -d' ' -f1 /proc/uptime)s"
echo "$rc" >"$LAB_OUT/rc"
sync
umount "$LAB_OUT"
