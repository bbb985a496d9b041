# SPDX-License-Identifier: GPL-2.0
#
# Guest-side helpers for the v9x selftests (busybox sh), sourced by every
# /test.sh.  Results are KTAP-ish lines "V9XT: ok N - name" / "V9XT: not ok N
# - name" written both to the console (ttyS0, for people) and to ttyS1 (a
# dedicated serial port the host parses, free of kernel messages).  Detail
# lines are "V9XT: # ...".  Settings come from /etc/v9x-test.env:
#   V9X_FS  = v9x (test the v9x module) or 9p (in-kernel client as reference)
#   KVER    = kernel release the host expects
#   V9X_MOUNT_OPTS = extra -o options for every data mount (e.g. cache=loose)
export PATH=/bin
. /etc/v9x-test.env
V9X_MOUNT_OPTS=${V9X_MOUNT_OPTS:-}

# cache_mode: the cache= mode the data mounts use (none by default).
cache_mode() {
	case ",$V9X_MOUNT_OPTS," in
	*,cache=*)
		_c=${V9X_MOUNT_OPTS#*cache=}
		echo "${_c%%,*}"
		;;
	*) echo none ;;
	esac
}

T_N=0
T_FAILS=0
RES=/dev/ttyS1
[ -c "$RES" ] || RES=/dev/null
stty -F "$RES" raw -echo 2>/dev/null

# The line goes to ttyS1 from a subshell. Each write ends with the last close
# of ttyS1, which waits for the port to send what it holds; a signal cuts that
# wait short, and the port's shutdown then drops the rest of the line. This
# shell catches SIGCHLD (busybox ash does), so a background job ending during
# the close lost result lines (seen: "ok 90" of faults, as the unbind ended
# the dd in flight). The subshell has no children and catches nothing.
emit() {
	echo "V9XT: $*"
	(echo "V9XT: $*" >"$RES")
}

ok() {
	T_N=$((T_N + 1))
	emit "ok $T_N - $*"
}

# not_ok NAME [DETAIL-FILE]
not_ok() {
	T_N=$((T_N + 1))
	T_FAILS=$((T_FAILS + 1))
	emit "not ok $T_N - $1"
	if [ -n "$2" ] && [ -f "$2" ]; then
		head -n 60 "$2" | while IFS= read -r l; do emit "#   $l"; done
	fi
}

skip() {
	T_N=$((T_N + 1))
	emit "ok $T_N - $* # SKIP"
}

note() { emit "# $*"; }

# section NAME: console-only progress line with the guest uptime.
section() { echo "V9XT-SECTION: $(cut -d' ' -f1 /proc/uptime)s $*"; }

# Commands (not shell functions) run under a time limit so that a hang fails
# one test instead of the whole VM.
CMD_TIMEOUT=${CMD_TIMEOUT:-120}
limited() {
	case $(type "$1" 2>/dev/null) in
	*function*) "$@" ;;
	*) timeout -s KILL "$CMD_TIMEOUT" "$@" ;;
	esac
}

# check NAME CMD...: ok if CMD succeeds; its output is the failure detail.
# Returns 1 when it failed.
check() {
	_name=$1
	shift
	if limited "$@" >/tmp/check.out 2>&1; then
		ok "$_name"
	else
		echo "(exit status $?)" >>/tmp/check.out
		not_ok "$_name" /tmp/check.out
		return 1
	fi
}

# leak_scan: on a kernel with kmemleak (the debug kernel), let kmemleak scan
# and fail on any leak whose backtrace names v9x. It must run while v9x is
# still loaded: after rmmod, a leaked object's backtrace no longer resolves
# to v9x's symbols. Elsewhere it says SKIP, and why.
_LEAK_SCANNED=0
leak_scan() {
	_LEAK_SCANNED=1
	if ! v9x_only; then
		skip "kmemleak: v9x only"
		return 0
	fi
	if [ ! -w /sys/kernel/debug/kmemleak ]; then
		skip "kmemleak: this kernel has none (the debug kernel has)"
		return 0
	fi
	# Objects younger than 5 s are not reported; clunks may be in flight.
	sleep 6
	echo scan >/sys/kernel/debug/kmemleak
	echo scan >/sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak >/tmp/kmemleak.out
	if grep -q 'v9x' /tmp/kmemleak.out; then
		not_ok "kmemleak: no leak attributed to v9x" /tmp/kmemleak.out
	else
		ok "kmemleak: no leak attributed to v9x ($(grep -c unreferenced /tmp/kmemleak.out) unrelated)"
	fi
}

# rmmod_v9x NAME: the leak scan, then the check NAME that rmmod v9x works.
# Every suite that unloads v9x itself does it through here.
rmmod_v9x() {
	leak_scan
	check "$1" rmmod v9x
}

# leak_check: at the end of a suite, unmount what v9x still has mounted, scan
# and unload it. On a kernel without kmemleak v9x stays loaded (as the suite
# left it) and the scan says SKIP.
leak_check() {
	if v9x_only && [ -w /sys/kernel/debug/kmemleak ] &&
	   grep -q '^v9x ' /proc/modules; then
		for _m in $(awk '$3 == "v9x" { print $2 }' /proc/mounts); do
			umount "$_m" || echo "leak_check: umount $_m failed"
		done
		rmmod_v9x "rmmod v9x after umount"
	elif [ "$_LEAK_SCANNED" = 0 ] || grep -q '^v9x ' /proc/modules; then
		leak_scan
	fi
}

