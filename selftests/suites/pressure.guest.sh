#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the "pressure" suite (256 MiB guest): a memory hog holds
# all but ~40 MiB while four processes copy 24 MiB files three times each
# with 4 MiB reads and writes: two on a cache=none mount (zero-copy both
# ways), two onto a cache=loose mount (writeback under reclaim). Each copy
# must succeed and read back intact; nothing may stay in flight.
. /lib.sh

if ! v9x_only; then
	skip "pressure: v9x only"
	done_tests
fi
setup_modules data,lo
mkdir -p /mnt /lo
check "mount data (cache=none, default msize)" mount -t v9x data /mnt
check "mount lo (cache=loose)" mount -t v9x -o cache=loose lo /lo
# QEMU 10.0 caps it at 4186112, 1022 pages (its transport's limit), and
# says so on the host ("client msize capped").
case $QEMU_VERSION in
10.*) _msize=4186112 ;;
*) _msize=4194304 ;;
esac
check "msize is 4 MiB, or the server's cap ($(stat_get msize), $_msize expected)" \
	[ "$(stat_get msize)" = $_msize ]
note "$(grep -E 'MemTotal|MemAvailable' /proc/meminfo | tr -s ' ' | tr '\n' ' ')"
avail0=$(awk '/MemAvailable/ { print int($2 / 1024) }' /proc/meminfo)

/hog 40 600 >/tmp/hog.out 2>&1 &
hog=$!
i=0
while [ "$(awk '/MemAvailable/ { print int($2 / 1024) }' /proc/meminfo)" -gt 56 ] && [ $i -lt 300 ]; do
	usleep 100000
	i=$((i + 1))
done
note "under pressure: $(grep -E 'MemFree|MemAvailable|^Cached' /proc/meminfo | tr -s ' ' | tr '\n' ' ')"
check "the hog brought MemAvailable down to about 40 MiB" \
	[ "$(awk '/MemAvailable/ { print int($2 / 1024) }' /proc/meminfo)" -le 56 ]

# copier SRC DST: three rounds of a 4 MiB-block copy, each verified.
copier() {
	_want=$(cat "/expected/$(basename "$1").sha")
	for _r in 1 2 3; do
		dd if="$1" of="$2" bs=4M 2>/tmp/dd.$$ || { cat /tmp/dd.$$; return 1; }
		case $2 in /lo/*) sync ;; esac
		_got=$(dd if="$2" bs=4M 2>/dev/null | sha256sum | cut -d' ' -f1)
		[ "$_got" = "$_want" ] || { echo "round $_r: $2 reads back $_got"; return 1; }
	done
}
section "four copiers under memory pressure"
copier /mnt/r1 /mnt/c1 >/tmp/c1.out 2>&1 &
p1=$!
copier /mnt/r2 /mnt/c2 >/tmp/c2.out 2>&1 &
p2=$!
copier /mnt/r1 /lo/c3 >/tmp/c3.out 2>&1 &
p3=$!
copier /mnt/r2 /lo/c4 >/tmp/c4.out 2>&1 &
p4=$!
n=1
for p in $p1 $p2 $p3 $p4; do
	if wait $p; then
		ok "copier $n: 3 rounds of 24 MiB in 4 MiB blocks, read back intact"
	else
		not_ok "copier $n: 3 rounds of 24 MiB in 4 MiB blocks, read back intact" /tmp/c$n.out
	fi
	n=$((n + 1))
done
note "after: $(grep -E 'MemFree|MemAvailable' /proc/meminfo | tr -s ' ' | tr '\n' ' ')"
kill $hog
wait $hog 2>/dev/null
note "$(cat /tmp/hog.out)"
check "the hog is still alive at the end (no OOM kill)" grep -q "held up to" /tmp/hog.out
peak=$(sed -n 's/.*held up to \([0-9]*\) MiB.*/\1/p' /tmp/hog.out)
check "the hog held at least half of the $avail0 MiB available at the start (${peak:-?} MiB)" \
	[ "${peak:-0}" -ge $((avail0 / 2)) ]
check "no request in flight on data" [ "$(stat_get inflight data)" = 0 ]
check "no request in flight on lo" [ "$(stat_get inflight lo)" = 0 ]
note "data: $(stat_get zc_reads data) zero-copy reads, $(stat_get zc_writes data) zero-copy writes; lo: $(stat_get zc_writes lo) zero-copy writes"
check "no malformed reply or lost request (proto_errors 0)" \
	[ "$(stat_get proto_errors data)" = 0 -a "$(stat_get proto_errors lo)" = 0 ]
check "umount both" umount /mnt /lo
done_tests
