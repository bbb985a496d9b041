#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the "faults" suite.
#  1. Malformed replies: for each fault mode, one corrupted reply must fail
#     the operation with EPROTO/EIO, log a v9x: line, count a protocol error,
#     and leave the mount working.
#  2. Signals: a reader, a writer (throttled device) and a getdents64
#     caller (its reply held back by fault_mode 7) die within 1 s of
#     SIGKILL, a Tflush is sent, and no request stays in flight; a handled
#     SIGINT never makes write(2) report more or less than it wrote.
#     A reader or fsync caller killed while its folios are in a Tread or
#     Twrite the device runs late (fault_mode 10) leaves nothing of that
#     request to land after what was done next (checked on the host).
#     POSIX locks against a server that holds read locks (fault_mode 11): a
#     refused upgrade keeps the read lock, F_GETLK asks for the right type.
#     A mount right after an umount whose Tclunk is answered late works.
#     A page dirtied through a mapping while a truncation waits for its
#     Rsetattr does not extend the host's file again. A Tgetattr answered
#     before a chmod but handled after it does not bring the old mode back.
#     umount does not wait for prefetch's requests to a server that holds
#     their replies.
#  3. Device removal: unbinding the throttled device with a read in flight
#     fails it with EIO, the mount can be unmounted, the device rebound.
. /lib.sh

if ! v9x_only; then
	skip "faults: v9x only"
	done_tests
fi
setup_modules data,slow
mkdir -p /mnt /slow
check "mount data" mount -t v9x data /mnt
check "mount slow (throttled device)" mount -t v9x slow /slow
P=/sys/module/v9x/parameters
want=$(cat /expected/f.sha)
sum() { _s=$(sha256sum <"$1") && echo "${_s%% *}"; }
now_cs() { _u=$(cut -d' ' -f1 /proc/uptime); echo "${_u%.*}${_u#*.}"; }

section "tracepoints"
T=/sys/kernel/tracing
mountpoint -q $T 2>/dev/null || mount -t tracefs nodev $T 2>/dev/null
if [ -d $T/events/v9x ]; then
	_ev=
	for _e in $T/events/v9x/v9x_*; do _ev="$_ev ${_e##*/}"; done
	ok "tracepoints registered:$_ev"
	echo 1 >$T/events/v9x/enable
	: >$T/trace
	cat /mnt/f >/dev/null
	echo 0 >$T/events/v9x/enable
	cat $T/trace >/tmp/trace.out
	check "reading a file emits v9x_request_submit events naming the mount and Tread" \
		grep -q "v9x_request_submit: data tag=[0-9]* Tread out=" /tmp/trace.out
	check "and v9x_request_complete events with a latency" \
		grep -q "v9x_request_complete: data tag=[0-9]* Tread used=[0-9]* latency_ns=[0-9]" /tmp/trace.out
	note "$(grep -c v9x_request_complete /tmp/trace.out) completions traced"
	check "stats count requests by type (req_Tread, req_Twalk)" \
		sh -c 'grep -q "^req_Tread [1-9]" /sys/kernel/debug/v9x/data/stats && grep -q "^req_Twalk [1-9]" /sys/kernel/debug/v9x/data/stats'
else
	not_ok "tracepoints registered under $T/events/v9x"
fi

