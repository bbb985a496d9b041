#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the "stress" suite: chroot into the host's root (read-only,
# in-kernel 9p) with the v9x mount bound at /mnt/v9x inside it, and run each
# filesystem stressor of stress-ng for a few seconds. Any stressor failure
# (exit status 2: a stressor failed; 3: a verification error) fails its test.
. /lib.sh

setup_modules
mkdir -p /host
if ! mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose hostroot /host >/tmp/m.out 2>&1; then
	not_ok "mount the host root (in-kernel 9p, read-only)" /tmp/m.out
	done_tests
fi
ok "mount the host root (in-kernel 9p, read-only)"
mount -t tmpfs tmpfs /host/tmp
mount -t tmpfs tmpfs /host/run
mount -t proc proc /host/proc
mount -o bind /sys /host/sys
mount -o bind /dev /host/dev
mount_or_stop "mount v9x at /mnt inside the host root" /host/mnt

secs=${STRESS_SECONDS:-5}
for s in hdd dir dentry rename link symlink xattr lockf flock fcntl seek fallocate; do
	section "stress-ng --$s"
	extra=
	case $s in
	hdd) extra="--hdd-bytes 4M" ;;
	dentry) extra="--dentries 256" ;;
	dir) extra="--dir-dirs 256" ;;
	esac
	chroot /host sh -c "cd /mnt/stress && exec stress-ng --$s 1 $extra \
		--timeout ${secs}s --verify --metrics-brief" >/tmp/sng.out 2>&1
	rc=$?
	tail -n 4 /tmp/sng.out | while IFS= read -r l; do note "$s: $l"; done
	# Bogo ops of this stressor, from the metrics line.
	ops=$(awk -v s="$s" '$2 == "metrc:" && $4 == s { print $5; exit }' /tmp/sng.out)
	if [ "$rc" = 0 ] && ! grep -q " fail: " /tmp/sng.out && [ "${ops:-0}" -gt 0 ]; then
		ok "stress-ng --$s $secs s --verify: no failure ($ops bogo ops)"
	elif [ "$s" = fallocate ] && [ "$rc" = 0 ] && [ "${ops:-0}" = 0 ]; then
		# 9P2000.L has no fallocate message: every call is refused
		# (EOPNOTSUPP) and the stressor does nothing, which is not a pass.
		skip "stress-ng --fallocate: 9P2000.L has no fallocate (0 ops)"
	else
		echo "exit status $rc, bogo ops '${ops}'" >>/tmp/sng.out
		not_ok "stress-ng --$s $secs s --verify: no failure" /tmp/sng.out
	fi
done
umount /host/mnt
umount /host/dev /host/sys /host/proc /host/run /host/tmp
umount /host
done_tests
