#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the "cache" suite (busybox sh): what each cache mode
# promises, counted in Treads/Twrites (debugfs stats) and checked on the
# host while the guest runs (sync_host N; the host's verdict is in
# /ctl/result-N):
#   loose:     small writes coalesce into a few large Twrites; close and
#              msync put the data on the host; readahead issues large
#              Treads; a warm re-read sends none; an open sees a file the
#              host rewrote or replaced, even within actimeo.
#   none:      a shared writable mapping is refused with EINVAL and a
#              v9x: line saying which mode to use.
#   mmap:      read(2) goes to the server; shared mappings are written back.
#   readahead: large Treads; write(2) goes through at once and cached
#              readers see it.
#   every mode: sqlite-style journals (progs/journal.c: create, write,
#              fsync, unlink, some kept open across unlink), mapped writes,
#              a read-only file read and synced, then a busybox tar of 800
#              files extracted, checked on the host and removed with rm -rf,
#              all without a "no writable fid" line or any error in dmesg.
. /lib.sh
set -o pipefail

setup_modules
if ! v9x_only; then
	note "cache suite: v9x only (stats and cache modes of v9x)"
	done_tests
fi

sum() { _s=$(cat "$1" | sha256sum) || return 1; echo "${_s%% *}"; }
# Request counts from the mount's stats. A counter that is missing (no stats
# file, a renamed key) gives MISSING, never 0: shell arithmetic would read
# the word as 0 and a "no Tread" check could pass with no stats at all.
stat_sum() {
	_a=$(stat_get "$1"); _b=$(stat_get "$2")
	case "$_a$_b" in
	""|*[!0-9]*) echo MISSING ;;
	*) echo $((_a + _b)) ;;
	esac
}
treads() { stat_sum zc_reads copy_reads; }
twrites() { stat_sum zc_writes copy_writes; }

# step N: let the host do step N
step() {
	if sync_host "$1" 60 >/tmp/s.out 2>&1; then
		return 0
	fi
	echo "host step $1 did not complete" >>/tmp/s.out
	not_ok "host step $1" /tmp/s.out
	return 1
}

# result N WANT: the host's verdict of step N is WANT
result() {
	echo "host says '$(cat "/ctl/result-$1" 2>&1)', want '$2'"
	[ "$(cat "/ctl/result-$1")" = "$2" ]
}

remount() {
	umount /mnt 2>/dev/null
	if mount_data /mnt "$1" >/tmp/m.out 2>&1; then
		ok "mount -o $1"
	else
		not_ok "mount -o $1" /tmp/m.out
		done_tests
	fi
}

section "cache=loose: buffered writes"
remount cache=loose
check "/proc/mounts shows cache=loose with the default actimeo=3" \
	grep -q " /mnt v9x .*,cache=loose,actimeo=3" /proc/mounts
dd if=/dev/urandom of=/tmp/buf bs=1M count=8 2>/dev/null
sum /tmp/buf >/tmp/buf.sum
w0=$(twrites)
check "cache=loose: 8 MiB written 4 KiB at a time (dd bs=4k, 2048 writes)" \
	dd if=/tmp/buf of=/mnt/c/buf bs=4k
w1=$(twrites)
check "cache=loose: the 2048 writes went out as 1 to 8 Twrites ($w0 -> $w1)" \
	[ "$(delta "$w0" "$w1")" -ge 1 -a "$(delta "$w0" "$w1")" -le 8 ]
cp /tmp/buf.sum /mnt/c/buf.sum
step 1 && check "cache=loose: the host has the 8 MiB as soon as the writer closed" \
	result 1 "$(cat /tmp/buf.sum)"

section "cache=loose: readahead and warm re-read"
r0=$(treads)
got=$(sum /mnt/c/big)
r1=$(treads)
check "cache=loose: a cold read of 16 MiB matches the host" [ "$got" = "$(cat /expected/big.sum)" ]
check "cache=loose: readahead: the cold 16 MiB took at most 64 Treads ($r0 -> $r1)" \
	[ "$(delta "$r0" "$r1")" -ge 1 -a "$(delta "$r0" "$r1")" -le 64 ]
got=$(sum /mnt/c/big)
r2=$(treads)
check "cache=loose: a warm re-read matches too" [ "$got" = "$(cat /expected/big.sum)" ]
check "cache=loose: the warm re-read came from the page cache: no Tread ($r1 -> $r2)" \
	[ "$(delta "$r1" "$r2")" = 0 ]

section "cache=loose: shared writable mmap"
dd if=/dev/zero of=/mnt/c/m-loose bs=1000 count=300 2>/dev/null
mkfifo /tmp/hold
# If mmapw dies early, writing to the fifo must not kill this script.
trap '' PIPE
/mmapw /mnt/c/m-loose 12345 100000 7 sync hold </tmp/hold >/tmp/mw.out 2>&1 &
mpid=$!
exec 5>/tmp/hold
wait_grep synced /tmp/mw.out 300 100000
check "cache=loose: mmap MAP_SHARED, write 100000 bytes, msync(MS_SYNC)" grep -q synced /tmp/mw.out
step 2 && check "cache=loose: after msync the host has the mapped bytes (still mapped)" result 2 ok
echo go >&5
exec 5>&-
wait $mpid
rc=$?
check "cache=loose: munmap and close succeed (mmapw status $rc)" [ "$rc" = 0 ]
check "cache=loose: a mapped write without msync" /mmapw /mnt/c/m-loose 200000 5000 9 nosync
step 3 && check "cache=loose: after munmap and close the host has it" result 3 ok

