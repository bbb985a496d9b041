#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the "errors" suite (busybox sh): mount errors (unknown tag,
# unknown option, bad msize, second mount of a tag) with their errno and
# v9x: kernel message, lookups that must fail, every kind of write failing
# with EROFS, EPERM from an immutable host file, finit_module of a 5 MiB
# file (a kernel_read() of more than a message), rmmod refused while
# mounted, the "-o tag=" mount form, then 50 mount/ls/cat/umount cycles,
# rmmod, and a reload of the module.
. /lib.sh
set -o pipefail

setup_modules data,dma

# mount_err NAME ERRTEXT MOUNT-ARGS...: the mount must fail with ERRTEXT and
# the kernel must log a "v9x:" line about it.
mount_err() {
	_n=$1 _e=$2
	shift 2
	dmesg_mark
	if mount "$@" >/tmp/me.out 2>&1; then
		echo "mount $* unexpectedly succeeded" >>/tmp/me.out
		umount /mnt2 2>/dev/null
		not_ok "$_n" /tmp/me.out
		return
	fi
	dmesg_new >/tmp/me.dmesg
	if ! grep -q "$_e" /tmp/me.out; then
		echo "expected '$_e'" >>/tmp/me.out
		not_ok "$_n" /tmp/me.out
	elif ! grep -q 'v9x:' /tmp/me.dmesg; then
		{ cat /tmp/me.out; echo "no 'v9x:' kernel message; new dmesg:"; cat /tmp/me.dmesg; } >/tmp/me.all
		not_ok "$_n" /tmp/me.all
	else
		ok "$_n"
		show "$_n" /tmp/me.dmesg
	fi
}

mkdir -p /mnt /mnt2
section "mount errors"
if v9x_only; then
	mount_err "mount of an unknown tag fails with ENOENT and a v9x: message" \
		"No such file or directory" -t v9x nosuchtag /mnt2
	mount_err "mount -o foo=bar fails with EINVAL and a v9x: message" \
		"Invalid argument" -t v9x -o foo=bar data /mnt2
	mount_err "mount -o msize=100 fails with EINVAL and a v9x: message" \
		"Invalid argument" -t v9x -o msize=100 data /mnt2
	mount_err "mount -o version=9p2000 (not .L) fails with EINVAL and a v9x: message" \
		"Invalid argument" -t v9x -o version=9p2000 data /mnt2
	mount_err "mount -o trans=tcp fails with EINVAL and a v9x: message" \
		"Invalid argument" -t v9x -o trans=tcp data /mnt2

	section "tag= form"
	if mount -t v9x -o tag=data none /mnt2 >/tmp/m.out 2>&1; then
		ok "mount -t v9x -o tag=data none /mnt2"
		check "tag= form: read a file" cmp /mnt2/hello.txt /expected/hello.txt
		check "tag= form: umount" umount /mnt2
	else
		not_ok "mount -t v9x -o tag=data none /mnt2" /tmp/m.out
	fi
	if mount -t v9x -o uname=root,aname=/,msize=65536,version=9p2000.L,trans=virtio data /mnt2 >/tmp/m.out 2>&1; then
		ok "mount with all documented options"
		grep ' /mnt2 ' /proc/mounts >/tmp/pm
		check "all options: /proc/mounts shows msize=65536" grep -q 'msize=65536' /tmp/pm
		check "all options: read a file" cmp /mnt2/hello.txt /expected/hello.txt
		check "all options: umount" umount /mnt2
	else
		not_ok "mount with all documented options" /tmp/m.out
	fi
else
	skip "v9x mount errors (v9x only)"
fi

mount_or_stop "mount data on /mnt" /mnt

section "lookup errors"
expect_fail "cat /mnt/nonexistent fails with ENOENT" "No such file or directory" cat /mnt/nonexistent
expect_fail "cat /mnt/somedir fails with EISDIR" "Is a directory" cat /mnt/somedir
expect_fail "stat /mnt/somedir/nope/deeper fails with ENOENT" "No such file or directory" stat /mnt/somedir/nope/deeper
expect_fail "ls /mnt/hello.txt/x fails with ENOTDIR" "Not a directory" ls /mnt/hello.txt/x

