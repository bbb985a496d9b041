#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the "lifecycle" suite: 8 processes churning one directory
# (60 s on the debug kernel, 30 s elsewhere), load on two mounts of two
# devices at once, umount and an immediate mount after a walk of 10,000
# files, a device moved from v9x to the in-kernel client and back,
# then umount and umount -l with I/O in flight on the only remaining mount,
# and rmmod once the lazily unmounted fs is released.
. /lib.sh

if ! v9x_only; then
	skip "lifecycle: v9x only"
	done_tests
fi
setup_modules data,data2,slow,data3
mkdir -p /mnt /mnt2 /slow /m3
check "mount data" mount -t v9x data /mnt
check "mount data2" mount -t v9x data2 /mnt2
secs=30
[ -e /sys/kernel/debug/kmemleak ] && secs=60

section "8 processes, $secs s"
/churn /mnt/churn 8 $secs 1 >/tmp/c1.out 2>&1
rc=$?
tail -n 3 /tmp/c1.out | while IFS= read -r l; do note "$l"; done
check "churn: 8 processes x $secs s on one directory, no unexpected error" [ "$rc" = 0 ]
[ "$rc" = 0 ] || not_ok "churn details" /tmp/c1.out

section "two mounts of two devices at once"
/churn /mnt/churn 4 15 2 >/tmp/c2.out 2>&1 &
p1=$!
/churn /mnt2/churn 4 15 3 >/tmp/c3.out 2>&1 &
p2=$!
wait $p1
r1=$?
wait $p2
r2=$?
check "churn on data and data2 at the same time (status data:data2 = $r1:$r2)" [ "$r1:$r2" = 0:0 ]
[ "$r1$r2" = 00 ] || { not_ok "churn data details" /tmp/c2.out; not_ok "churn data2 details" /tmp/c3.out; }
sleep 1
check "in-flight requests drain to 0 on data" [ "$(stat_get inflight data)" = 0 ]

section "umount, then mount at once, after a walk of 10,000 files"
# Every cached name holds a fid; umount clunks them all. The next mount of
# the device must not find it still claimed (EBUSY).
check "umount data2" umount /mnt2
check "mount data2 with cache=loose" mount -t v9x -o cache=loose data2 /mnt2
n=$(find /mnt2/walk -type f -exec stat -c %s {} + | wc -l)
check "the walk stat'ed 10,000 files ($n)" [ "$n" = 10000 ]
check "umount data2 after the walk" umount /mnt2
check "mount data2 right after (no EBUSY)" mount -t v9x data2 /mnt2
check "and read through it" [ "$(find /mnt2/walk -type f | wc -l)" = 10000 ]

section "a device moved between v9x and the in-kernel client"
dev=
for d in /sys/bus/virtio/devices/*; do
	[ "$(cat "$d/mount_tag" 2>/dev/null)" = data3 ] && dev=${d##*/}
done
check "found data3 under v9x ($dev)" [ -n "$dev" ]
check "unbind data3 from v9x" sh -c "echo $dev >/sys/bus/virtio/drivers/v9x_virtio/unbind"
check "bind data3 to 9pnet_virtio" sh -c "echo $dev >/sys/bus/virtio/drivers/9pnet_virtio/bind"
check "mount -t 9p data3 and read" sh -c 'mount -t 9p -o trans=virtio,version=9p2000.L data3 /m3 && [ "$(cat /m3/file)" = moved ] && umount /m3'
expect_fail "v9x cannot mount a tag it does not own" "No such file" mount -t v9x data3 /m3
check "unbind data3 from 9pnet_virtio" sh -c "echo $dev >/sys/bus/virtio/drivers/9pnet_virtio/unbind"
check "bind data3 back to v9x" sh -c "echo $dev >/sys/bus/virtio/drivers/v9x_virtio/bind"
check "mount -t v9x data3 and read" sh -c 'mount -t v9x data3 /m3 && [ "$(cat /m3/file)" = moved ] && umount /m3'

section "umount -l with I/O in flight, nothing else mounted"
# Only /slow may hold the module here, so that the refused rmmod below is
# refused because of the lazily unmounted fs, not because of another mount.
check "umount data2" umount /mnt2
check "umount data" umount /mnt
check "mount slow" mount -t v9x slow /slow
check "slow is the only v9x mount" sh -c '[ "$(awk '"'"'$3 == "v9x"'"'"' /proc/mounts | wc -l)" = 1 ]'
dd if=/slow/big of=/dev/null bs=4M 2>/dev/null &
pid=$!
sleep 1
expect_fail "umount while a read is in flight: busy" "busy" umount /slow
check "umount -l while a read is in flight" umount -l /slow
check "no v9x mount is left in the namespace" sh -c '! grep -q " v9x " /proc/mounts'
check "the reader is still in flight" kill -0 $pid
expect_fail "rmmod while only the lazily unmounted fs holds v9x" "unavailable" rmmod v9x
check "v9x is still loaded after the refused rmmod" grep -q '^v9x ' /proc/modules
kill -9 $pid
wait $pid 2>/dev/null
check "the killed reader is gone" sh -c "! kill -0 $pid 2>/dev/null"
# The lazily unmounted fs goes away with the reader's last reference.
i=0
while [ $i -lt 50 ] && [ "$(cat /sys/module/v9x/refcnt 2>/dev/null)" != 0 ]; do
	usleep 100000
	i=$((i + 1))
done
rmmod_v9x "rmmod v9x once the killed reader released the lazily unmounted fs"

done_tests