section "malformed replies"
for mode in 1 2 3 4 5 6; do
	sleep 0.3	# let asynchronous clunks finish first
	before=$(stat_get proto_errors)
	dmesg_mark
	echo "$mode" >$P/fault_mode
	echo 1 >$P/fault_count
	if stat /mnt/f >/tmp/f.out 2>&1; then
		echo "stat succeeded through a corrupted reply" >>/tmp/f.out
		not_ok "fault $mode: the operation fails" /tmp/f.out
	elif grep -qE "Protocol error|I/O error|Input/output error" /tmp/f.out; then
		ok "fault $mode: the operation fails with EPROTO/EIO"
	else
		not_ok "fault $mode: the operation fails with EPROTO/EIO" /tmp/f.out
	fi
	echo 0 >$P/fault_count
	# The message this corruption must produce, naming the mount and the
	# request; only what the kernel printed after the mark counts.
	case $mode in
	1) msg='malformed reply to T[a-z]+ \(size field vs 5 bytes received\)' ;;
	2) msg='reply to T[a-z]+ has tag [0-9]+, expected [0-9]+' ;;
	3) msg='reply type 255 to T[a-z]+' ;;
	4) msg='reply type 117 to T[a-z]+' ;;
	5) msg='invalid Rlerror to T[a-z]+' ;;
	6) msg='malformed reply to T[a-z]+ \(size field vs [0-9]+ bytes received\)' ;;
	esac
	dmesg_new >/tmp/dm.out
	check "fault $mode: one v9x: data: line says what was wrong" \
		grep -qE "v9x: data: $msg" /tmp/dm.out
	after=$(stat_get proto_errors)
	check "fault $mode: proto_errors went up ($before -> $after)" [ "$after" -gt "$before" ]
	check "fault $mode: the mount still works" sh -c "[ \"\$(sha256sum </mnt/f | cut -d' ' -f1)\" = $want ]"
done
# A corrupted Rread count on the zero-copy path.
exec 3</mnt/f
sleep 0.3
echo 4 >$P/fault_mode
echo 1 >$P/fault_count
pe0=$(stat_get proto_errors)
dmesg_mark
expect_fail "fault 4 on a zero-copy Tread: read fails with EPROTO/EIO" \
	"Protocol error\|Input/output error" dd bs=65536 count=1 of=/dev/null <&3
pe1=$(stat_get proto_errors)
echo 0 >$P/fault_count
check "fault 4: the corruption was the Rread's (proto_errors $pe0 -> $pe1)" \
	sh -c "[ $(delta "$pe0" "$pe1") -ge 1 ] 2>/dev/null"
dmesg_new >/tmp/dm.out
check "fault 4: a v9x: data: line names the Tread" \
	grep -qE "v9x: data: .*Tread" /tmp/dm.out
# zc_reads and copy_reads count replies that decoded, so the failed read
# itself is not counted: the same read again, unfaulted, shows which path
# such a read takes (one zero-copy Tread, no copied one).
zr0=$(stat_get zc_reads)
cr0=$(stat_get copy_reads)
check "fault 4: the same read, unfaulted, succeeds" dd bs=65536 count=1 of=/dev/null <&3
zr1=$(stat_get zc_reads)
cr1=$(stat_get copy_reads)
check "fault 4: that read is the zero-copy path (zc_reads $zr0 -> $zr1, copy_reads $cr0 -> $cr1)" \
	sh -c "[ $(delta "$zr0" "$zr1") = 1 ] && [ $(delta "$cr0" "$cr1") = 0 ] 2>/dev/null"
exec 3<&-
echo 0 >$P/fault_mode

section "a new directory with the qid of an existing one (fault 9)"
# The server's Rgetattr for the new directory b names its parent a: v9x
# must refuse it (EPROTO), never give a a second alias.
check "mkdir /mnt/fq/a" mkdir -p /mnt/fq/a
qa=$(stat -c %i /mnt/fq/a)
dmesg_mark
echo "$qa" >$P/fault_qid
echo 9 >$P/fault_mode
echo 1 >$P/fault_count
expect_fail "fault 9: mkdir answered with its parent's qid fails with EPROTO" \
	"Protocol error" mkdir /mnt/fq/a/b
left=$(cat $P/fault_count)
echo 0 >$P/fault_count
echo 0 >$P/fault_mode
check "fault 9: the forged reply was one (fault_count 1 -> $left)" [ "$left" = 0 ]
dmesg_new >/tmp/dm.out
check "fault 9: one v9x: data: line names both directories" \
	grep -qE "v9x: data: new directory b has the qid of a " /tmp/dm.out
