#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the "posix" suite: runs /posix (progs/posix.c) on the v9x
# mount and turns its RESULT lines into test lines; then checks EROFS on a
# read-only mount.
. /lib.sh

setup_modules
mount_or_stop "mount data on /mnt" /mnt
msize=$(sed -n 's/.*msize=\([0-9]*\).*/\1/p' /proc/mounts | head -n 1)
note "msize $msize"
echo "$msize" >/ctl/msize

section "posix program"
# QEMU 10.1 truncates an open fid by its fd (pull-9p-20250505); older
# servers by path, which fails once the name is unlinked.
if qemu_at_least 10.1; then
	fdt=1
else
	fdt=0
fi
note "QEMU $QEMU_VERSION: fd-based ftruncate of an unlinked file expected: $fdt"
V9X_SERVER_FD_TRUNCATE=$fdt /posix /mnt/px "$msize" >/tmp/posix.out 2>&1
rc=$?
while IFS= read -r line; do
	case $line in
	"RESULT ok "*) ok "${line#RESULT ok }" ;;
	"RESULT skip "*) skip "${line#RESULT skip }" ;;
	"RESULT fail "*)
		echo "${line#RESULT fail }" >/tmp/detail
		not_ok "${line#RESULT fail }" /tmp/detail
		;;
	"RESULT done"*) note "$line" ;;
	*) note "$line" ;;
	esac
done </tmp/posix.out
check "posix program exited 0" [ "$rc" = 0 ]

section "large writes"
dd if=/dev/urandom of=/tmp/zcw bs=1M count=8 2>/dev/null
sha256sum </tmp/zcw | cut -d' ' -f1 >/mnt/px/zcw.sum
if v9x_only; then
	zw0=$(stat_get zc_writes)
fi
check "dd 8 MiB at bs=4M onto the share" dd if=/tmp/zcw of=/mnt/px/zcw bs=4M conv=fsync
if v9x_only; then
	zw1=$(stat_get zc_writes)
	cat /sys/kernel/debug/v9x/data/stats >/tmp/zw.out
	if [ "$(cache_mode)" = loose ]; then
		# Buffered: fsync writes the 8 MiB back as a few large Twrites.
		check "cache=loose: 8 MiB written back as 1 to 8 zero-copy Twrites (zc_writes $zw0 -> $zw1)" \
			[ $((zw1 - zw0)) -ge 1 -a $((zw1 - zw0)) -le 8 ]
	else
		# One at a time: the most one request carries (the ring takes
		# 1020 pages), then the rest; not split to run in parallel.
		check "each 4 MiB write goes out as 2 zero-copy Twrites (zc_writes $zw0 -> $zw1)" \
			[ $((zw1 - zw0)) -eq 4 ]
	fi
fi

section "rmdir of a directory in use, then mkdir of the same name"
# A task keeps the removed directory (its cwd); the host's filesystem often
# gives the freed inode number, hence the qid, to the next directory made:
# that must be a new inode, not an alias of the dead one (it was EPROTO:
# "new directory rd has the qid of rd").
: >/tmp/rd.bad
reused=0
for i in 1 2 3 4 5 6; do
	mkdir /mnt/px/rd || { echo "mkdir $i (first)" >>/tmp/rd.bad; break; }
	ino0=$(stat -c %i /mnt/px/rd)
	(cd /mnt/px/rd && exec sleep 2) &
	sleep 1
	rmdir /mnt/px/rd 2>>/tmp/rd.bad || echo "rmdir $i" >>/tmp/rd.bad
	mkdir /mnt/px/rd 2>>/tmp/rd.bad || echo "mkdir $i (again)" >>/tmp/rd.bad
	[ "$(stat -c %i /mnt/px/rd 2>/dev/null)" = "$ino0" ] && reused=$((reused + 1))
	wait
	rmdir /mnt/px/rd 2>>/tmp/rd.bad || echo "rmdir $i (again)" >>/tmp/rd.bad
done
note "the new directory had the old one's inode number $reused times of 6"
if [ -s /tmp/rd.bad ]; then
	not_ok "6 x (mkdir, hold, rmdir, mkdir) of one name succeed" /tmp/rd.bad
else
	ok "6 x (mkdir, hold, rmdir, mkdir) of one name succeed"
fi

section "access= and mount privileges"
umount /mnt
if mount_data /mnt access=any >/tmp/m.out 2>&1; then
	grep -q "access=any" /proc/mounts && ok "access=any shown in /proc/mounts" ||
		not_ok "access=any shown in /proc/mounts"
	expect_fail "access=any: nobody cannot read a 0600 root file: EACCES (the guest checks)" \
		"Permission denied" /posix -u /mnt/px/private
	umount /mnt
else
	not_ok "mount -o access=any" /tmp/m.out
fi
if mount_data /mnt access=0 >/tmp/m.out 2>&1; then
	expect_fail "access=0: nobody cannot read even a 0644 file" \
		"Permission denied" /posix -u /mnt/px/final/hl1
	check "access=0: root still reads it" cat /mnt/px/final/hl1
	umount /mnt
else
	not_ok "mount -o access=0" /tmp/m.out
fi
expect_fail "access=bogus is refused" "Invalid argument" \
	mount -t v9x -o access=bogus data /mnt
if mount_data /mnt >/tmp/m.out 2>&1; then
	# /posix -u prints strerror(errno) of its open as uid 65534; a failed
	# setuid prints nothing (status 100), a missing file "No such file".
	expect_fail "access=client (default): nobody cannot read a 0600 file: EACCES" \
		"Permission denied" /posix -u /mnt/px/private
	umount /mnt
else
	not_ok "mount data for access=client" /tmp/m.out
fi
expect_fail "an unprivileged user cannot mount" "not permitted" \
	/posix -m /mnt

section "O_APPEND"
# One 16 MiB write(2) per dd, three times, to a file opened O_WRONLY|O_APPEND:
# the host checks that the 48 MiB are the source three times, in order.
if mount_data /mnt >/tmp/m.out 2>&1; then
	check "three 16 MiB O_APPEND writes succeed" sh -c 'for i in 1 2 3; do
		dd if=/mnt/appsrc of=/mnt/append bs=16M count=1 iflag=fullblock \
			oflag=append conv=notrunc 2>/dev/null || exit 1; done'
	check "the appended file is 48 MiB" [ "$(stat -c %s /mnt/append)" = $((48 << 20)) ]
	umount /mnt
else
	not_ok "mount data for O_APPEND" /tmp/m.out
fi

section "read-only mount"
if mount_data /mnt ro >/tmp/m.out 2>&1; then
	ok "mount -o ro"
	expect_fail "ro: create gives EROFS" "Read-only file system" sh -c 'echo x >/mnt/px/new-on-ro'
	expect_fail "ro: mkdir gives EROFS" "Read-only file system" mkdir /mnt/px/newdir
	expect_fail "ro: unlink gives EROFS" "Read-only file system" rm -f /mnt/px/final/hl1
	expect_fail "ro: chmod gives EROFS" "Read-only file system" chmod 777 /mnt/px/final/hl1
	expect_fail "ro: truncate gives EROFS" "Read-only file system" truncate -s 0 /mnt/px/final/hl1
	expect_fail "ro: rename gives EROFS" "Read-only file system" mv /mnt/px/final/hl1 /mnt/px/final/hl9
	grep -q " /mnt v9x ro," /proc/mounts && ok "/proc/mounts shows ro" || not_ok "/proc/mounts shows ro"
	umount /mnt
else
	not_ok "mount -o ro" /tmp/m.out
fi
done_tests