# done_tests: the leak scan (unless the suite's own rmmod_v9x did it), then
# the plan and a completion marker; exit with the number of failures (at most
# 60, see init). The host counts a missing marker as a failure, and compares
# the plan and the exit status with the result lines it parsed.
done_tests() {
	leak_check
	emit "1..$T_N"
	emit "done"
	exit $((T_FAILS > 60 ? 60 : T_FAILS))
}

v9x_only() { [ "$V9X_FS" = v9x ]; }

# qemu_at_least MAJOR.MINOR: the host's QEMU (QEMU_VERSION, from the host's
# qemu-system-x86_64 --version) is that version or newer.
qemu_at_least() {
	_qv=${QEMU_VERSION:?the host did not say its QEMU version}
	_qa=${_qv%%.*}
	_qb=${_qv#*.}
	_qb=${_qb%%.*}
	[ "$_qa" -gt "${1%%.*}" ] || { [ "$_qa" = "${1%%.*}" ] && [ "$_qb" -ge "${1#*.}" ]; }
}

load_9p() {
	for m in $(cat /modules/9p.order); do
		insmod "/modules/$m.ko" || { echo "insmod $m failed"; return 1; }
	done
}

load_v9x() {
	insmod /v9x.ko "$@"
}

# setup_modules [TAGS]: bring up the filesystems a suite uses: v9x (or the
# in-kernel client in 9p mode) for the comma-separated TAGS (default
# "data"), and the in-kernel client for the "ctl" tag when the VM has one.
# v9x must be loaded before 9pnet_virtio.
setup_modules() {
	if v9x_only; then
		check "insmod v9x.ko tags=${1:-data}" load_v9x "tags=${1:-data}"
	fi
	check "load in-kernel 9p client modules" load_9p
	if [ "${HAS_CTL:-0}" = 1 ]; then
		mkdir -p /ctl
		check "mount ctl share (in-kernel 9p)" \
			mount -t 9p -o trans=virtio,version=9p2000.L,cache=none ctl /ctl
	fi
}

# mount_data DIR [extra -o options]: mount the tested share.
mount_data() {
	_dir=$1
	_o=$V9X_MOUNT_OPTS${2:+${V9X_MOUNT_OPTS:+,}$2}
	mkdir -p "$_dir"
	if v9x_only; then
		if [ -n "$_o" ]; then
			mount -t v9x -o "$_o" data "$_dir"
		else
			mount -t v9x data "$_dir"
		fi
	else
		mount -t 9p -o "trans=virtio,version=9p2000.L,cache=none${_o:+,$_o}" data "$_dir"
	fi
}

# delta A B: B - A, or MISSING unless both are numbers (a check comparing it
# with a number then fails).
delta() {
	case "$1$2" in
	""|*[!0-9]*) echo MISSING ;;
	*) echo $(($2 - $1)) ;;
	esac
}

# mount_or_stop NAME DIR [OPTIONS]: mount the tested share on DIR
# (mount_data) as the check NAME. Without that mount nothing else in the
# suite can run: on failure the suite ends there (done_tests).
mount_or_stop() {
	_mn=$1
	shift
	if ! check "$_mn" mount_data "$@"; then
		done_tests
	fi
}

# stat_get KEY [TAG]: one value from /sys/kernel/debug/v9x/TAG/stats.
stat_get() {
	awk -v k="$1" '$1 == k { print $2; found = 1 } END { if (!found) print "MISSING" }' \
		"/sys/kernel/debug/v9x/${2:-data}/stats"
}

# Host synchronisation over the ctl share: sync_host N asks the host to run
# its step N and waits (up to $2 seconds, default 60) until it is done.
# Fails when the host's step failed (the host creates ctl/fail-N before
# ctl/go-N), so a guest never goes on as if the host had done it.
sync_host() {
	# (not ": >file": a failed redirection on a special builtin exits sh)
	echo ready >"/ctl/ready-$1" || return 1
	_i=0
	while [ ! -e "/ctl/go-$1" ]; do
		_i=$((_i + 1))
		[ $_i -gt $((${2:-60} * 10)) ] && { echo "sync_host $1: timed out"; return 1; }
		usleep 100000
	done
	if [ -e "/ctl/fail-$1" ]; then
		echo "sync_host $1: the host's step $1 failed (see steps.log)"
		return 1
	fi
	return 0
}

# wait_grep WORD FILE TRIES USECS: wait until FILE holds WORD (a program in
# the background says it got that far; a regex), polling every USECS
# microseconds at most TRIES times; a FILE that is not there (yet, or any
# more) is simply not matched. The caller then checks FILE itself.
wait_grep() {
	_wg=0
	while ! grep -qs "$1" "$2" && [ $_wg -lt "$3" ]; do
		usleep "$4"
		_wg=$((_wg + 1))
	done
}

# dmesg_mark / dmesg_new: kernel messages printed since the last mark.
dmesg_mark() { _dm=$(dmesg | wc -l); }
dmesg_new() { dmesg | tail -n +$((_dm + 1)); }

# expect_fail NAME TEXT CMD...: CMD must fail and print TEXT (errno string).
expect_fail() {
	_name=$1
	_text=$2
	shift 2
	if limited "$@" >/tmp/ef.out 2>&1; then
		echo "command unexpectedly succeeded: $*" >>/tmp/ef.out
		not_ok "$_name" /tmp/ef.out
	elif grep -q "$_text" /tmp/ef.out; then
		ok "$_name"
	else
		echo "expected an error containing '$_text' from: $*" >>/tmp/ef.out
		not_ok "$_name" /tmp/ef.out
	fi
}

# Dump a file with a prefix so it can be found in the console log.
show() { sed "s|^|$1: |" "$2"; }
