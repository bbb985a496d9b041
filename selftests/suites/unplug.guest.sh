#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the "unplug" suite: the host hot-unplugs (QMP device_del,
# ACPI PCI hotplug) the device of a mounted v9x share while a reader and a
# writer wait on it. Both must fail with EIO once the device is gone, later
# operations too, the share must unmount, the other share keep working,
# and v9x must unload. The in-kernel client blocks in remove() until the
# umount in this case; v9x never waits.
. /lib.sh

if ! v9x_only; then
	skip "unplug: v9x only"
	done_tests
fi
setup_modules data,hp
mkdir -p /mnt /hp
check "mount data" mount -t v9x data /mnt
check "mount hp (throttled device with a QEMU id)" mount -t v9x hp /hp
check "hp reads before the unplug" [ "$(cat /hp/small)" = small ]
now_ds() { _u=$(cut -d' ' -f1 /proc/uptime); echo "${_u%.*}${_u#*.}"; }
hp_dev() {
	for _d in /sys/bus/virtio/devices/*; do
		[ "$(cat "$_d/mount_tag" 2>/dev/null)" = hp ] && echo "${_d##*/}"
	done
}
dev=$(hp_dev)
check "hp's virtio device is bound to v9x ($dev)" \
	[ -n "$dev" -a -e "/sys/bus/virtio/drivers/v9x_virtio/$dev" ]

dd if=/hp/big of=/dev/null bs=4M 2>/tmp/rd.err &
rd=$!
dd if=/dev/zero of=/hp/w bs=4M count=16 2>/tmp/wr.err &
wr=$!
sleep 1
t0=$(now_ds)
check "host: device_del over QMP" sync_host 1
# ACPI hotplug: the guest's remove() runs a few seconds later.
rc_rd=
rc_wr=
i=0
while [ $i -lt 600 ]; do
	if [ -z "$rc_rd" ] && ! kill -0 $rd 2>/dev/null; then
		wait $rd
		rc_rd=$?
	fi
	if [ -z "$rc_wr" ] && ! kill -0 $wr 2>/dev/null; then
		wait $wr
		rc_wr=$?
	fi
	[ -n "$rc_rd" ] && [ -n "$rc_wr" ] && break
	usleep 100000
	i=$((i + 1))
done
t1=$(now_ds)
note "reader and writer ended $((t1 - t0))0 ms after device_del (status $rc_rd, $rc_wr)"
check "the reader in flight ended (not hung)" [ -n "$rc_rd" ]
check "the writer in flight ended (not hung)" [ -n "$rc_wr" ]
check "the reader failed with EIO" sh -c "[ '$rc_rd' != 0 ] && grep -q 'Input/output error' /tmp/rd.err"
check "the writer failed with EIO" sh -c "[ '$rc_wr' != 0 ] && grep -q 'Input/output error' /tmp/wr.err"
check "the device is gone from the virtio bus" [ -z "$(hp_dev)" ]
dmesg | grep -i "removed mount tag 'hp'" | tail -n 1 | while IFS= read -r l; do note "$l"; done
expect_fail "later reads fail with EIO" "Input/output error" cat /hp/small
expect_fail "later creates fail with EIO" "Input/output error" sh -c 'echo x >/hp/new'
t2=$(now_ds)
check "the dead share unmounts" timeout 20 umount /hp
note "umount done $((($(now_ds) - t2)))0 ms after"
check "the other share still works" [ "$(cat /mnt/kept)" = kept ]
check "umount data" umount /mnt
rmmod_v9x "rmmod v9x"
done_tests