check "fault 9: a is still a's only name (a/.. is fq)" \
	[ "$(stat -c %i /mnt/fq/a/..)" = "$(stat -c %i /mnt/fq)" ]
check "fault 9: the server's b is listed and is a directory of its own" \
	sh -c "ls /mnt/fq/a | grep -qx b && [ -d /mnt/fq/a/b ] && [ \"\$(stat -c %i /mnt/fq/a/b)\" != $qa ]"

# wait_rpc PID: wait (up to 5 s) until PID sleeps waiting for a reply; the
# wait channel seen is left in $_wchan. Callers act on PID at once: the
# reply may come any moment.
wait_rpc() {
	_i=0
	while [ $_i -lt 250 ]; do
		_wchan=$(cat /proc/$1/wchan 2>/dev/null)
		case $_wchan in *v9x_req_wait*|*completion*) return 0 ;; esac
		usleep 20000
		_i=$((_i + 1))
	done
	return 1
}

# kill_blocked WHAT PID TAG [N]: SIGKILL PID while it waits for a reply on
# the mount of TAG, once N requests (default 1) are in flight there; it must
# be gone within 1 s, a Tflush must have been sent, and no request may stay
# in flight. A large read has several requests in flight at once: N=2
# waits for that phase, since a kill that lands just after a quick
# metadata reply (dd's open) rightly sends no Tflush at all. A write sends
# one request at a time: the writer says when its open is done instead.
kill_blocked() {
	_flushes=$(stat_get flushes "$3")
	_i=0
	while [ "$(stat_get inflight "$3")" -lt "${4:-1}" ] 2>/dev/null && [ $_i -lt 250 ]; do
		usleep 20000
		_i=$((_i + 1))
	done
	wait_rpc "$2"
	_t0=$(now_cs)
	kill -9 "$2"
	while kill -0 "$2" 2>/dev/null; do usleep 20000; done
	_t1=$(now_cs)
	wait "$2" 2>/dev/null
	note "$1 was waiting in ${_wchan:-?} when killed; gone after $((_t1 - _t0))0 ms"
	check "a $1 blocked on the device exits within 1 s of SIGKILL" [ $((_t1 - _t0)) -le 100 ]
	check "$1: a Tflush was sent" [ "$(stat_get flushes "$3")" -gt "$_flushes" ]
	_i=0
	while [ "$(stat_get inflight "$3")" != 0 ] && [ $_i -lt 100 ]; do sleep 0.1; _i=$((_i + 1)); done
	check "$1: no request stays in flight afterwards" [ "$(stat_get inflight "$3")" = 0 ]
}

section "SIGKILL on a slow device"
dd if=/slow/big of=/dev/null bs=4M 2>/dev/null &
kill_blocked reader $! slow 2
check "the slow mount still works" sh -c '[ "$(cat /slow/small)" = small ]'
/sigio write /slow/wkill 33554432 >/tmp/wk.out 2>&1 &
pid=$!
wait_grep writing /tmp/wk.out 100 50000
kill_blocked writer $pid slow 1
check "the slow mount still works after the killed write" sh -c '[ "$(cat /slow/small)" = small ]'

section "SIGKILL in readdir (reply held back by fault_mode 7)"
/sigio readdir /mnt/dir stop >/tmp/rd.out 2>&1 &
pid=$!
wait_grep "^State:.*T" /proc/$pid/status 100 50000
sleep 1	# let asynchronous clunks finish first
echo 3000 >$P/fault_delay_ms
echo 7 >$P/fault_mode
echo 1 >$P/fault_count
kill -CONT $pid
kill_blocked "getdents64 caller" $pid data
check "the held reply was taken (fault_count 0)" [ "$(cat $P/fault_count)" = 0 ]
echo 0 >$P/fault_mode
check "the directory lists in full afterwards" [ "$(ls /mnt/dir | wc -l)" = 300 ]
check "the data mount still reads right" sh -c "[ \"\$(sha256sum </mnt/f | cut -d' ' -f1)\" = $want ]"