section "the host refuses: an immutable file (chattr +i on the host)"
# QEMU runs as root here, so host permission bits never refuse it; an
# immutable inode does, with EPERM, and that errno must reach the caller.
if [ -e /expected/immutable ]; then
	check "an immutable host file reads" [ "$(cat /mnt/locked)" = locked ]
	expect_fail "appending to it fails with EPERM" "Operation not permitted" \
		sh -c 'echo x >>/mnt/locked'
	expect_fail "unlinking it fails with EPERM" "Operation not permitted" rm -f /mnt/locked
	expect_fail "chmod fails with EPERM" "Operation not permitted" chmod 600 /mnt/locked
	expect_fail "renaming it fails with EPERM" "Operation not permitted" \
		mv /mnt/locked /mnt/locked2
	check "it is still there, unchanged" [ "$(cat /mnt/locked)" = locked ]
else
	skip "the host could not make a file immutable (chattr +i)"
fi

section "kernel_read_file() of more than one message (finit_module)"
# finit_module(2) reads the whole file with kernel_read() into a kernel
# buffer, the path v9x cannot hand to the device zero-copy, then refuses
# random bytes as not an ELF image. The same file from guest memory says
# which errno a whole read ends in; any other (EIO, ENOMEM, ENOSPC) or a
# hang means v9x failed the read. Run under a kill timeout so that a hang
# fails here.
# finit_same NAME FILE: finit FILE gives the errno the guest-memory copy got.
finit_same() {
	_fg=$(timeout -s KILL 60 /finit "$2" 2>&1)
	_fr=$?
	echo "finit $2: '$_fg' (exit $_fr), from guest memory: '$finit_ref'" >/tmp/fi.out
	if [ "$finit_ref" = ENOEXEC ] && [ "$_fg" = "$finit_ref" ]; then
		ok "$1"
	else
		not_ok "$1" /tmp/fi.out
	fi
}
if cp /mnt/blob.bin /tmp/blob.bin &&
   [ "$(sha256sum </tmp/blob.bin)" = "$(cat /expected/blob.sum)" ]; then
	ok "copy the 5 MiB blob to guest memory (user-memory reads): sha256 matches"
else
	not_ok "copy the 5 MiB blob to guest memory (user-memory reads): sha256 matches" /dev/null
fi
finit_ref=$(timeout -s KILL 60 /finit /tmp/blob.bin 2>&1)
finit_same "finit_module of the 5 MiB blob on the share: ENOEXEC (not an ELF) as from guest memory, so the kernel read it whole" \
	/mnt/blob.bin
# The device behind the DMA API (iommu_platform=on): run with
# V9X_APPEND=swiotlb=force, every buffer it gets is bounced through swiotlb,
# which maps no contiguous buffer larger than one segment (256 KiB).
mkdir -p /dma
if v9x_only; then
	mount -t v9x dma /dma >/tmp/m.out 2>&1
else
	mount -t 9p -o trans=virtio,version=9p2000.L,cache=none dma /dma >/tmp/m.out 2>&1
fi
if [ $? = 0 ]; then
	dmesg | grep "mount tag 'dma'" >/tmp/dma.out
	grep -o 'swiotlb=[^ ]*' /proc/cmdline >>/tmp/dma.out
	show dma /tmp/dma.out
	finit_same "DMA-API device (iommu_platform=on): finit_module of the blob: ENOEXEC too" /dma/blob.bin
	check "DMA-API device: umount" umount /dma
else
	not_ok "mount the DMA-API device (iommu_platform=on)" /tmp/m.out
fi
# A larger msize makes one message's reply buffer larger than any kmalloc
# (one session per tag: this mount replaces /mnt, which the next section
# unmounts).
umount /mnt
if mount_data /mnt msize=16777216 >/tmp/m.out 2>&1; then
	grep ' /mnt ' /proc/mounts >/tmp/m.out
	show msize16m /tmp/m.out
	finit_same "msize=16777216: finit_module of the blob: ENOEXEC too" /mnt/blob.bin
else
	not_ok "mount -o msize=16777216" /tmp/m.out
fi
rm -f /tmp/blob.bin

