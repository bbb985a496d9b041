#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the "unbind" suite: the device of a mounted v9x share is
# unbound from v9x (sysfs) while a reader, a writer and a stat loop submit
# requests, then bound again, round after round. Each round: the loops end
# with EIO (not hung), later operations fail with EIO, the dead share
# unmounts, a mount of the unbound tag fails, the device binds again and a
# new mount reads. In the last rounds fault_mode 8 spins 1 s between a
# submission's add and its notification of the device, and the unbind is
# started inside that window: remove() must wait for the notification
# before it frees the virtqueue (before the fix, the submitter notified a
# freed, NULL'ed virtqueue). KASAN and lockdep (debug kernel) watch it all.
. /lib.sh

if ! v9x_only; then
	skip "unbind: v9x only"
	done_tests
fi
P=/sys/module/v9x/parameters
DRV=/sys/bus/virtio/drivers/v9x_virtio
setup_modules ub
mkdir -p /ub
ub_dev() {
	for _d in /sys/bus/virtio/devices/*; do
		[ "$(cat "$_d/mount_tag" 2>/dev/null)" = ub ] && echo "${_d##*/}"
	done
}
dev=$(ub_dev)
check "ub's virtio device is bound to v9x ($dev)" [ -n "$dev" -a -e "$DRV/$dev" ]

# wait_gone PID...: wait up to 30 s for every PID to end; 1 if one did not.
wait_gone() {
	_i=0
	for _p in "$@"; do
		while kill -0 "$_p" 2>/dev/null; do
			_i=$((_i + 1))
			[ $_i -gt 300 ] && return 1
			usleep 100000
		done
	done
	return 0
}

# round N KICK: one unbind with I/O in flight; KICK=1 unbinds while a
# submitter spins in the window before its notification.
round() {
	_n=$1
	mount -t v9x ub /ub || { echo "mount failed"; return 1; }
	[ "$(cat /ub/small)" = small ] || { echo "read before the unbind failed"; return 1; }
	(while cat /ub/big >/dev/null; do :; done) 2>/tmp/r.err &
	_r=$!
	if [ "$2" = 0 ]; then
		(while dd if=/dev/zero of=/ub/w bs=4k count=64 2>/tmp/w.err; do :; done) &
		_w=$!
		(while ls -l /ub >/dev/null; do :; done) 2>/tmp/s.err &
		_s=$!
		usleep $((200000 + _n * 37000 % 300000))
	else
		_w=
		_s=
		usleep 200000
		echo 1000 >$P/fault_delay_ms
		echo 8 >$P/fault_mode
		echo 1 >$P/fault_count
		# The reader's next submission takes the count and spins.
		_i=0
		while [ "$(cat $P/fault_count)" != 0 ] && [ $_i -lt 100 ]; do
			usleep 10000
			_i=$((_i + 1))
		done
		[ "$(cat $P/fault_count)" = 0 ] ||
			{ echo "no submission took the delay"; echo 0 >$P/fault_mode; return 1; }
	fi
	timeout 20 sh -c "echo $dev >$DRV/unbind" || { echo "unbind failed or hung"; return 1; }
	echo 0 >$P/fault_mode
	wait_gone $_r $_w $_s || { echo "I/O loops still running 30 s after the unbind"; return 1; }
	grep -q "Input/output error" /tmp/r.err ||
		{ echo "the reader did not end with EIO:"; cat /tmp/r.err; return 1; }
	if [ -n "$_w" ]; then
		grep -q "Input/output error" /tmp/w.err ||
			{ echo "the writer did not end with EIO:"; cat /tmp/w.err; return 1; }
		grep -q "Input/output error" /tmp/s.err ||
			{ echo "the stat loop did not end with EIO:"; cat /tmp/s.err; return 1; }
	fi
	if cat /ub/small >/tmp/c.err 2>&1 || ! grep -q "Input/output error" /tmp/c.err; then
		echo "a read after the unbind did not fail with EIO:"
		cat /tmp/c.err
		return 1
	fi
	timeout 20 umount /ub || { echo "the dead share did not unmount"; return 1; }
	if mount -t v9x ub /ub 2>/tmp/m.err; then
		echo "mounting the unbound tag succeeded"
		umount /ub
		return 1
	fi
	echo "$dev" >$DRV/bind || { echo "bind failed"; return 1; }
	[ "$(ub_dev)" = "$dev" ] || { echo "$dev is not back with tag ub"; return 1; }
	return 0
}

n=1
while [ $n -le 8 ]; do
	check "round $n: unbind with a reader, a writer and stats in flight; EIO, umount, rebind" round $n 0
	n=$((n + 1))
done
while [ $n -le 10 ]; do
	check "round $n: unbind while a submission waits to notify (fault_mode 8); EIO, umount, rebind" round $n 1
	n=$((n + 1))
done
check "mount after the last rebind and read" sh -c 'mount -t v9x ub /ub && [ "$(cat /ub/small)" = small ] && umount /ub'
check "rmmod v9x" rmmod v9x
done_tests