section "SIGKILL with page-cache folios in flight (fault 10: a late Tread/Twrite)"
# A killed reader or writeback caller must not give its folios back while
# the device may still write into them or read them: fault_mode 10 hands
# the Tread/Twrite to the device 3 s late, as a server slow in
# preadv/pwritev would. What was done after the kill must win on the host.
# _late_taken: wait until fault_mode 10 holds the request (fault_count 0).
_late_taken() {
	_i=0
	while [ "$(cat $P/fault_count)" != 0 ] && [ $_i -lt 200 ]; do
		usleep 20000
		_i=$((_i + 1))
	done
	check "$1: its request was kept back (fault_count 0)" [ "$(cat $P/fault_count)" = 0 ]
}
sleep 1	# let asynchronous clunks finish first
umount /mnt
check "mount data with cache=loose" mount -t v9x -o cache=loose data /mnt
dd if=/dev/zero bs=65536 count=1 2>/dev/null | tr '\0' B >/tmp/b64
stat /mnt/hold-r /mnt/hold-w >/dev/null
echo 3000 >$P/fault_delay_ms
echo 10 >$P/fault_mode
echo 1 >$P/fault_count
dd if=/mnt/hold-r of=/dev/null bs=4096 count=1 2>/dev/null &
pid=$!
_late_taken "killed reader"
kill -9 $pid
wait $pid 2>/dev/null
# Overwrite the folios through a shared mapping and keep them dirty (no
# close, which would write them back at once) until the late Tread is in:
# its stale data must not land on top and be written back.
rm -f /tmp/hold.in
mkfifo /tmp/hold.in
/mmapw /mnt/hold-r 0 65536 5 nosync hold </tmp/hold.in >/tmp/mm.out 2>&1 &
mpid=$!
exec 6>/tmp/hold.in
wait_grep synced /tmp/mm.out 200 50000
check "overwrite the folios of the killed read through a shared mapping" grep -q synced /tmp/mm.out
sleep 4	# the late Tread is answered by now
echo go >&6
exec 6>&-
wait $mpid
rc=$?
check "unmap and close the overwritten file (status $rc)" [ "$rc" = 0 ]
sync
echo 1 >$P/fault_count
dd if=/tmp/b64 of=/mnt/hold-w bs=65536 count=1 conv=notrunc,fsync 2>/dev/null &
pid=$!
_late_taken "killed fsync caller"
kill -9 $pid
wait $pid 2>/dev/null
check "truncating the file the killed fsync was writing back succeeds" sh -c ': >/mnt/hold-w'
sleep 4	# the late Twrite is answered by now
sync
echo 0 >$P/fault_mode
echo 3 >/proc/sys/vm/drop_caches
check "after the killed fsync, the truncated file stays empty (no late Twrite after it)" \
	[ "$(stat -c %s /mnt/hold-w)" = 0 ]
umount /mnt
check "mount data again with the default cache mode" mount -t v9x data /mnt

section "POSIX locks a server refuses or reports (fault 11: another client's read locks)"
for case in upgrade getlk; do
	/locks $case /mnt/lockf >/tmp/lk.out 2>&1
	rc=$?
	while IFS= read -r l; do note "$l"; done </tmp/lk.out
	case $case in
	upgrade) what="a refused upgrade keeps the read lock the process held" ;;
	getlk) what="F_GETLK asks the server about the lock type asked for" ;;
	esac
	check "$what (status $rc)" [ "$rc" = 0 ]
done

section "mount right after umount while a Tclunk is answered late (fault 7)"
# umount clunks every fid asynchronously; the device must not stay claimed
# by the old session once umount has returned.
ls -l /mnt/dir >/dev/null
echo 3000 >$P/fault_delay_ms
echo 7 >$P/fault_mode
echo 1 >$P/fault_count
check "umount data while a Tclunk reply is held back" umount /mnt
check "mount data right after (no EBUSY)" mount -t v9x data /mnt
echo 0 >$P/fault_mode
check "and read through it" sh -c "[ \"\$(sha256sum </mnt/f | cut -d' ' -f1)\" = $want ]"

