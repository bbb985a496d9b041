#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the "special" suite: mkfifo/mknod on a mapped-xattr export,
# and the FIFO works between two processes.
. /lib.sh

if v9x_only; then
	check "insmod v9x.ko tags=data,mapped,rox" load_v9x tags=data,mapped,rox
fi
check "load in-kernel 9p client modules" load_9p
mkdir -p /ctl /m
check "mount ctl share (in-kernel 9p)" \
	mount -t 9p -o trans=virtio,version=9p2000.L,cache=none ctl /ctl
if v9x_only; then
	mount -t v9x mapped /m >/tmp/m.out 2>&1
else
	mount -t 9p -o trans=virtio,version=9p2000.L,cache=none mapped /m >/tmp/m.out 2>&1
fi
if [ $? = 0 ]; then
	ok "mount the mapped-xattr export"
else
	not_ok "mount the mapped-xattr export" /tmp/m.out
	done_tests
fi
umask 022
check "mkfifo" mkfifo -m 0640 /m/fifo
check "stat: it is a FIFO with mode 640" \
	sh -c '[ "$(stat -c "%F %a" /m/fifo)" = "fifo 640" ]'
check "mknod c 1 3" mknod -m 0600 /m/null c 1 3
check "stat: char device 1:3 mode 600" \
	sh -c '[ "$(stat -c "%F %t:%T %a" /m/null)" = "character special file 1:3 600" ]'
check "the device node opens the guest's /dev/null (write succeeds)" \
	sh -c 'echo discard >/m/null'
(echo through-fifo >/m/fifo) &
check "a FIFO on the share carries data between processes" \
	sh -c '[ "$(cat /m/fifo)" = through-fifo ]'
wait
check "a regular file next to them" sh -c 'echo hello >/m/reg && [ "$(cat /m/reg)" = hello ]'
umount /m

section "read-only export"
mkdir -p /r
if v9x_only; then
	mount -t v9x rox /r >/tmp/m.out 2>&1
else
	mount -t 9p -o trans=virtio,version=9p2000.L,cache=none rox /r >/tmp/m.out 2>&1
fi
if [ $? = 0 ]; then
	ok "mount the read-only export (read-write mount)"
	check "read-only export: reading works" sh -c '[ "$(cat /r/file)" = readonly ]'
	expect_fail "read-only export: create gives EROFS" "Read-only file system" sh -c 'echo x >/r/new'
	expect_fail "read-only export: write gives EROFS" "Read-only file system" sh -c 'echo x >>/r/file'
	expect_fail "read-only export: mkdir gives EROFS" "Read-only file system" mkdir /r/d
	expect_fail "read-only export: unlink gives EROFS" "Read-only file system" rm /r/file
	expect_fail "read-only export: chmod gives EROFS" "Read-only file system" chmod 600 /r/file
	expect_fail "read-only export: rename gives EROFS" "Read-only file system" mv /r/file /r/file2
	umount /r
else
	not_ok "mount the read-only export (read-write mount)" /tmp/m.out
fi
done_tests