section "cache=loose: host changes under cached names"
got=$(sum /mnt/c/rep)
check "cache=loose: read rep (its name and pages are now cached)" [ -n "$got" ]
step 4
got=$(sum /mnt/c/rep 2>&1)
check "cache=loose: the host replaced rep by rename: the next open sees the new file" \
	[ "$got" = "$(cat /expected/rep.new.sum)" ]
got=$(sum /mnt/c/inplace)
step 5
got=$(sum /mnt/c/inplace 2>&1)
check "cache=loose: the host rewrote inplace: the next open sees the new bytes" \
	[ "$got" = "$(cat /expected/inplace.new.sum)" ]
check "cache=loose: ... and the new size (50000)" [ "$(stat -c %s /mnt/c/inplace)" = 50000 ]

section "cache=none: shared writable mmap refused"
remount cache=none
dmesg_mark
/mmapw /mnt/c/m-loose 0 10 1 >/tmp/mw.out 2>&1
rc=$?
check "cache=none: MAP_SHARED with PROT_WRITE fails with EINVAL (mmapw status $rc)" [ "$rc" = 2 ]
dmesg_new >/tmp/d.out
check "cache=none: one v9x: line names the modes that allow it" \
	grep -q "v9x: data: shared writable mmap needs cache=mmap, readahead or loose" /tmp/d.out

section "cache=mmap"
remount cache=mmap
r0=$(treads)
check "cache=mmap: read 16 x 64 KiB with read(2)" dd if=/mnt/c/big of=/dev/null bs=64k count=16
r1=$(treads)
check "cache=mmap: read(2) goes to the server: 16 Treads ($r0 -> $r1)" [ "$(delta "$r0" "$r1")" = 16 ]
dd if=/dev/zero of=/mnt/c/m-mmap bs=4096 count=4 2>/dev/null
check "cache=mmap: a mapped write without msync" /mmapw /mnt/c/m-mmap 4096 8192 3 nosync
step 6 && check "cache=mmap: after munmap and close the host has it" result 6 ok

section "cache=readahead"
remount cache=readahead
r0=$(treads)
got=$(sum /mnt/c/big)
r1=$(treads)
check "cache=readahead: a cold read of 16 MiB matches the host" [ "$got" = "$(cat /expected/big.sum)" ]
check "cache=readahead: it took at most 64 Treads ($r0 -> $r1)" \
	[ "$(delta "$r0" "$r1")" -ge 1 -a "$(delta "$r0" "$r1")" -le 64 ]
w0=$(twrites)
dd if=/dev/zero of=/mnt/c/big bs=4096 count=1 conv=notrunc 2>/dev/null
w1=$(twrites)
check "cache=readahead: write(2) goes to the server at once: 1 Twrite ($w0 -> $w1)" [ "$(delta "$w0" "$w1")" = 1 ]
dd if=/dev/zero of=/tmp/zero4k bs=4096 count=1 2>/dev/null
dd if=/mnt/c/big of=/tmp/head4k bs=4096 count=1 2>/dev/null
check "cache=readahead: a cached reader sees the write (zeros)" cmp /tmp/head4k /tmp/zero4k
dd if=/dev/zero of=/mnt/c/m-ra bs=1000 count=80 2>/dev/null
check "cache=readahead: a mapped write with msync" /mmapw /mnt/c/m-ra 1 70000 5 sync
step 7 && check "cache=readahead: the host has it" result 7 ok

# Which files the inodes of v9x's writeback warnings are (their names, if
# they still have one), for the failure detail.
wb_names() {
	sed -n 's/.*inode \([0-9]*\) has dirty pages.*/\1/p' "$1" | sort -u |
	while read -r ino; do
		echo "inode $ino: $(find /mnt/c -xdev -inum "$ino" 2>/dev/null | tr '\n' ' ')"
	done
}

# The host's step numbers follow _journal_modes in cache.host.sh.
n=8
for m in none readahead mmap loose; do
	section "cache=$m: sqlite-style journals, extract then delete"
	remount cache=$m
	d=/mnt/c/j-$m
	mkdir -p $d
	dmesg_mark
	check "cache=$m: 20 sqlite-style transactions, mapped writes, a read-only file synced (journal.c)" \
		/journal $d 20 /mnt/c/ro-$m
	check "cache=$m: busybox tar extracts 800 files" tar -xf /mnt/c/tree-$m.tar -C $d
	sync
	if step $n; then
		if [ "$(cat /ctl/result-$n)" = ok ]; then
			ok "cache=$m: the host has db, mm and the 800 files as the guest wrote them"
		else
			cat /ctl/detail-$n >/tmp/r.out 2>&1
			not_ok "cache=$m: the host has db, mm and the 800 files as the guest wrote them" /tmp/r.out
		fi
	fi
	check "cache=$m: rm -rf of the 800 files" rm -rf $d/tree
	sync
	check "cache=$m: the tree is gone" [ ! -e $d/tree ]
	dmesg_new >/tmp/wb.out
	wb_names /tmp/wb.out >/tmp/wb.names
	# umount writes back every dirty inode (sync_filesystem) once more.
	dmesg_mark
	check "cache=$m: umount" umount /mnt
	dmesg_new >>/tmp/wb.out
	cat /tmp/wb.names >>/tmp/wb.out
	if grep -qiE "no writable fid|error" /tmp/wb.out; then
		not_ok "cache=$m: no \"no writable fid\" line and no error in dmesg" /tmp/wb.out
	else
		ok "cache=$m: no \"no writable fid\" line and no error in dmesg"
	fi
	n=$((n + 1))
done
done_tests