section "truncate while a mapping dirties a page past the new end (fault 7 on Tsetattr)"
# A page dirtied between the server's truncation and the page cache's must
# not reach the host: the guest cuts its own cache first (a store past the
# new end then gets SIGBUS, as on a local file).
umount /mnt
check "mount data with cache=loose" mount -t v9x -o cache=loose data /mnt
cat /mnt/trunc-m >/dev/null	# its pages are cached
# The mapping exists before the truncation starts; it stores once the
# server has truncated and the Rsetattr is held.
rm -f /tmp/trunc.in
mkfifo /tmp/trunc.in
/mmapw /mnt/trunc-m 8192 4096 9 sync prewait </tmp/trunc.in >/tmp/mt.out 2>&1 &
mpid=$!
exec 6>/tmp/trunc.in
wait_grep mapped /tmp/mt.out 200 20000
check "map trunc-m shared and writable" grep -q mapped /tmp/mt.out
echo 26 >$P/fault_type
echo 3000 >$P/fault_delay_ms
echo 7 >$P/fault_mode
echo 1 >$P/fault_count
truncate -s 0 /mnt/trunc-m &
tpid=$!
i=0
while [ "$(cat $P/fault_count)" != 0 ] && [ $i -lt 200 ]; do usleep 20000; i=$((i + 1)); done
check "the truncation's Rsetattr is held back (fault_count 0)" [ "$(cat $P/fault_count)" = 0 ]
echo go >&6
exec 6>&-
wait $mpid
note "the mapping's store at 8192 meanwhile: status $? $(tr '\n' ' ' </tmp/mt.out)"
wait $tpid
rc=$?
echo 0 >$P/fault_mode
echo 0 >$P/fault_type
check "the truncation succeeds (status $rc)" [ "$rc" = 0 ]
sync
check "the guest sees size 0" [ "$(stat -c %s /mnt/trunc-m)" = 0 ]
umount /mnt
check "mount data again with the default cache mode" mount -t v9x data /mnt

section "an answer older than the guest's chmod is not cached (fault 7 on Tgetattr)"
# A Tgetattr the server answered before a chmod, but handled after it, must
# not put the old mode back and have it trusted for actimeo.
umount /mnt
check "mount data with cache=loose,actimeo=5" mount -t v9x -o cache=loose,actimeo=5 data /mnt
echo x >/mnt/stale-mode
chmod 644 /mnt/stale-mode
stat /mnt/stale-mode >/dev/null
sleep 6	# its attributes and name are no longer fresh
echo 24 >$P/fault_type
echo 3000 >$P/fault_delay_ms
echo 7 >$P/fault_mode
echo 1 >$P/fault_count
stat -c %a /mnt/stale-mode >/tmp/sm.out 2>&1 &
spid=$!
i=0
while [ "$(cat $P/fault_count)" != 0 ] && [ $i -lt 200 ]; do usleep 20000; i=$((i + 1)); done
check "the first stat's Rgetattr is held back (fault_count 0)" [ "$(cat $P/fault_count)" = 0 ]
check "chmod 600 while it is held" chmod 600 /mnt/stale-mode
wait $spid
note "the stat that started before the chmod printed $(cat /tmp/sm.out)"
echo 0 >$P/fault_mode
echo 0 >$P/fault_type
check "a stat right after sees 600, not the held answer's 644 ($(stat -c %a /mnt/stale-mode))" \
	[ "$(stat -c %a /mnt/stale-mode)" = 600 ]

