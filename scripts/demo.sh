#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`: build v9x.ko for the Debian 6.1 kernel, boot one QEMU/TCG guest
# that exports a host temp dir (tag "hostshare"), and in the guest run
#   insmod v9x.ko; mount -t v9x hostshare /mnt; ls -l /mnt; cat a file;
#   grep v9x /proc/mounts; cat the debugfs stats; umount; rmmod v9x
# showing the guest console.  Exits 0 when every step succeeded.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../selftests/lib.sh"
. "$V9X_SCRIPTS/build-all.sh"

bash "$V9X_SCRIPTS/deps.sh" || exit 1
kver=$(V9X_KERNELS=${V9X_KERNELS:-6.1} v9x_kernels | head -n 1)
[ -n "$kver" ] || die "no Debian 6.1 kernel with headers (run scripts/deps.sh)"
build_one "$kver" || exit 1

work=$(mktemp -d /tmp/v9x-demo.XXXXXX)
mkdir -p "$work/share/subdir" "$work/stage/etc"
echo "Hello from the host ($(uname -n), $(date -u +%F))" >"$work/share/hello.txt"
printf 'line 1\nline 2\n' >"$work/share/subdir/notes.txt"
head -c 1048576 /dev/urandom >"$work/share/random-1MiB.bin"
ln -s hello.txt "$work/share/link-to-hello"
cp "$V9X_OUT/$kver/v9x.ko" "$work/stage/v9x.ko"
: >"$work/stage/etc/v9x-test.env"
cat >"$work/stage/test.sh" <<'GUEST'
# Demo script run in the guest (busybox sh); every command is echoed.
set -e
run() { echo "demo\$ $*"; "$@"; }
run insmod /v9x.ko
run mkdir -p /mnt
run mount -t v9x hostshare /mnt
run ls -l /mnt
run cat /mnt/hello.txt
run cat /mnt/subdir/notes.txt
echo "demo\$ dd if=/mnt/random-1MiB.bin bs=1M | sha256sum"
dd if=/mnt/random-1MiB.bin bs=1M 2>/dev/null | sha256sum
run grep v9x /proc/mounts
for f in /sys/kernel/debug/v9x/*/stats; do run cat "$f"; done
run umount /mnt
run rmmod v9x
echo "demo: all steps succeeded"
GUEST

echo "=== host share $work/share:"
ls -l "$work/share"
echo "host: sha256 of random-1MiB.bin: $(sha256sum <"$work/share/random-1MiB.bin")"
echo "=== booting $kver (console follows)"
if vm_boot -k "$kver" -d "$work/stage" -l "$work/console.log" -t 300 -x "$work/share:hostshare"; then
	if splats=$(splat_scan "$work/console.log"); then
		echo "=== demo OK (guest ran for ${VM_SECONDS}s; console in $work/console.log)"
		exit 0
	fi
	echo "=== demo FAILED: kernel splat on the console:"
	echo "$splats"
	exit 1
fi
echo "=== demo FAILED (guest status $VM_RC, qemu status $VM_QEMU_RC; console in $work/console.log)"
exit 1