section "writes on a read-only mount"
# v9x is read-write; "-o ro" must make every modifying call fail with EROFS.
umount /mnt
if mount_data /mnt ro >/tmp/m.out 2>&1; then
	ok "mount -o ro"
	check "/proc/mounts shows ro" grep -q '^data /mnt [^ ]* ro[, ]' /proc/mounts
	expect_fail "ro: echo x > /mnt/newfile fails with EROFS" "Read-only file system" sh -c 'echo x > /mnt/newfile'
	expect_fail "ro: append to an existing file fails with EROFS" "Read-only file system" sh -c 'echo x >> /mnt/hello.txt'
	expect_fail "ro: truncating an existing file fails with EROFS" "Read-only file system" sh -c ': > /mnt/hello.txt'
	expect_fail "ro: mkdir fails with EROFS" "Read-only file system" mkdir /mnt/newdir
	expect_fail "ro: rm fails with EROFS" "Read-only file system" rm -f /mnt/hello.txt
	expect_fail "ro: rmdir fails with EROFS" "Read-only file system" rmdir /mnt/somedir/sub
	expect_fail "ro: mv fails with EROFS" "Read-only file system" mv /mnt/hello.txt /mnt/moved.txt
	expect_fail "ro: ln -s fails with EROFS" "Read-only file system" ln -s hello.txt /mnt/sym
	expect_fail "ro: ln (hard link) fails with EROFS" "Read-only file system" ln /mnt/hello.txt /mnt/hard
	expect_fail "ro: chmod fails with EROFS" "Read-only file system" chmod 600 /mnt/hello.txt
	expect_fail "ro: touch (utimes) fails with EROFS" "Read-only file system" touch /mnt/hello.txt
	expect_fail "ro: mkfifo fails with EROFS" "Read-only file system" mkfifo /mnt/fifo
	expect_fail "ro: truncate fails with EROFS" "Read-only file system" truncate -s 0 /mnt/hello.txt
	check "ro: file content unchanged after the write attempts" cmp /mnt/hello.txt /expected/hello.txt
	check "umount the ro mount" umount /mnt
else
	not_ok "mount -o ro" /tmp/m.out
fi
mount_or_stop "mount data on /mnt again" /mnt

section "busy"
if v9x_only; then
	if rmmod v9x >/tmp/rm.out 2>&1; then
		echo "rmmod succeeded while mounted" >>/tmp/rm.out
		not_ok "rmmod v9x while mounted fails" /tmp/rm.out
		done_tests
	elif grep -q '^v9x ' /proc/modules; then
		ok "rmmod v9x while mounted fails"
	else
		not_ok "rmmod v9x while mounted fails (module vanished)" /tmp/rm.out
		done_tests
	fi
	check "mount still works after the refused rmmod" cmp /mnt/hello.txt /expected/hello.txt
	dmesg_mark
	expect_fail "second mount of the same tag fails with EBUSY" "Device or resource busy" \
		mount -t v9x data /mnt2
	grep ' /mnt2 ' /proc/mounts && umount /mnt2
else
	skip "rmmod refused / EBUSY (v9x only)"
fi
check "umount /mnt" umount /mnt

section "lifecycle"
: >/tmp/cyc.out
i=1
while [ $i -le 50 ]; do
	if ! mount_data /mnt >>/tmp/cyc.out 2>&1; then
		echo "cycle $i: mount failed" >>/tmp/cyc.out
		break
	fi
	if ! ls /mnt >/tmp/ls.out || ! grep -qx hello.txt /tmp/ls.out; then
		echo "cycle $i: ls failed" >>/tmp/cyc.out
		umount /mnt
		break
	fi
	if ! cmp /mnt/hello.txt /expected/hello.txt >>/tmp/cyc.out 2>&1; then
		echo "cycle $i: cat failed" >>/tmp/cyc.out
		umount /mnt
		break
	fi
	if ! umount /mnt >>/tmp/cyc.out 2>&1; then
		echo "cycle $i: umount failed" >>/tmp/cyc.out
		break
	fi
	i=$((i + 1))
done
if [ $i = 51 ]; then
	ok "50 mount/ls/cat/umount cycles"
else
	not_ok "50 mount/ls/cat/umount cycles" /tmp/cyc.out
fi

if v9x_only; then
	umount /ctl
	rmmod_v9x "rmmod v9x after the cycles"
	check "v9x is gone from /proc/modules and /sys/module" \
		sh -c '! grep -q "^v9x " /proc/modules && [ ! -e /sys/module/v9x ]'
	check "debugfs v9x directory removed" [ ! -e /sys/kernel/debug/v9x ]
	section "reload"
	check "insmod v9x.ko again (no tags=)" load_v9x
	if mount_data /mnt >/tmp/m.out 2>&1; then
		ok "mount after reload"
		check "read after reload" cmp /mnt/hello.txt /expected/hello.txt
		check "umount after reload" umount /mnt
	else
		not_ok "mount after reload" /tmp/m.out
	fi
	rmmod_v9x "final rmmod v9x"
fi
done_tests