section "umount while prefetch waits on a server that holds its replies (fault 7 on Tgetattr)"
# A listing in a caching mode sends its entries' lookups ahead from a
# kworker, which no signal reaches; umount must not wait for the server.
ls /mnt >/dev/null
stat /mnt/dir >/dev/null
echo 24 >$P/fault_type
echo 60000 >$P/fault_delay_ms
echo 7 >$P/fault_mode
echo 8 >$P/fault_count
pf0=$(stat_get req_Tgetattr data)
check "list the 300-entry directory (getdents64 only)" sh -c '/sigio readdir /mnt/dir >/dev/null'
i=0
while [ "$(cat $P/fault_count)" != 0 ] && [ $i -lt 500 ]; do usleep 20000; i=$((i + 1)); done
check "prefetch's Rgetattrs are held back (fault_count 0; $(( $(stat_get req_Tgetattr data) - pf0 )) Tgetattrs sent)" \
	[ "$(cat $P/fault_count)" = 0 ]
note "requests in flight before umount: $(stat_get inflight data)"
t0=$(now_cs)
timeout 50 umount /mnt
rc=$?
t1=$(now_cs)
note "umount took $((t1 - t0))0 ms, status $rc"
check "umount returns long before the held replies (60 s) would come (status $rc)" \
	[ "$rc" = 0 -a $((t1 - t0)) -lt 2000 ]
check "and says so in one v9x: line" sh -c 'dmesg | grep -q "v9x: data: unmounted with [0-9]* requests (Tflushes included) the server has not answered"'
echo 0 >$P/fault_mode
echo 0 >$P/fault_type
echo 3000 >$P/fault_delay_ms
# The device stays claimed by the old session until the server answers.
i=0
until mount -t v9x data /mnt 2>/dev/null; do
	[ $i -ge 80 ] && break
	sleep 1
	i=$((i + 1))
done
check "the device mounts again once the held replies came ($i s later)" grep -q " /mnt v9x " /proc/mounts
check "and read through it" sh -c "[ \"\$(sha256sum </mnt/f | cut -d' ' -f1)\" = $want ]"

section "SIGINT during a write (handled, no SA_RESTART)"
# POSIX: the write either did nothing (EINTR) or reports what it wrote.
/sigio write /slow/wint 8000000 >/tmp/si.out 2>&1 &
pid=$!
wait_grep writing /tmp/si.out 100 50000
wait_rpc $pid
note "writer waits in ${_wchan:-?}"
for i in 1 2 3; do
	kill -INT $pid 2>/dev/null
	usleep 300000
done
wait $pid
rc=$?
note "$(tail -n 1 /tmp/si.out)"
echo "exit status $rc" >>/tmp/si.out
if [ "$rc" = 0 ]; then
	ok "SIGINT in write(2): the count returned is what the file holds"
else
	not_ok "SIGINT in write(2): the count returned is what the file holds" /tmp/si.out
fi
sed -n 's/.*size=\([0-9]*\).*/\1/p' /tmp/si.out >/ctl/wint.size

section "device removal with I/O in flight"
dev=
for d in /sys/bus/virtio/devices/*; do
	[ "$(cat "$d/mount_tag" 2>/dev/null)" = slow ] && dev=${d##*/}
done
check "found the slow device in sysfs ($dev)" [ -n "$dev" ]
dd if=/slow/big of=/dev/null bs=4M 2>/tmp/dd.err &
pid=$!
sleep 2
check "unbind the device from v9x (must not hang)" \
	timeout 20 sh -c "echo $dev >/sys/bus/virtio/drivers/v9x_virtio/unbind"
wait $pid
rc=$?
check "the read in flight failed (status $rc)" [ "$rc" != 0 ]
check "the read in flight reported an I/O error" grep -q "Input/output error" /tmp/dd.err
expect_fail "later operations fail with EIO" "Input/output error" cat /slow/small
check "the dead mount can be unmounted" timeout 20 umount /slow
check "bind the device again" sh -c "echo $dev >/sys/bus/virtio/drivers/v9x_virtio/bind"
check "mount it again and read" sh -c 'mount -t v9x slow /slow && [ "$(cat /slow/small)" = small ]'
check "umount" umount /slow
done_tests
